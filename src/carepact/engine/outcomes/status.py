"""A KPI's status from its trajectory: on track, at risk or off track.

The rule, exactly:

1. The **planned path** runs in a straight line from the baseline value on the baseline
   date to the target value on the target date. Before the baseline date it is the
   baseline; after the target date it is the target.
2. The **latest measurement** (the one with the latest date; for a period, the caller
   passes the period's last day) is compared with the planned value on its date.
3. The **shortfall** is how far the latest value is behind the path in the direction that
   counts as worse: below it when higher is better, above it when lower is better.
4. The **allowance** is ``tolerance`` (a fraction, 0.10 by default) of the distance from
   baseline to target; when baseline and target are equal (a value to hold), of the
   target's size; when both are zero, of 1.
5. Status: **on track** when the shortfall is zero or less (on or ahead of the path);
   **at risk** when it is more than zero but no more than the allowance; **off track**
   when it is more than the allowance; **no data** when nothing is measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Direction(StrEnum):
    INCREASE = "increase"  # higher is better
    DECREASE = "decrease"  # lower is better


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.NO_DATA: "No data",
}

DEFAULT_TOLERANCE = 0.10


class TargetError(ValueError):
    """A target that cannot define a path; the message says which part and why."""


@dataclass(frozen=True)
class Target:
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    direction: Direction
    tolerance: float = DEFAULT_TOLERANCE

    def __post_init__(self) -> None:
        problems = target_problems(
            self.baseline,
            self.baseline_date,
            self.target,
            self.target_date,
            self.direction,
            self.tolerance,
        )
        if problems:
            raise TargetError(" ".join(problems.values()))

    @property
    def allowance(self) -> float:
        distance = abs(self.target - self.baseline) or abs(self.target) or 1.0
        return self.tolerance * distance

    def planned(self, on: date) -> float:
        """The planned value on ``on``."""
        if on <= self.baseline_date:
            return self.baseline
        if on >= self.target_date:
            return self.target
        done = (on - self.baseline_date).days / (self.target_date - self.baseline_date).days
        return self.baseline + (self.target - self.baseline) * done

    def behind_by(self, value: float, on: date) -> float:
        """How far ``value`` is behind the path on ``on`` (negative when ahead)."""
        planned = self.planned(on)
        return planned - value if self.direction is Direction.INCREASE else value - planned

    def meets_target(self, value: float) -> bool:
        if self.direction is Direction.INCREASE:
            return value >= self.target
        return value <= self.target


def target_problems(
    baseline: float,
    baseline_date: date,
    target: float,
    target_date: date,
    direction: str,
    tolerance: float = DEFAULT_TOLERANCE,
) -> dict[str, str]:
    """Field name → problem, for a target that cannot define a path (empty when it can)."""
    problems: dict[str, str] = {}
    if direction not in set(Direction):
        problems["direction"] = "Say whether higher or lower is better."
        return problems
    if target_date <= baseline_date:
        problems["target_date"] = "The target date must come after the baseline date."
    if direction == Direction.INCREASE and target < baseline:
        problems["target"] = (
            "Higher is better, so the target cannot be below the baseline: check the "
            "direction or the numbers."
        )
    if direction == Direction.DECREASE and target > baseline:
        problems["target"] = (
            "Lower is better, so the target cannot be above the baseline: check the "
            "direction or the numbers."
        )
    if not 0 <= tolerance <= 1:
        problems["tolerance"] = "The at-risk band is a share of the way to target, 0 to 100%."
    return problems


@dataclass(frozen=True)
class Assessment:
    status: Status
    reason: str
    latest_date: date | None = None
    latest_value: float | None = None
    planned: float | None = None
    shortfall: float | None = None
    allowance: float | None = None
    target_met: bool = False

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def fmt(value: float) -> str:
    """A number as people write it: no trailing zeros, at most two decimals."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def assess(
    target: Target, measurements: Sequence[tuple[date, float]], unit: str = ""
) -> Assessment:
    """The KPI's status from its measurements (``(as-at date, value)`` pairs, any order)."""
    if not measurements:
        return Assessment(Status.NO_DATA, "Nothing is measured yet.")
    on, value = max(measurements, key=lambda pair: pair[0])
    planned = target.planned(on)
    shortfall = target.behind_by(value, on)
    allowance = target.allowance
    unit_text = f" {unit}" if unit else ""
    where = f"The latest value, {fmt(value)}{unit_text} (as at {on.day} {on:%b %Y}),"
    met = target.meets_target(value)
    if shortfall <= 0:
        status = Status.ON_TRACK
        reason = f"{where} is on or ahead of the planned {fmt(planned)}{unit_text}."
        if met and on >= target.target_date:
            reason = f"{where} meets the target of {fmt(target.target)}{unit_text}."
    elif shortfall <= allowance:
        status = Status.AT_RISK
        reason = (
            f"{where} is behind the planned {fmt(planned)}{unit_text} by {fmt(shortfall)}, "
            f"within the at-risk band of {fmt(allowance)}."
        )
    else:
        status = Status.OFF_TRACK
        reason = (
            f"{where} is behind the planned {fmt(planned)}{unit_text} by {fmt(shortfall)}, "
            f"more than the at-risk band of {fmt(allowance)}."
        )
    return Assessment(status, reason, on, value, planned, shortfall, allowance, met)
