"""The fairness view's shares and gaps (carepact.engine.value.shares)."""

import pytest

from carepact.engine.value.shares import SharesError, check_agreed, fairness

PARTIES = ["nhs", "pharma"]


def test_without_an_agreement_the_gap_is_received_minus_put_in():
    rows = fairness(PARTIES, {"nhs": 3000, "pharma": 7000}, {"nhs": 6000, "pharma": 4000})
    nhs, pharma = rows
    assert (nhs.contribution_share, nhs.realised_share) == (0.3, 0.6)
    assert nhs.gap == pytest.approx(0.3) and nhs.gap_basis == "contribution"
    assert pharma.gap == pytest.approx(-0.3) and pharma.imbalanced
    assert nhs.agreed_share is None


def test_with_an_agreement_the_gap_is_received_minus_agreed():
    rows = fairness(
        PARTIES,
        {"nhs": 3000, "pharma": 7000},
        {"nhs": 4500, "pharma": 5500},
        {"nhs": 0.5, "pharma": 0.5},
    )
    assert [r.gap_basis for r in rows] == ["agreed", "agreed"]
    assert rows[0].gap == pytest.approx(-0.05) and not rows[0].imbalanced  # 5 points: fine


GAPS = [
    # (received shares nhs/pharma, imbalanced?)
    ((5000, 5000), False),  # even, as put in
    ((5900, 4100), False),  # 9 points off: not flagged
    ((6000, 4000), True),  # 10 points off: flagged
]


@pytest.mark.parametrize(("received", "flagged"), GAPS)
def test_imbalance_truth_table(received, flagged):
    rows = fairness(PARTIES, {"nhs": 1, "pharma": 1}, dict(zip(PARTIES, received, strict=True)))
    assert rows[0].imbalanced is flagged


def test_nothing_received_yet_means_no_share_and_no_gap():
    rows = fairness(PARTIES, {"nhs": 100}, {})
    assert rows[0].contribution_share == 1.0 and rows[1].contribution_share == 0.0
    assert rows[0].realised_share is None and rows[0].gap is None


@pytest.mark.parametrize(
    ("agreed", "words"),
    [
        ({"nhs": 0.6, "pharma": 0.3}, "add up to 100%"),
        ({"nhs": 1.2, "pharma": -0.2}, "between 0 and 1"),
        ({"nhs": 0.5, "elsewhere": 0.5}, "not in the partnership"),
    ],
)
def test_agreed_shares_must_divide_the_benefits(agreed, words):
    with pytest.raises(SharesError, match=words):
        check_agreed(agreed, PARTIES)
