"""The statistics against values worked out by hand and against reference libraries."""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from carepact.engine.health import stats

NAN = np.nan

# Five people, three statements. Item variances 0.5, 2.5 and 0 (mean 1.0); null variance 2.
GROUP = np.array([[4, 2, 3], [5, 4, 3], [4, 3, 3], [3, 5, 3], [4, 1, 3]], dtype=float)


def test_rwg_star_of_a_worked_example():
    # 1 − 1.0 / 2.0
    assert stats.rwg_star(GROUP) == pytest.approx(0.5)


def test_rwg_star_is_one_when_everyone_agrees_and_negative_beyond_random():
    assert stats.rwg_star(np.full((6, 3), 4.0)) == 1.0
    split = np.array([[1, 1, 1], [5, 5, 5]] * 3, dtype=float)  # variance 4.8 > 2
    assert stats.rwg_star(split) == pytest.approx(1 - 4.8 / 2)


def test_rwg_star_skips_unanswered_values_and_items():
    with_gaps = GROUP.copy()
    with_gaps[0, 2] = NAN
    with_gaps[:, 1] = NAN  # nobody answered item 2: it is left out
    # item 1 variance 0.5, item 3 variance 0 → mean 0.25
    assert stats.rwg_star(with_gaps) == pytest.approx(1 - 0.25 / 2)
    assert stats.rwg_star(np.array([[3.0], [NAN]])) is None


def test_average_deviation_of_a_worked_example():
    # items: (0+1+0+1+0)/5 = 0.4, (1+1+0+2+2)/5 = 1.2, 0 → mean 1.6 / 3
    assert stats.average_deviation(GROUP) == pytest.approx(1.6 / 3)


def test_rwg_null_threshold_falls_as_groups_grow():
    small, large = stats.rwg_null_threshold(5, 3), stats.rwg_null_threshold(30, 3)
    assert 0 < large < small < 1
    assert stats.rwg_null_threshold(5, 3) == small  # seeded: the same every time


def test_icc_of_a_worked_example():
    # grand mean 3.5; MSB = 13.5, MSW = 1, k = 3
    found = stats.icc([[1, 2, 3], [4, 5, 6]])
    assert found.icc1 == pytest.approx(12.5 / 15.5)
    assert found.icc2 == pytest.approx(12.5 / 13.5)
    assert found.f == pytest.approx(13.5) and found.k == pytest.approx(3)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(1, 5), min_size=2, max_size=12), min_size=2, max_size=5).filter(
        lambda gs: len({x for g in gs for x in g}) > 1
    )
)
def test_icc_agrees_with_scipy_one_way_anova(groups):
    found = stats.icc(groups)
    f = scipy_stats.f_oneway(*groups).statistic
    n = sum(len(g) for g in groups)
    k = (n - sum(len(g) ** 2 for g in groups) / n) / (len(groups) - 1)
    if found is None or not np.isfinite(f) or f < 1e-9:  # identical group means
        return
    assert found.f == pytest.approx(f)
    assert found.icc1 == pytest.approx((f - 1) / (f + k - 1))
    assert found.icc2 == pytest.approx(1 - 1 / f)


def test_hedges_g_of_a_worked_example():
    # difference −3, pooled SD 1, correction 1 − 3/15 = 0.8
    assert stats.hedges_g([1, 2, 3], [4, 5, 6]) == pytest.approx(-2.4)
    assert stats.hedges_g([1], [2, 3]) is None


def test_krippendorff_alpha_of_a_worked_example():
    # D_o = 2/6, D_e = 82/30 → 1 − 0.1220
    data = np.array([[1, 2, 3], [1, 2, 4]], dtype=float)
    assert stats.krippendorff_alpha_interval(data) == pytest.approx(1 - (1 / 3) / (82 / 30))


@settings(max_examples=80, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda coders: st.lists(
            st.lists(
                st.one_of(st.none(), st.floats(1, 5, allow_nan=False)),
                min_size=coders,
                max_size=coders,
            ),
            min_size=3,
            max_size=15,
        )
    )
)
def test_krippendorff_alpha_agrees_with_the_krippendorff_package(units):
    data = np.array([[NAN if v is None else v for v in unit] for unit in units], dtype=float).T
    pairable = [col[~np.isnan(col)] for col in data.T]
    values = np.concatenate([u for u in pairable if len(u) >= 2] or [np.array([])])
    if len(values) < 2 or np.ptp(values) < 1e-6:
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    assert stats.krippendorff_alpha_interval(data) == pytest.approx(expected, abs=1e-9)


def test_theil_sen_of_a_worked_example_and_against_scipy():
    # pairwise slopes −0.5, −0.75, −1 → median −0.75; intercept median(y + 0.75x) = 4
    slope, intercept = stats.theil_sen([0, 1, 2], [4, 3.5, 2.5])
    assert (slope, intercept) == pytest.approx((-0.75, 4.0))
    x, y = [0, 0.5, 1.1, 1.4, 2.0], [3.9, 3.7, 3.8, 3.1, 2.9]
    reference = scipy_stats.theilslopes(y, x, method="joint")
    assert stats.theil_sen(x, y) == pytest.approx((reference.slope, reference.intercept))


def test_gini_of_worked_examples():
    assert stats.gini([0.5, 0.5]) == 0
    assert stats.gini([0.5, 0.25, 0.25]) == pytest.approx(1 / 6)  # Σ|xi − xj| = 1; 2·9·⅓ = 6
    assert stats.gini([1, 0, 0]) == pytest.approx(2 / 3)


def test_bootstrap_is_seeded_and_centred():
    values = [3, 4, 4, 5, 2, 4]
    first = stats.bootstrap_means(values, stats.rng_for("a", "b"))
    again = stats.bootstrap_means(values, stats.rng_for("a", "b"))
    other = stats.bootstrap_means(values, stats.rng_for("a", "c"))
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert len(first) == stats.BOOTSTRAP_RESAMPLES
    low, high = stats.percentile_interval(first)
    assert low < np.mean(values) < high
