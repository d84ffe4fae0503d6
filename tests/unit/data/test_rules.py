"""Who may act on a partnership's data: each action's needs, as a truth table."""

import pytest

from carepact.data.rules import DENIALS, RULES, DataAction, Need, decide

PARTY = {Need.PARTY}
CONTRIBUTOR = PARTY | {Need.CONTRIBUTOR}
STEWARD_ELSEWHERE = CONTRIBUTOR | {Need.STEWARD}  # a steward, of another organisation
OWNER_STEWARD = STEWARD_ELSEWHERE | {Need.OWNER_STEWARD}
RECIPIENT = CONTRIBUTOR | {Need.RECIPIENT}
NAMED_RECIPIENT = RECIPIENT | {Need.NAMED}
NAMED_OBSERVER = PARTY | {Need.RECIPIENT, Need.NAMED}  # named, but only an observer

A = DataAction
CASES = [
    # Anyone outside the parties: nothing.
    (A.VIEW, set(), False),
    # Any party member, even an observer, may look.
    (A.VIEW, PARTY, True),
    # Registering a dataset needs the data-steward role.
    (A.REGISTER, CONTRIBUTOR, False),
    (A.REGISTER, STEWARD_ELSEWHERE, True),
    # Managing a dataset needs stewardship for its owner, not any organisation.
    (A.MANAGE_DATASET, STEWARD_ELSEWHERE, False),
    (A.MANAGE_DATASET, OWNER_STEWARD, True),
    # Asking needs a role other than observer.
    (A.REQUEST, PARTY, False),
    (A.REQUEST, CONTRIBUTOR, True),
    # Reviewing and releasing are for the owner's stewards.
    (A.REVIEW, STEWARD_ELSEWHERE, False),
    (A.REVIEW, OWNER_STEWARD, True),
    (A.RELEASE, CONTRIBUTOR, False),
    (A.RELEASE, OWNER_STEWARD, True),
    # Downloading needs the recipient organisation and a name in the request.
    (A.DOWNLOAD, OWNER_STEWARD, False),
    (A.DOWNLOAD, RECIPIENT, False),
    (A.DOWNLOAD, NAMED_RECIPIENT, True),
    (A.DOWNLOAD, NAMED_OBSERVER, True),
    # Acknowledging an obligation: someone of the recipient with a real role.
    (A.ACKNOWLEDGE, NAMED_OBSERVER, False),
    (A.ACKNOWLEDGE, RECIPIENT, True),
    (A.ACKNOWLEDGE, OWNER_STEWARD, False),
]


@pytest.mark.parametrize(("action", "facts", "allowed"), CASES)
def test_data_rules(action, facts, allowed):
    decision = decide(action, frozenset(facts))
    assert decision.allowed is allowed
    if not allowed:
        missing = [n for n in Need if n in RULES[action].needs and n not in facts]
        assert decision.reason == DENIALS[missing[0]]


def test_every_action_and_need_is_declared():
    assert set(RULES) == set(DataAction)
    assert set(DENIALS) == set(Need)
    assert all(Need.PARTY in rule.needs and rule.description for rule in RULES.values())
