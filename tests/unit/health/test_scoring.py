"""One respondent's scores, by hand."""

import pytest

from carepact.engine.health import scoring as sc
from carepact.engine.health.instrument import load

INSTRUMENT = load()
PARTIES = ["a", "b", "c"]


def person(answers, party="a", level="manager"):
    return sc.Respondent("t", party, level, answers)


def test_a_construct_needs_two_of_its_three_statements():
    c1 = INSTRUMENT.construct("C1")
    assert sc.construct_score(c1, person({"C1.1": 4, "C1.2": 2}), PARTIES) == 3.0
    assert sc.construct_score(c1, person({"C1.1": 4, "C1.2": "dk", "C1.3": "na"}), PARTIES) is None
    assert sc.construct_score(c1, person({"C1.1": 5, "C1.2": 4, "C1.3": 3}), PARTIES) == 4.0


def test_dont_know_and_not_applicable_are_missing_not_the_midpoint():
    c1 = INSTRUMENT.construct("C1")
    score = sc.construct_score(c1, person({"C1.1": 5, "C1.2": 5, "C1.3": "dk"}), PARTIES)
    assert score == 5.0


def test_the_negatively_worded_voice_statement_is_reversed():
    c9 = INSTRUMENT.construct("C9")
    # C9.3 answered 1 ("strongly disagree that we are left out") scores 5
    assert sc.construct_score(
        c9, person({"C9.1": 4, "C9.2": 4, "C9.3": 1}), PARTIES
    ) == pytest.approx(13 / 3)


def test_a_directional_construct_averages_the_other_parties_and_leaves_out_ones_own():
    c2 = INSTRUMENT.construct("C2")
    answers = {
        **{f"C2.{k}@a": 5 for k in (1, 2, 3)},  # own party: not in the score
        **{f"C2.{k}@b": 2 for k in (1, 2, 3)},
        "C2.1@c": 4,
        "C2.2@c": 3,  # two of three: counts (3.5)
    }
    assert sc.construct_score(c2, person(answers), PARTIES) == pytest.approx((2 + 3.5) / 2)
    assert sc.about_score(c2, person(answers), "a") == 5.0
    assert sc.about_score(c2, person({"C2.1@c": 4}), "c") is None


def test_a_pulse_scores_the_anchor_alone():
    c4 = INSTRUMENT.construct("C4")
    assert sc.construct_score(c4, person({"C4.1": 2}), PARTIES, "pulse") == 2.0
    assert sc.construct_score(c4, person({"C4.2": 2}), PARTIES, "pulse") is None


def test_mistrust_is_reported_on_its_own_higher_meaning_more_mistrust():
    answers = {"M.1@b": 4, "M.2@b": 5, "M.1@c": 2, "M.1@a": 1}
    assert sc.mistrust_score(INSTRUMENT, person(answers), PARTIES) == pytest.approx((4.5 + 2) / 2)


def test_influence_ratings_become_shares_only_when_every_party_is_rated():
    shares = sc.influence_shares(INSTRUMENT, person({"I@a": 2, "I@b": 4, "I@c": 2}), PARTIES)
    assert shares == pytest.approx({"a": 0.25, "b": 0.5, "c": 0.25})
    assert (
        sc.influence_shares(INSTRUMENT, person({"I@a": 2, "I@b": "dk", "I@c": 2}), PARTIES) is None
    )


def test_dont_know_counts_per_construct():
    c2 = INSTRUMENT.construct("C2")
    answers = {"C2.1@b": "dk", "C2.2@b": 3, "C2.1@c": "dk"}
    # asked about the two other parties: 3 statements × 2
    assert sc.dont_know_counts(c2, person(answers), PARTIES) == (2, 6)
    assert (
        sc.balance(INSTRUMENT, person({"B": 2})) == 2
        and sc.balance(INSTRUMENT, person({"B": "dk"})) is None
    )
