"""The KPI status rule as a truth table (see carepact.engine.outcomes.status)."""

from datetime import date

import pytest

from carepact.engine.outcomes.status import (
    Direction,
    Status,
    Target,
    TargetError,
    assess,
    target_problems,
)

# Lower is better: 42 days on 1 Jan 2026 to 28 days on 1 Jan 2027; band 10% of 14 = 1.4.
DOWN = Target(42, date(2026, 1, 1), 28, date(2027, 1, 1), Direction.DECREASE)
# Higher is better: 50% to 90% over the same year; band 10% of 40 = 4.
UP = Target(50, date(2026, 1, 1), 90, date(2027, 1, 1), Direction.INCREASE)
MID = date(2026, 7, 2)  # 182 of 365 days: the path is halfway, almost exactly


def test_the_planned_path_is_a_straight_line_held_at_both_ends():
    assert DOWN.planned(date(2025, 6, 1)) == 42  # before the baseline date: the baseline
    assert DOWN.planned(date(2026, 1, 1)) == 42
    assert DOWN.planned(MID) == pytest.approx(42 - 14 * 182 / 365)
    assert DOWN.planned(date(2027, 1, 1)) == 28
    assert DOWN.planned(date(2028, 1, 1)) == 28  # after the target date: the target


TABLE = [
    # (target, measurements, expected status)
    (DOWN, [], Status.NO_DATA),  # nothing measured
    (DOWN, [(MID, 30.0)], Status.ON_TRACK),  # well ahead of the path (~35)
    (DOWN, [(MID, DOWN.planned(MID))], Status.ON_TRACK),  # exactly on the path
    (DOWN, [(MID, DOWN.planned(MID) + 1.0)], Status.AT_RISK),  # behind, inside the 1.4 band
    (DOWN, [(MID, DOWN.planned(MID) + 1.4)], Status.AT_RISK),  # on the band's edge: at risk
    (DOWN, [(MID, DOWN.planned(MID) + 1.5)], Status.OFF_TRACK),  # beyond the band
    (DOWN, [(MID, 30.0), (date(2026, 2, 1), 45.0)], Status.ON_TRACK),  # the latest date counts
    (DOWN, [(date(2026, 2, 1), 30.0), (MID, 40.0)], Status.OFF_TRACK),  # not the best value
    (DOWN, [(date(2025, 12, 1), 42.5)], Status.AT_RISK),  # before baseline: against baseline
    (DOWN, [(date(2027, 3, 31), 28.0)], Status.ON_TRACK),  # after the target date: target met
    (DOWN, [(date(2027, 3, 31), 29.0)], Status.AT_RISK),  # just short of target, late
    (DOWN, [(date(2027, 3, 31), 35.0)], Status.OFF_TRACK),  # far short of target, late
    (UP, [(MID, 75.0)], Status.ON_TRACK),  # higher is better: above the path (~70)
    (UP, [(MID, 67.0)], Status.AT_RISK),  # below the path by ~3, inside the band of 4
    (UP, [(MID, 60.0)], Status.OFF_TRACK),  # below by ~10
]


@pytest.mark.parametrize(("target", "measurements", "status"), TABLE)
def test_status_truth_table(target, measurements, status):
    assessment = assess(target, measurements)
    assert assessment.status is status
    assert assessment.reason


def test_a_value_to_hold_uses_a_band_around_the_target():
    hold = Target(95, date(2026, 1, 1), 95, date(2027, 1, 1), Direction.INCREASE, 0.05)
    assert hold.allowance == pytest.approx(4.75)  # 5% of the target itself
    assert assess(hold, [(MID, 96.0)]).status is Status.ON_TRACK
    assert assess(hold, [(MID, 92.0)]).status is Status.AT_RISK
    assert assess(hold, [(MID, 88.0)]).status is Status.OFF_TRACK
    zero = Target(0, date(2026, 1, 1), 0, date(2027, 1, 1), Direction.DECREASE)
    assert zero.allowance == pytest.approx(0.1)  # of 1 when both are zero


def test_the_reason_says_where_the_value_is_against_the_path():
    reason = assess(DOWN, [(MID, DOWN.planned(MID) + 1.0)], unit="days").reason
    assert "behind the planned" in reason and "days" in reason and "at-risk band of 1.4" in reason
    met = assess(DOWN, [(date(2027, 3, 31), 27.0)], unit="days").reason
    assert "meets the target of 28 days" in met


PROBLEMS = [
    # (baseline, baseline date, target, target date, direction, fields with a problem)
    (42, date(2026, 1, 1), 28, date(2027, 1, 1), "decrease", set()),  # a sound target
    (42, date(2026, 1, 1), 50, date(2027, 1, 1), "decrease", {"target"}),  # wrong way
    (50, date(2026, 1, 1), 40, date(2027, 1, 1), "increase", {"target"}),  # wrong way up
    (42, date(2026, 1, 1), 28, date(2026, 1, 1), "decrease", {"target_date"}),  # no time
    (42, date(2026, 1, 1), 28, date(2025, 1, 1), "decrease", {"target_date"}),  # backwards
    (42, date(2026, 1, 1), 42, date(2027, 1, 1), "decrease", set()),  # hold the value
    (42, date(2026, 1, 1), 28, date(2027, 1, 1), "sideways", {"direction"}),  # no direction
]


@pytest.mark.parametrize(("b", "bd", "t", "td", "direction", "fields"), PROBLEMS)
def test_target_problems_truth_table(b, bd, t, td, direction, fields):
    assert set(target_problems(b, bd, t, td, direction)) == fields


def test_a_target_that_cannot_define_a_path_is_refused():
    with pytest.raises(TargetError, match="after the baseline date"):
        Target(42, date(2026, 1, 1), 28, date(2025, 1, 1), Direction.DECREASE)
