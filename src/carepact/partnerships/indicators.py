"""The registry's own indicators for other apps to read (see core.indicators)."""

from __future__ import annotations

from carepact.core import clock
from carepact.core.indicators import Reading, provide
from carepact.partnerships import gates


def _champion(partnership) -> Reading:
    reason = gates.GATES["champion"].check(partnership)
    return Reading(reason is None, detail=reason or "a champion is named")


def _sponsors(partnership) -> Reading:
    reason = gates.GATES["industry_sponsor"].check(partnership)
    return Reading(reason is None, detail=reason or "every industry party has a sponsor")


def _stage_days(partnership) -> Reading:
    days = (clock.now() - partnership.stage_changed_at).days
    return Reading(days, detail=f"{days} days in {partnership.get_stage_display().lower()}")


provide("champion_named", _champion)
provide("industry_sponsors_named", _sponsors)
provide("stage_days", _stage_days)
