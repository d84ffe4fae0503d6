"""The joint-accountability rule as a truth table."""

import pytest

from carepact.outcomes.rules import joint_accountability

TABLE = [
    # (owners' organisations, active parties, allowed?, words in the reason)
    (["Trust", "Company"], 2, True, ""),  # two parties: shared
    (["Trust", "Company", "University"], 3, True, ""),  # three parties
    (["Trust", "Trust", "Company"], 2, True, ""),  # two people of one party and one of another
    (["Trust"], 2, False, "every owner chosen is from Trust"),  # one party
    (["Trust", "Trust"], 3, False, "add an owner from another party"),  # two people, one party
    ([], 2, False, "choose at least one person from each of two parties"),  # nobody
    (["Trust"], 1, False, "invite a partner first"),  # only one organisation has joined
]


@pytest.mark.parametrize(("organisations", "parties", "allowed", "words"), TABLE)
def test_joint_accountability_truth_table(organisations, parties, allowed, words):
    decision = joint_accountability(organisations, active_parties=parties)
    assert decision.allowed is allowed
    if not allowed:
        assert words in decision.reason
