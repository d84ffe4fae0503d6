"""Gaps between population groups and the widening rule (carepact.engine.outcomes.equity)."""

from datetime import date

import pytest

from carepact.engine.outcomes.equity import Gap, gaps, widening
from carepact.engine.outcomes.status import Direction

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


def test_the_gap_is_best_minus_worst_by_the_kpis_direction():
    series = {
        "IMD 1": {JAN: 40.0, FEB: 39.0},
        "IMD 5": {JAN: 30.0, FEB: 31.0},
        "IMD 3": {JAN: 35.0},
    }
    found = gaps(series, Direction.DECREASE)  # days: lower is better
    assert [(g.period, g.gap, g.best, g.worst) for g in found] == [
        (JAN, 10.0, "IMD 5", "IMD 1"),
        (FEB, 8.0, "IMD 5", "IMD 1"),
    ]
    assert gaps(series, Direction.INCREASE)[0].best == "IMD 1"  # higher is better


def test_a_period_with_one_group_has_no_gap():
    assert gaps({"A": {JAN: 1.0}, "B": {FEB: 2.0}}, Direction.INCREASE) == []


def _points(*values):
    return [Gap(date(2026, i + 1, 1), v, "best", "worst") for i, v in enumerate(values)]


WIDENING = [
    # (gaps oldest first, widening?)
    ((5, 6, 7.5), True),  # grew at each step, by 50%
    ((9, 8, 5, 6, 7.5), True),  # only the last three periods count
    ((5, 6, 5.9), False),  # fell at the last step
    ((5, 5, 6), False),  # flat step: not strictly growing
    ((10, 10.3, 10.6), False),  # grew, but by 6% only: noise
    ((10, 10.5, 11), True),  # grew by exactly 10%
    ((0, 0.5, 1), True),  # from no gap, any growth counts
    ((5, 6), False),  # fewer than three periods
]


@pytest.mark.parametrize(("values", "expected"), WIDENING)
def test_widening_truth_table(values, expected):
    assert (widening(_points(*values)) is not None) is expected


def test_the_widening_sentence_names_the_groups():
    found = widening(_points(5, 6, 9))
    assert "widened from 5 days to 9 days" in found.sentence("deprivation", "days")
