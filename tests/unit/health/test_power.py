"""Voice, perceived and intended influence shares, the balance index and dominance."""

import pytest

from carepact.engine.health import aggregate as ag
from carepact.engine.health import power as pw
from carepact.engine.health.scoring import Respondent


def lay_of(sizes):
    respondents = [
        Respondent(f"{p}{i}", p, "manager", {}) for p, n in sizes.items() for i in range(n)
    ]
    return respondents, ag.layout(respondents, list(sizes))


def test_two_parties_equal_shares_balance_perfectly():
    assert pw.balance_index([0.5, 0.5]) == 1.0
    assert pw.balance_index([0.7, 0.3]) == pytest.approx(0.6)  # 1 − (0.7 − 0.3)


def test_three_parties_use_one_minus_gini():
    assert pw.balance_index([0.5, 0.25, 0.25]) == pytest.approx(1 - 1 / 6)
    assert pw.balance_index([1.0]) is None


def test_intended_shares_default_to_equal_and_renormalise():
    assert pw.intended_shares(["a", "b"], None) == {"a": 0.5, "b": 0.5}
    assert pw.intended_shares(["a", "b"], {"a": 60, "b": 40}) == pytest.approx({"a": 0.6, "b": 0.4})
    assert pw.intended_shares(["a", "b"], {"a": 0, "b": 0}) == {"a": 0.5, "b": 0.5}


def test_unacknowledged_dominance_when_others_see_more_power_than_the_party_admits():
    _, lay = lay_of({"nhs": 5, "co": 5})
    # Each NHS respondent gives the company 0.7 of the influence; the company gives itself 0.5.
    share_co = [0.7] * 5 + [0.5] * 5
    share_nhs = [1 - s for s in share_co]
    influence = {
        "nhs": ag.aggregate(share_nhs, lay, resamples=50),
        "co": ag.aggregate(share_co, lay, resamples=50),
    }
    voice = ag.aggregate([2.5] * 5 + [4.0] * 5, lay, resamples=50)
    found = pw.power(voice, influence, ["nhs", "co"])
    co = next(s for s in found.shares if s.party == "co")
    assert co.perceived == pytest.approx(0.6)  # balanced: (0.7 + 0.5) / 2
    assert co.self_view == pytest.approx(0.5) and co.others_view == pytest.approx(0.7)
    assert co.others_minus_self == pytest.approx(0.2)
    assert co.dominance() == "unacknowledged"
    assert co.gap == pytest.approx(0.1)  # against the intended half
    assert found.balance_index == pytest.approx(1 - (0.6 - 0.4))
    assert found.voice == {"nhs": 2.5, "co": 4.0} and found.voice_gap == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("perceived", "self_view", "others_view", "expected"),
    [
        (0.65, 0.65, 0.65, "acknowledged"),  # everyone agrees it holds more than intended
        (0.60, 0.45, 0.75, "unacknowledged"),  # others see 30 points more than it admits
        (0.52, 0.50, 0.54, None),  # close to intended, views agree
        (0.39, 0.29, 0.50, None),  # others see more than it admits, but no more than its half
        (None, None, None, None),  # not measured
    ],
)
def test_dominance_readings(perceived, self_view, others_view, expected):
    share = pw.Share("p", perceived, None, 0.5, self_view, others_view)
    assert share.dominance() == expected


def test_one_shown_party_has_no_shares_to_compare():
    _, lay = lay_of({"nhs": 5})
    influence = {"nhs": ag.aggregate([0.5] * 5, lay, resamples=20)}
    found = pw.power(None, influence, ["nhs"])
    assert found.shares == () and found.balance_index is None
