"""Reporting periods of a KPI (month, quarter, year) and the periods that went unmeasured.

A measurement belongs to a period, stored as the period's first day. A period is
*complete* once the day after its last day has come, so a monthly KPI's March is complete
on the 1st of April.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"


MONTHS_IN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUALLY: 12}


def period_start(day: date, frequency: Frequency | str) -> date:
    """The first day of the period that contains ``day``."""
    months = MONTHS_IN[Frequency(frequency)]
    month = ((day.month - 1) // months) * months + 1
    return date(day.year, month, 1)


def next_period(start: date, frequency: Frequency | str) -> date:
    """The first day of the period after the one that starts (or contains) ``start``."""
    start = period_start(start, frequency)
    index = start.year * 12 + start.month - 1 + MONTHS_IN[Frequency(frequency)]
    return date(index // 12, index % 12 + 1, 1)


def period_label(start: date, frequency: Frequency | str) -> str:
    """How people name the period: ``Mar 2026``, ``2026 Q1`` or ``2026``."""
    frequency = Frequency(frequency)
    start = period_start(start, frequency)
    if frequency is Frequency.MONTHLY:
        return start.strftime("%b %Y")
    if frequency is Frequency.QUARTERLY:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def complete_periods(first: date, as_of: date, frequency: Frequency | str) -> list[date]:
    """Every period from the one containing ``first`` that is complete on ``as_of``."""
    periods = []
    current = period_start(first, frequency)
    while next_period(current, frequency) <= as_of:
        periods.append(current)
        current = next_period(current, frequency)
    return periods


def overdue_periods(last: date, as_of: date, frequency: Frequency | str) -> list[date]:
    """Complete periods after the one containing ``last``: those that still await a value.

    ``last`` is the latest measured period, or, for a KPI never measured, the day it was
    defined (its own period is not counted: a KPI defined mid-month owes nothing for it).
    """
    return complete_periods(next_period(last, frequency), as_of, frequency)


def missing_periods(
    measured: Iterable[date], first: date, as_of: date, frequency: Frequency | str
) -> list[date]:
    """Complete periods from the one containing ``first`` that have no measurement."""
    have = {period_start(d, frequency) for d in measured}
    return [p for p in complete_periods(first, as_of, frequency) if p not in have]
