"""The permission rules as a truth table: every action, every role, member or not."""

import pytest

from carepact.partnerships.models import Role
from carepact.partnerships.rules import ACTION_RULES, ROLE_DESCRIPTIONS, Action, decide

NO_ROLE = frozenset()
LEAD = frozenset({Role.LEAD})
OBSERVER = frozenset({Role.OBSERVER})
MEMBER = frozenset({Role.MEMBER})
STEWARD = frozenset({Role.DATA_STEWARD})

TABLE = [
    # (action, party member?, roles, platform admin?, allowed?)
    (Action.VIEW, True, NO_ROLE, False, True),  # anyone in a party organisation reads
    (Action.VIEW, False, LEAD, False, False),  # a role without party membership is void
    (Action.VIEW, False, NO_ROLE, True, True),  # platform admins read everything
    (Action.VIEW_AUDIT, True, OBSERVER, False, True),  # observers read the trail
    (Action.VIEW_AUDIT, False, NO_ROLE, False, False),
    (Action.EDIT, True, LEAD, False, True),
    (Action.EDIT, True, MEMBER, False, False),  # members do not edit the partnership
    (Action.EDIT, False, NO_ROLE, True, False),  # platform admins do not write
    (Action.INVITE_PARTY, True, LEAD, False, True),
    (Action.INVITE_PARTY, True, STEWARD, False, False),
    (Action.ASSIGN_ROLES, True, LEAD, False, True),
    (Action.ASSIGN_ROLES, True, MEMBER, False, False),  # (org admins: checked in the service)
    (Action.CHANGE_STAGE, True, LEAD, False, True),
    (Action.CHANGE_STAGE, True, OBSERVER, False, False),
    (Action.CONTRIBUTE, True, MEMBER, False, True),
    (Action.CONTRIBUTE, True, STEWARD, False, True),
    (Action.CONTRIBUTE, True, OBSERVER, False, False),  # observers change nothing
    (Action.CONTRIBUTE, True, NO_ROLE, False, False),  # no role, no voice
    (Action.AGREE_FOR_PARTY, True, frozenset({Role.SIGNATORY}), False, True),
    (Action.AGREE_FOR_PARTY, True, OBSERVER, False, False),
    (Action.AGREE_FOR_PARTY, True, frozenset({Role.OBSERVER, Role.MEMBER}), False, True),
]


@pytest.mark.parametrize(("action", "is_member", "roles", "is_admin", "allowed"), TABLE)
def test_decide_truth_table(action, is_member, roles, is_admin, allowed):
    decision = decide(action, is_party_member=is_member, roles=roles, is_platform_admin=is_admin)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason, "a refusal must say why"


def test_every_action_has_a_rule_and_every_role_a_description():
    assert set(ACTION_RULES) == set(Action)
    assert set(ROLE_DESCRIPTIONS) == set(Role)


def test_every_action_appears_in_the_truth_table():
    assert {row[0] for row in TABLE} == set(Action)
