"""Cells, merging and holding back below the floor; party and partnership scores; bands."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepact.engine.health import aggregate as ag
from carepact.engine.health.scoring import LEVELS, Respondent


def people(party, counts):
    """Respondents of one party: counts of leaders, managers, specialists."""
    out = []
    for level, count in zip(LEVELS, counts, strict=True):
        out += [Respondent(f"{party}{level}{i}", party, level, {}) for i in range(count)]
    return out


@pytest.mark.parametrize(
    ("counts", "cells"),
    [
        ((5, 5, 5), [("leader",), ("manager",), ("specialist",)]),  # all at the floor: as they are
        ((3, 6, 7), [("leader", "manager"), ("specialist",)]),  # leaders join managers
        ((6, 3, 7), [("leader", "manager"), ("specialist",)]),  # managers join the smaller side
        ((6, 7, 2), [("leader",), ("manager", "specialist")]),  # specialists join managers
        ((2, 2, 2), [("leader", "manager", "specialist")]),  # merged twice into one
        ((2, 9, 2), [("leader", "manager", "specialist")]),  # both ends join the middle
        ((0, 6, 0), [("manager",)]),  # a level nobody answered is no cell
        ((0, 3, 3), [("manager", "specialist")]),  # two small cells make one
    ],
)
def test_small_cells_merge_with_a_neighbouring_level(counts, cells):
    lay = ag.layout(people("a", counts), ["a"])
    assert [c.levels for c in lay.cells["a"]] == cells
    assert all(c.n >= 5 for c in lay.cells["a"])
    assert bool(lay.notes) == (cells != [(lv,) for lv, n in zip(LEVELS, counts, strict=True) if n])


@pytest.mark.parametrize("counts", [(1, 1, 1), (4, 0, 0), (0, 0, 0)])
def test_a_party_below_the_floor_is_held_back(counts):
    lay = ag.layout(people("a", counts) + people("b", (5, 0, 0)), ["a", "b"])
    assert "a" not in lay.cells and lay.held_back == {"a": sum(counts)}
    assert lay.parties == ("b",)


def test_cell_labels_say_which_levels_are_merged():
    lay = ag.layout(people("a", (3, 6, 7)), ["a"])
    assert [c.label for c in lay.cells["a"]] == ["Leaders + managers", "Specialists and clinicians"]


def test_a_party_score_is_the_unweighted_mean_of_its_levels():
    respondents = people("a", (0, 5, 10))
    values = [4.0] * 5 + [2.0] * 10
    result = ag.aggregate(values, ag.layout(respondents, ["a"]))
    assert result.parties["a"].mean == pytest.approx(3.0)  # not the pooled 2.67
    assert result.pooled.mean == pytest.approx(40 / 15)
    assert result.parties["a"].n == 15


def test_the_partnership_weighs_parties_equally_unless_told_otherwise():
    respondents = people("a", (5, 0, 0)) + people("b", (0, 0, 20))
    values = [4.0] * 5 + [2.0] * 20
    lay = ag.layout(respondents, ["a", "b"])
    assert ag.aggregate(values, lay).partnership.mean == pytest.approx(3.0)
    weighted = ag.aggregate(values, lay, weights={"a": 3, "b": 1})
    assert weighted.partnership.mean == pytest.approx(3.5)


def test_a_cell_with_too_few_answers_to_one_construct_shows_nothing_for_it():
    respondents = people("a", (5, 6, 0))
    values = [4.0, 4.0, 4.0, 4.0, None] + [2.0] * 6  # four leaders answered
    result = ag.aggregate(values, ag.layout(respondents, ["a"]))
    leaders = result.cells["a|leader"]
    assert leaders.mean is None and leaders.n == 4
    assert result.parties["a"].mean == 2.0 and result.parties["a"].n == 6


def test_a_held_back_party_enters_no_figure():
    respondents = people("a", (5, 0, 0)) + people("b", (2, 0, 0))
    values = [4.0] * 5 + [1.0] * 2
    result = ag.aggregate(values, ag.layout(respondents, ["a", "b"]))
    assert set(result.parties) == {"a"}
    assert result.partnership.mean == result.pooled.mean == 4.0


def test_intervals_are_seeded_and_contain_the_mean():
    respondents = people("a", (0, 8, 0))
    values = [3.0, 4.0, 5.0, 4.0, 2.0, 4.0, 3.0, 5.0]
    first = ag.aggregate(values, ag.layout(respondents, ["a"]), key="x")
    again = ag.aggregate(values, ag.layout(respondents, ["a"]), key="x")
    assert first.partnership.ci == again.partnership.ci
    low, high = first.partnership.ci
    assert low < first.partnership.mean < high


def test_a_difference_carries_the_interval_of_the_same_replicates():
    respondents = [*people("a", (0, 6, 0)), *people("b", (0, 6, 0))]
    values = [4.0, 5.0, 4.0, 4.0, 5.0, 4.0, 2.0, 3.0, 2.0, 2.0, 3.0, 2.0]
    result = ag.aggregate(values, ag.layout(respondents, ["a", "b"]))
    diff, (low, high) = ag.difference(result.parties["a"], result.parties["b"])
    assert diff == pytest.approx(2.0) and low <= diff <= high and low > 1


@pytest.mark.parametrize(
    ("mean", "expected"),
    [
        (2.99, "concern"),  # below 3.0
        (3.0, "discuss"),  # the cut-point belongs to the band above
        (3.99, "discuss"),
        (4.0, "strength"),
        (4.59, "strength"),
        (4.6, "excellent"),
        (None, None),  # suppressed
    ],
)
def test_bands(mean, expected):
    found = ag.band(mean)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("ci", "n", "expected"),
    [
        ((3.8, 4.2), 10, True),  # crosses 4.0
        ((4.1, 4.5), 10, False),  # inside one band
        ((4.4, 4.7), 10, True),  # crosses 4.6
        ((3.0, 3.5), 10, False),  # touching a cut from above does not cross it
        ((2.9, 3.0), 10, True),  # ... reaching it from below does
        ((4.1, 4.5), 4, True),  # too few people
        (None, 10, True),  # no interval
    ],
)
def test_provisional_bands(ci, n, expected):
    assert ag.provisional(ci, n) is expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 8), st.integers(0, 8)), min_size=2, max_size=3
    ),
    st.randoms(use_true_random=False),
)
def test_every_figure_is_made_of_shown_cells_only(counts, rnd):
    """No shown figure can be subtracted from another to reveal a group below the floor."""
    parties = [f"p{i}" for i in range(len(counts))]
    respondents = [r for p, c in zip(parties, counts, strict=True) for r in people(p, c)]
    values = [rnd.choice([None, 1.0, 2.0, 3.0, 4.0, 5.0]) for _ in respondents]
    lay = ag.layout(respondents, parties)
    result = ag.aggregate(values, lay, resamples=20)
    for party, cells in lay.cells.items():
        assert all(c.n >= 5 for c in cells)
        shown = [result.cells[c.key] for c in cells if result.cells[c.key].shown]
        assert all(e.n >= 5 for e in shown)
        if shown:
            assert result.parties[party].mean == pytest.approx(np.mean([e.mean for e in shown]))
            assert result.parties[party].n == sum(e.n for e in shown)
    for party in lay.held_back:
        assert party not in result.parties
    scored = [e.mean for e in result.parties.values() if e.shown]
    if scored:
        assert result.partnership.mean == pytest.approx(np.mean(scored))
