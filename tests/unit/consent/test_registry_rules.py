"""Who may manage a consent registry: a truth table over membership and standing."""

import pytest

from carepact.consent.rules import REGISTRY_RULES, RegistryAction, Standing, decide

NONE = frozenset()
ADMIN = frozenset({Standing.ADMIN})
STEWARD = frozenset({Standing.DATA_STEWARD})
BOTH = ADMIN | STEWARD

CASES = [
    # Not a member of the organisation: refused, whatever else they are.
    (False, BOTH, False),
    # A member with no standing (the organisation's ordinary staff): refused with the reason.
    (True, NONE, False),
    # An administrator of the organisation.
    (True, ADMIN, True),
    # A data steward of the organisation in any partnership.
    (True, STEWARD, True),
    # Both.
    (True, BOTH, True),
]


@pytest.mark.parametrize("action", list(RegistryAction))
@pytest.mark.parametrize(("member", "standings", "allowed"), CASES)
def test_registry_rules(action, member, standings, allowed):
    decision = decide(action, is_member=member, standings=standings)
    assert decision.allowed is allowed
    assert decision.allowed or decision.reason


def test_every_action_has_a_rule_with_a_description():
    assert set(REGISTRY_RULES) == set(RegistryAction)
    assert all(rule.description and rule.denial for rule in REGISTRY_RULES.values())
