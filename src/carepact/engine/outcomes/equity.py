"""Gaps between population groups, and whether a gap is widening.

For one breakdown (say deprivation quintile) of one KPI, the **gap** in a period is the
difference between the best-off and the worst-off group measured in that period (best by
the KPI's direction: the lowest value when lower is better). Only periods with at least two
groups measured have a gap.

A gap is **widening** when, over the last three periods that have a gap, it grew at each
step (strictly) and the latest gap is at least 10% larger than the first of the three (when
the first is zero, any growth counts). Three points and a minimum growth keep a single
noisy month from raising the alarm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from carepact.engine.outcomes.status import Direction, fmt

WINDOW = 3
MIN_GROWTH = 0.10


@dataclass(frozen=True)
class Gap:
    period: date
    gap: float
    best: str  # the group doing best in this period
    worst: str  # the group doing worst


@dataclass(frozen=True)
class Widening:
    first: Gap
    last: Gap

    @property
    def growth(self) -> float:
        return self.last.gap - self.first.gap

    def sentence(self, dimension: str, unit: str = "") -> str:
        unit_text = f" {unit}" if unit else ""
        return (
            f"The gap by {dimension} widened from {fmt(self.first.gap)}{unit_text} to "
            f"{fmt(self.last.gap)}{unit_text} over the last {WINDOW} periods measured; "
            f"{self.last.worst} is furthest behind {self.last.best}."
        )


def gaps(series: Mapping[str, Mapping[date, float]], direction: Direction | str) -> list[Gap]:
    """Each period's gap, oldest first, from ``{group: {period: value}}``."""
    direction = Direction(direction)
    periods = sorted({p for values in series.values() for p in values})
    found = []
    for period in periods:
        here = {group: values[period] for group, values in series.items() if period in values}
        if len(here) < 2:
            continue
        ranked = sorted(here.items(), key=lambda item: (item[1], item[0]))
        low, high = ranked[0], ranked[-1]
        best, worst = (high, low) if direction is Direction.INCREASE else (low, high)
        found.append(Gap(period, high[1] - low[1], best[0], worst[0]))
    return found


def widening(
    points: list[Gap], *, window: int = WINDOW, min_growth: float = MIN_GROWTH
) -> Widening | None:
    """The widening over the last ``window`` gaps, or None when the gap is not widening."""
    if len(points) < window:
        return None
    recent = points[-window:]
    rising = all(b.gap > a.gap for a, b in pairwise(recent))
    first, last = recent[0], recent[-1]
    enough = last.gap > 0 if first.gap == 0 else last.gap >= first.gap * (1 + min_growth)
    return Widening(first, last) if rising and enough else None
