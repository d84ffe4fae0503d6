from datetime import date

import pytest

from carepact.engine.outcomes.periods import (
    Frequency,
    complete_periods,
    missing_periods,
    next_period,
    overdue_periods,
    period_label,
    period_start,
)

M, Q, Y = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUALLY


@pytest.mark.parametrize(
    ("day", "frequency", "start", "after", "label"),
    [
        (date(2026, 3, 17), M, date(2026, 3, 1), date(2026, 4, 1), "Mar 2026"),
        (date(2026, 12, 31), M, date(2026, 12, 1), date(2027, 1, 1), "Dec 2026"),
        (date(2026, 5, 2), Q, date(2026, 4, 1), date(2026, 7, 1), "2026 Q2"),
        (date(2026, 11, 30), Q, date(2026, 10, 1), date(2027, 1, 1), "2026 Q4"),
        (date(2026, 8, 8), Y, date(2026, 1, 1), date(2027, 1, 1), "2026"),
    ],
)
def test_periods_start_end_and_names(day, frequency, start, after, label):
    assert period_start(day, frequency) == start
    assert next_period(day, frequency) == after
    assert period_label(day, frequency) == label


def test_a_period_is_complete_on_the_day_after_it_ends():
    assert complete_periods(date(2026, 1, 15), date(2026, 3, 31), M) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert complete_periods(date(2026, 1, 15), date(2026, 4, 1), M)[-1] == date(2026, 3, 1)


OVERDUE = [
    # (last measured period, as of, periods still owed)
    (date(2026, 1, 1), date(2026, 3, 31), 1),  # February complete, March not yet
    (date(2026, 1, 1), date(2026, 4, 1), 2),  # February and March owed: the warning's threshold
    (date(2026, 1, 1), date(2026, 2, 27), 0),  # January measured, February still running
    (date(2025, 12, 1), date(2026, 6, 5), 5),  # across a year end
]


@pytest.mark.parametrize(("last", "as_of", "owed"), OVERDUE)
def test_overdue_periods(last, as_of, owed):
    assert len(overdue_periods(last, as_of, M)) == owed


def test_missing_periods_inside_a_series():
    measured = [date(2026, 1, 1), date(2026, 3, 4)]
    assert missing_periods(measured, date(2026, 1, 1), date(2026, 5, 1), M) == [
        date(2026, 2, 1),
        date(2026, 4, 1),
    ]
