"""Governance facts for other apps (health's power panel, portfolio, progress reports)."""

from __future__ import annotations

from datetime import timedelta

from carepact.core.indicators import Reading, provide
from carepact.governance import services
from carepact.governance.models import Risk


def _meetings(partnership) -> Reading:
    since = services.today() - timedelta(days=90)
    count = partnership.meetings.filter(held_on__gte=since, body__kind="board").count()
    return Reading(count, detail=f"{count} board meeting{'s' if count != 1 else ''} in 90 days")


def _overdue(partnership) -> Reading:
    count = services.overdue_actions(partnership).count()
    return Reading(count, detail=f"{count} overdue action{'s' if count != 1 else ''}")


def _escalations(partnership) -> Reading:
    count = services.open_escalations(partnership).count()
    return Reading(
        count, detail=f"{count} open escalation{'s' if count != 1 else ''} or grievances"
    )


def _heat(partnership) -> Reading:
    scores = [r.likelihood * r.impact for r in partnership.risks.filter(status=Risk.Status.OPEN)]
    if not scores:
        return Reading(0, detail="no open risks recorded")
    return Reading(max(scores), detail=f"highest open risk scores {max(scores)} of 25")


def _shares(partnership) -> Reading:
    shares = services.behavioural_shares(partnership)
    values = {
        name: value
        for name, value in (
            ("decisions_proposed", shares.decisions_proposed),
            ("agenda_items", shares.agenda_items),
            ("attendance", shares.attendance),
        )
        if value is not None
    }
    if not values:
        return Reading(None, measured=False, detail="no meetings or decisions recorded")
    return Reading(values, detail=f"since {shares.since:%d %b %Y}")


def _reviews(partnership) -> Reading:
    count = services.overdue_reviews(partnership).count()
    return Reading(count, detail=f"{count} risk{'s' if count != 1 else ''} past review date")


provide("board_meetings_90_days", _meetings)
provide("overdue_actions", _overdue)
provide("open_escalations", _escalations)
provide("risk_heat", _heat)
provide("governance_shares", _shares)
provide("overdue_risk_reviews", _reviews)
