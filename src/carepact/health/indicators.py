"""What the health checks tell the rest of carepact (see core.indicators)."""

from __future__ import annotations

from carepact.core.indicators import Reading, provide
from carepact.health import services
from carepact.health.models import Round

NO_ROUND = Reading(None, False, "not measured: no health check has closed yet")


def _index(partnership) -> Reading:
    found = services.latest_closed(partnership, kind=Round.Kind.FULL)
    if found is None:
        return NO_ROUND
    index = (found.report or {}).get("index")
    if index is None:
        return Reading(None, detail=f"health check {found.number}: too few answers to show")
    return Reading(
        index["value"], detail=f"{index['value']:.0f} of 100 in health check {found.number}"
    )


def _warnings(partnership) -> Reading:
    found = services.latest_closed(partnership)
    if found is None:
        return NO_ROUND
    titles = [w["title"] for w in services.report_for(found).get("warnings", [])]
    return Reading(titles, detail=f"{len(titles)} warning(s) from health check {found.number}")


def _response_rate(partnership) -> Reading:
    found = partnership.health_rounds.order_by("-number").first()
    if found is None:
        return Reading(None, False, "not measured: no health check yet")
    counts = services.participation(found)
    if counts["rate"] is None:
        return Reading(None, False, "nobody was invited")
    return Reading(
        counts["rate"],
        detail=f"{counts['responded']} of {counts['invited']} answered health check {found.number}",
    )


provide("health_index", _index)
provide("health_warnings", _warnings)
provide("response_rate", _response_rate)
