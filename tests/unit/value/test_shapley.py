"""Exact Shapley values against games worked out by hand, and the properties they must keep."""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepact.engine.value.shapley import (
    MAX_PARTIES,
    GameError,
    check_efficiency,
    efficiency_gap,
    game_from_mapping,
    shapley,
)

F = Fraction


def values_of(table, parties=None):
    return shapley(game_from_mapping(table, parties))


def test_three_parties_with_nothing_alone():
    # Orders and A's marginal contributions: ABC 0, ACB 0, BAC 90, BCA 50, CAB 80, CBA 50.
    # A = 270/6 = 45; likewise B = 240/6 = 40 and C = 210/6 = 35; together 120.
    table = {"A": 0, "B": 0, "C": 0, "A+B": 90, "A+C": 80, "B+C": 70, "A+B+C": 120}
    assert values_of(table) == {"A": 45, "B": 40, "C": 35}


def test_three_parties_each_worth_something_alone():
    # NHS: first 10, 10; after Pharma 50-20 = 30; after Uni 60-30 = 30; last 120-70 = 50, 50
    #   = 180/6 = 30. Pharma: 20, 20, 40, 40, 60, 60 = 240/6 = 40. Uni: 300/6 = 50.
    table = {
        "NHS": 10,
        "Pharma": 20,
        "Uni": 30,
        "NHS+Pharma": 50,
        "NHS+Uni": 60,
        "Pharma+Uni": 70,
        "NHS+Pharma+Uni": 120,
    }
    assert values_of(table) == {"NHS": 30, "Pharma": 40, "Uni": 50}


def test_the_glove_game():
    # One right glove R and two left gloves: a pair is worth 1. R completes a pair in the
    # four orders where it does not come first: 4/6 = 2/3; each left glove only in the one
    # order R, itself, the other: 1/6.
    table = {"R": 0, "L1": 0, "L2": 0, "R+L1": 1, "R+L2": 1, "L1+L2": 0, "R+L1+L2": 1}
    assert values_of(table) == {"R": F(2, 3), "L1": F(1, 6), "L2": F(1, 6)}


def test_an_additive_game_gives_each_party_its_own_value():
    table = {"A": 3, "B": 5, "C": 11, "A+B": 8, "A+C": 14, "B+C": 16, "A+B+C": 19}
    assert values_of(table) == {"A": 3, "B": 5, "C": 11}


def test_names_in_any_order_and_an_omitted_empty_coalition():
    table = {"": 0, "B": 0, "A": 0, "B+A": 6}
    assert values_of(table, ["A", "B"]) == {"A": 3, "B": 3}
    assert values_of({"B": 0, "A": 0, " A + B ": 6}) == {"B": 3, "A": 3}


def test_decimal_values_stay_exact():
    from decimal import Decimal

    table = {"A": Decimal("0.1"), "B": Decimal("0.2"), "A+B": Decimal("0.3")}
    result = values_of(table)
    assert result == {"A": F(1, 10), "B": F(2, 10)}


ERRORS = [
    # (table, words in the error)
    ({"A": 0, "B": 0}, "missing the value of coalition 'A+B'"),  # the pair is missing
    ({"A": 0, "A+B": 1}, "missing the value of coalition 'B'"),  # a single is missing
    ({"A": 0, "B": 0, "A+B": 1, "B+A": 2}, "are the same coalition"),  # given twice
    ({"A": 0, "A+A": 1}, "names a party twice"),
    ({"A": 0, "A+": 1}, "empty party name"),
    ({"A": "lots"}, "not a finite number"),
    ({"A": True}, "not a number"),
    ({"A": None}, "not a number"),
    ({"A": float("nan")}, "not a finite number"),
    ({"": 5, "A": 1}, "empty coalition must be worth 0"),
    ({}, "no parties"),
]


@pytest.mark.parametrize(("table", "words"), ERRORS)
def test_a_table_that_is_not_a_game_is_refused_with_the_reason(table, words):
    with pytest.raises(GameError, match=words.replace("+", r"\+")):
        game_from_mapping(table)


def _full_table(names, value):
    return {
        "+".join(c): value(c)
        for size in range(1, len(names) + 1)
        for c in itertools.combinations(names, size)
    }


def test_twelve_parties_are_computed_and_thirteen_refused():
    names = [f"P{i}" for i in range(MAX_PARTIES)]
    game = game_from_mapping(_full_table(names, lambda c: len(c) ** 2))
    result = shapley(game)
    check_efficiency(game, result)
    assert set(result.values()) == {F(12)}  # symmetric parties share 144 equally
    with pytest.raises(GameError, match="at most 12"):
        game_from_mapping(_full_table([f"P{i}" for i in range(13)], len))


def _by_permutations(game):
    """An independent oracle: average marginal contributions over every order."""
    n = len(game.parties)
    totals = dict.fromkeys(game.parties, F(0))
    for order in itertools.permutations(game.parties):
        present: set = set()
        for party in order:
            before = game.value(present)
            present.add(party)
            totals[party] += game.value(present) - before
    return {p: v / math.factorial(n) for p, v in totals.items()}


games = st.integers(min_value=1, max_value=5).flatmap(
    lambda n: st.lists(
        st.integers(min_value=-1000, max_value=1000), min_size=2**n - 1, max_size=2**n - 1
    ).map(lambda values: (n, values))
)


@settings(max_examples=60, deadline=None)
@given(games)
def test_efficiency_and_agreement_with_the_permutation_oracle(spec):
    n, values = spec
    names = [f"party{i}" for i in range(n)]
    table = {}
    for mask in range(1, 2**n):
        table["+".join(names[k] for k in range(n) if mask >> k & 1)] = values[mask - 1]
    game = game_from_mapping(table)
    result = shapley(game)
    assert efficiency_gap(game, result) == 0  # the values add up to the grand coalition
    assert sum(result.values()) == game.grand
    assert result == _by_permutations(game)


def test_a_null_party_gets_nothing_and_symmetric_parties_get_the_same():
    # D adds nothing anywhere; A and B are interchangeable.
    base = {"A": 1, "B": 1, "C": 2, "A+B": 4, "A+C": 5, "B+C": 5, "A+B+C": 9}
    table = dict(base)
    for key, value in base.items():
        table[f"{key}+D"] = value
    table["D"] = 0
    result = values_of(table)
    assert result["D"] == 0 and result["A"] == result["B"]
