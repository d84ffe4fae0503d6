"""Alignment on small worked examples: self-other, level and party gaps, ICC, profile α.

Every expected value is worked out by hand in the comments (or, for α and ICC, also taken
from the ``krippendorff`` package and SciPy), never from the code under test.
"""

import krippendorff
import numpy as np
import pytest
from scipy import stats as scipy_stats

from carepact.engine.health import aggregate as ag
from carepact.engine.health import alignment as al
from carepact.engine.health.scoring import LEVELS, Respondent

RESAMPLES = 400


def people(party, counts):
    """Respondents of one party: counts of leaders, managers, specialists."""
    out = []
    for level, count in zip(LEVELS, counts, strict=True):
        out += [Respondent(f"{party}{level}{i}", party, level, {}) for i in range(count)]
    return out


def crowd(counts: dict[str, tuple[int, int, int]]):
    """Respondents of several parties (in the order given) and their layout."""
    respondents = [r for party, c in counts.items() for r in people(party, c)]
    return respondents, ag.layout(respondents, list(counts))


def measure(respondents, lay, values: dict[tuple[str, str], list], key="x"):
    """Aggregate values given per (party, level), in the respondents' order."""
    flat = []
    seen: dict[tuple[str, str], int] = {}
    for r in respondents:
        i = seen.get((r.party, r.level), 0)
        flat.append(values[(r.party, r.level)][i])
        seen[(r.party, r.level)] = i + 1
    return ag.aggregate(flat, lay, key=key, resamples=RESAMPLES)


# -- self-other ------------------------------------------------------------------------------


def test_self_other_is_own_rating_minus_the_unweighted_mean_of_the_other_parties():
    # a: 5 managers; b: 5 managers and 10 specialists; c: 5 managers; d: 3 (held back).
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 10), "c": (0, 5, 0), "d": (3, 0, 0)})
    assert lay.held_back == {"d": 3}
    about = {
        # Ratings *of* a. a rates itself 4.8; b's levels 4 and 2 give b 3.0 (not the pooled
        # 40/15 = 2.67); c rates a 1.6; d's 1s are held back. Others: (3.0 + 1.6) / 2 = 2.3.
        ("C2", "a"): measure(
            respondents,
            lay,
            {
                ("a", "manager"): [5, 5, 5, 5, 4],
                ("b", "manager"): [4] * 5,
                ("b", "specialist"): [2] * 10,
                ("c", "manager"): [1, 1, 2, 2, 2],
                ("d", "leader"): [1] * 3,
            },
        ),
        # Ratings of b: a 3, b itself 4, c 2 → others 2.5, gap 1.5.
        ("C2", "b"): measure(
            respondents,
            lay,
            {
                ("a", "manager"): [3] * 5,
                ("b", "manager"): [4] * 5,
                ("b", "specialist"): [4] * 10,
                ("c", "manager"): [2] * 5,
                ("d", "leader"): [5] * 3,
            },
        ),
        # Ratings of c: only four of c's five rate c, so its self-rating is not shown and
        # there is no self-other gap for c.
        ("C2", "c"): measure(
            respondents,
            lay,
            {
                ("a", "manager"): [3] * 5,
                ("b", "manager"): [3] * 5,
                ("b", "specialist"): [3] * 10,
                ("c", "manager"): [5, 5, 5, 5, None],
                ("d", "leader"): [5] * 3,
            },
        ),
    }
    found = {s.party: s for s in al.self_other(about, ["a", "b", "c", "d"])}
    assert set(found) == {"a", "b"}
    assert found["a"].self_rating == pytest.approx(4.8)
    assert found["a"].others_rating == pytest.approx(2.3)
    assert found["a"].gap == pytest.approx(2.5)
    assert (found["b"].self_rating, found["b"].others_rating) == pytest.approx((4.0, 2.5))
    assert found["b"].gap == pytest.approx(1.5)
    assert all(s.construct == "C2" for s in found.values())


