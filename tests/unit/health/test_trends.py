"""Change between waves with intervals, paired change, and Theil-Sen slopes."""

from datetime import date

import numpy as np
import pytest
from scipy import stats as scipy_stats

from carepact.engine.health import stats, trends
from carepact.engine.health.aggregate import Estimate


def estimate(values, key):
    reps = stats.bootstrap_means(values, stats.rng_for(key))
    return Estimate(
        float(np.mean(values)), len(values), None, stats.percentile_interval(reps), reps
    )


def wave(number, when, values, kind="full", tokens=None):
    tokens = tokens or [f"t{i}" for i in range(len(values))]
    return trends.WaveScores(
        number,
        when,
        kind,
        {"C2": estimate(values, f"w{number}")},
        {},
        {"C2": dict(zip(tokens, values, strict=True))},
    )


def test_change_between_two_full_waves_with_interval_and_paired_change():
    before = wave(1, date(2026, 1, 1), [4.0, 4.5, 4.0, 3.5, 4.0, 4.0])
    after = wave(2, date(2026, 7, 1), [3.0, 3.5, 3.0, 3.0, 3.5, 3.0])
    (change,) = trends.changes([before, after])
    assert change.difference == pytest.approx(3.1667 - 4.0, abs=1e-3)
    assert change.ci[1] < 0 and change.meaningful
    assert change.paired_n == 6
    assert change.paired_difference == pytest.approx(-5 / 6)


def test_paired_change_needs_five_people_in_both_waves():
    before = wave(1, date(2026, 1, 1), [4.0] * 6, tokens=list("abcdef"))
    after = wave(2, date(2026, 7, 1), [3.0] * 6, tokens=list("abcdxy"))
    (change,) = trends.changes([before, after])
    assert change.paired_n == 4 and change.paired_difference is None


def test_a_pulse_draws_the_line_but_is_not_compared():
    waves = [
        wave(1, date(2026, 1, 1), [4.0] * 6),
        wave(2, date(2026, 4, 1), [2.0] * 6, kind="pulse"),
        wave(3, date(2026, 7, 1), [3.8] * 6),
    ]
    (change,) = trends.changes(waves)
    assert (change.since, change.to) == (1, 3)


def test_slopes_need_three_full_waves_and_agree_with_scipy():
    dates = [date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1)]
    means = [4.2, 3.9, 3.1]
    waves = [wave(i + 1, d, [m] * 6) for i, (d, m) in enumerate(zip(dates, means, strict=True))]
    assert trends.slopes(waves[:2]) == []
    (slope,) = trends.slopes(waves)
    years = [(d - dates[0]).days / 365.25 for d in dates]
    assert slope.per_year == pytest.approx(scipy_stats.theilslopes(means, years).slope)
    assert slope.waves == 3