def test_trust_asymmetry_compares_each_direction():
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0)})
    both = {("a", "manager"): [4] * 5, ("b", "manager"): [2] * 5}
    # about[("C2", "b")].parties["a"] is a's trust in b (4); the reverse is b's in a (2).
    about = {
        ("C2", "a"): measure(respondents, lay, both),
        ("C2", "b"): measure(respondents, lay, both),
    }
    (found,) = al.asymmetry(about, ["a", "b"], "C2")
    assert (found.a, found.b, found.a_rates_b, found.b_rates_a) == ("a", "b", 4.0, 2.0)
    assert found.difference == pytest.approx(2.0)


# -- gaps between levels ---------------------------------------------------------------------


def test_level_gaps_within_each_party():
    respondents, lay = crowd(
        {
            "a": (5, 5, 5),  # three shown cells
            "b": (3, 6, 5),  # leaders shown with managers
            "c": (2, 2, 2),  # one merged cell: no gap
            "d": (5, 5, 5),  # managers do not answer this construct
            "e": (5, 5, 5),  # specialists do not answer this construct
        }
    )
    values = {
        # a: leaders 23/5 = 4.6, managers 3.0, specialists 11/5 = 2.2
        ("a", "leader"): [5, 5, 5, 4, 4],
        ("a", "manager"): [3] * 5,
        ("a", "specialist"): [2, 2, 2, 3, 2],
        # b: leaders + managers (15 + 24) / 9 = 4.333; specialists 5.0
        ("b", "leader"): [5] * 3,
        ("b", "manager"): [4] * 6,
        ("b", "specialist"): [5] * 5,
        ("c", "leader"): [1] * 2,
        ("c", "manager"): [5] * 2,
        ("c", "specialist"): [3] * 2,
        # d: leaders 4, managers not shown (nobody answered), specialists 2
        ("d", "leader"): [4] * 5,
        ("d", "manager"): [None] * 5,
        ("d", "specialist"): [2] * 5,
        # e: leaders 4, managers 3, specialists not shown
        ("e", "leader"): [4] * 5,
        ("e", "manager"): [3] * 5,
        ("e", "specialist"): [None, None, 5, 5, 5],  # 3 answers: below the floor
    }
    found = {g.party: g for g in al.level_gaps({"C1": measure(respondents, lay, values)}, lay)}
    assert set(found) == {"a", "b", "d", "e"}
    a = found["a"]
    assert a.construct == "C1"
    assert a.spread == pytest.approx(4.6 - 2.2)
    assert (a.highest, a.lowest) == ("Leaders", "Specialists and clinicians")
    assert a.leaders_minus_specialists == pytest.approx(2.4)
    b = found["b"]
    assert b.spread == pytest.approx(5 - 39 / 9)
    assert (b.highest, b.lowest) == ("Specialists and clinicians", "Leaders + managers")
    assert b.leaders_minus_specialists == pytest.approx(39 / 9 - 5)
    d = found["d"]
    assert d.spread == pytest.approx(2.0) and d.leaders_minus_specialists == pytest.approx(2.0)
    e = found["e"]
    assert e.spread == pytest.approx(1.0) and (e.highest, e.lowest) == ("Leaders", "Managers")
    assert e.leaders_minus_specialists is None  # no shown specialists to compare with


def test_level_gaps_are_per_construct():
    respondents, lay = crowd({"a": (5, 0, 5)})
    c1 = measure(respondents, lay, {("a", "leader"): [4] * 5, ("a", "specialist"): [3] * 5})
    c3 = measure(respondents, lay, {("a", "leader"): [2] * 5, ("a", "specialist"): [5] * 5})
    found = {g.construct: g for g in al.level_gaps({"C1": c1, "C3": c3}, lay)}
    assert found["C1"].leaders_minus_specialists == pytest.approx(1.0)
    assert found["C3"].leaders_minus_specialists == pytest.approx(-3.0)
    assert found["C3"].spread == pytest.approx(3.0)


# -- gaps between parties --------------------------------------------------------------------


def test_party_gaps_every_pair_with_hedges_g():
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0), "c": (0, 5, 0), "d": (0, 2, 0)})
    values = {
        ("a", "manager"): [4, 5, 4, 4, 5],  # mean 4.4, variance 0.3
        ("b", "manager"): [2, 3, 2, 2, 3],  # mean 2.4, variance 0.3
        ("c", "manager"): [3] * 5,  # mean 3.0, variance 0
        ("d", "manager"): [1, 1],  # held back
    }
    found = {(g.a, g.b): g for g in al.party_gaps({"C4": measure(respondents, lay, values)})}
    assert list(found) == [("a", "b"), ("a", "c"), ("b", "c")]
    correction = 1 - 3 / (4 * 10 - 9)  # 28/31
    # a − b: pooled SD √0.3
    assert found[("a", "b")].difference == pytest.approx(2.0)
    assert found[("a", "b")].hedges_g == pytest.approx(2.0 / np.sqrt(0.3) * correction)
    # a − c: pooled SD √((4·0.3 + 0) / 8) = √0.15
    assert found[("a", "c")].difference == pytest.approx(1.4)
    assert found[("a", "c")].hedges_g == pytest.approx(1.4 / np.sqrt(0.15) * correction)
    assert found[("b", "c")].difference == pytest.approx(-0.6)
    assert found[("b", "c")].hedges_g == pytest.approx(-0.6 / np.sqrt(0.15) * correction)
    assert all(g.construct == "C4" for g in found.values())


def test_a_party_gap_between_unanimous_parties_has_a_point_interval():
    # Everyone in a cell gives the same answer: every resample has the same mean, so the
    # interval of the difference is the difference itself. Party b's score is the mean of
    # its two levels, (5 + 3) / 2 = 4, whatever their sizes.
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 9)})
    values = {("a", "manager"): [2] * 5, ("b", "manager"): [5] * 5, ("b", "specialist"): [3] * 9}
    (gap,) = al.party_gaps({"C1": measure(respondents, lay, values)})
    assert gap.difference == pytest.approx(-2.0)
    assert gap.ci == pytest.approx((-2.0, -2.0))
    assert gap.hedges_g is not None and gap.hedges_g < 0


def test_a_party_gap_interval_comes_from_the_same_replicates():
    respondents, lay = crowd({"a": (0, 6, 0), "b": (0, 6, 0)})
    values = {("a", "manager"): [4, 5, 4, 3, 5, 4], ("b", "manager"): [2, 3, 2, 4, 3, 2]}
    agg = measure(respondents, lay, values)
    (gap,) = al.party_gaps({"C1": agg})
    assert gap.difference == pytest.approx(25 / 6 - 16 / 6)
    replicates = agg.parties["a"].replicates - agg.parties["b"].replicates
    assert gap.ci == pytest.approx(tuple(np.percentile(replicates, [2.5, 97.5])))
    low, high = gap.ci
    # A resampled mean stays within its data: 3 − 4 = −1 ≤ low ≤ difference ≤ high ≤ 5 − 2 = 3
    assert -1 <= low <= gap.difference <= high <= 3
    assert low > 0  # the parties are clearly apart


def test_no_party_gap_when_a_party_shows_no_score():
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0)})
    values = {("a", "manager"): [4] * 5, ("b", "manager"): [3, 3, None, None, None]}
    assert al.party_gaps({"C1": measure(respondents, lay, values)}) == []


# -- ICC by party ----------------------------------------------------------------------------


def test_icc_by_party_of_a_worked_example():
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0), "c": (0, 2, 0)})
    values = {
        ("a", "manager"): [1, 2, 3, 2, 2],  # mean 2, SS 2
        ("b", "manager"): [4, 5, 3, 4, 4],  # mean 4, SS 2
        ("c", "manager"): [5, 5],  # held back: not a group
    }
    # Grand mean 3: SSB = 5·1 + 5·1 = 10, MSB = 10; SSW = 4, MSW = 4 / 8 = 0.5; k = 5.
    # ICC(1) = 9.5 / (10 + 4 · 0.5) = 9.5 / 12; ICC(2) = 9.5 / 10; F = 20.
    found = al.icc_by_party({"C1": measure(respondents, lay, values)})["C1"]
    assert found.icc1 == pytest.approx(9.5 / 12)
    assert found.icc2 == pytest.approx(0.95)
    assert found.f == pytest.approx(20.0)
    assert (found.groups, found.n, found.k) == (2, 10, pytest.approx(5))
    assert scipy_stats.f_oneway(values[("a", "manager")], values[("b", "manager")]).statistic == (
        pytest.approx(found.f)
    )


def test_icc_by_party_with_unequal_parties_agrees_with_scipy():
    respondents, lay = crowd({"a": (5, 0, 3), "b": (0, 7, 0), "c": (0, 0, 5)})
    values = {
        ("a", "leader"): [4, 5, 4, 4, 3],
        ("a", "specialist"): [5, 4, 5],  # shown with the leaders: a has one cell of 8
        ("b", "manager"): [2, 3, 3, 2, 4, 3, 2],
        ("c", "specialist"): [3, 4, 3, 3, 5],
    }
    found = al.icc_by_party({"C2": measure(respondents, lay, values)})["C2"]
    groups = [
        values[("a", "leader")] + values[("a", "specialist")],
        values[("b", "manager")],
        values[("c", "specialist")],
    ]
    f = scipy_stats.f_oneway(*groups).statistic
    n = 20
    k = (n - (8**2 + 7**2 + 5**2) / n) / 2  # (20 − 138/20) / 2 = 6.55
    assert found.k == pytest.approx(6.55) == k
    assert found.f == pytest.approx(f)
    assert found.icc1 == pytest.approx((f - 1) / (f + k - 1))
    assert found.icc2 == pytest.approx(1 - 1 / f)


def test_icc_needs_two_shown_parties():
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0)})
    one = measure(respondents, lay, {("a", "manager"): [4] * 5, ("b", "manager"): [None] * 5})
    assert al.icc_by_party({"C1": one}) == {"C1": None}


# -- profile agreement -----------------------------------------------------------------------


def items_of(respondents, lay, profiles: dict[str, list]):
    """One aggregate per statement; ``profiles[party]`` is each statement's answers (all
    of the party's members give the same answer, or None for nobody answering)."""
    count = len(next(iter(profiles.values())))
    out = {}
    for j in range(count):
        values = [profiles[r.party][j] for r in respondents]
        out[f"Q{j + 1}"] = ag.aggregate(values, lay, key=f"Q{j + 1}", resamples=1)
    return out


def test_profile_alpha_of_a_worked_example():
    # Party means (1, 2, 3) and (1, 2, 4): D_o = (0 + 0 + 1·2/1) / 6 = 1/3;
    # D_e = Σ squared differences of all pairs of {1,1,2,2,3,4} · 2 / (6·5) = 82/30.
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0)})
    items = items_of(respondents, lay, {"a": [1, 2, 3], "b": [1, 2, 4]})
    assert al.profile_alpha(items, ["a", "b"]) == pytest.approx(1 - (1 / 3) / (82 / 30))


def test_profile_alpha_agrees_with_the_krippendorff_package():
    # Three parties, five statements; c's fourth statement is not shown (four answers).
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 5, 0), "c": (0, 5, 0), "d": (0, 3, 0)})
    profiles = {
        "a": [4, 2, 5, 3, 4],
        "b": [4, 3, 4, 2, 4],
        "c": [5, 1, 4, 4, 2],
        "d": [1, 5, 1, 5, 1],  # held back: not a coder
    }
    items = items_of(respondents, lay, profiles)
    # Take one of c's answers to Q4 away: four answers, so no mean for c on Q4.
    c_rows = [i for i, r in enumerate(respondents) if r.party == "c"]
    q4 = [profiles[r.party][3] for r in respondents]
    q4[c_rows[0]] = None
    items["Q4"] = ag.aggregate(q4, lay, key="Q4", resamples=1)
    assert items["Q4"].parties["c"].mean is None
    reference = np.array(
        [profiles["a"], profiles["b"], [5, 1, 4, np.nan, 2]], dtype=float
    )  # coders × units
    expected = krippendorff.alpha(reliability_data=reference, level_of_measurement="interval")
    assert al.profile_alpha(items, ["a", "b", "c", "d"]) == pytest.approx(expected, abs=1e-12)
    assert al.profile_alpha(items, list(lay.parties)) == pytest.approx(expected, abs=1e-12)


def test_profile_alpha_needs_two_shown_parties():
    respondents, lay = crowd({"a": (0, 5, 0), "b": (0, 2, 0)})
    items = items_of(respondents, lay, {"a": [1, 2, 3], "b": [3, 2, 1]})
    assert al.profile_alpha(items, ["a", "b"]) is None
