"""Who may do what with health checks: the rule as a truth table."""

import pytest

from carepact.health.rules import HEALTH_RULES, HealthAction, decide
from carepact.partnerships.models import Role

LEAD, OBSERVER, MEMBER = (
    frozenset({Role.LEAD}),
    frozenset({Role.OBSERVER}),
    frozenset({Role.MEMBER}),
)


@pytest.mark.parametrize(
    ("action", "member", "roles", "admin", "allowed"),
    [
        (HealthAction.VIEW, False, frozenset(), False, False),  # outsiders see nothing
        (HealthAction.VIEW, False, frozenset(), True, True),  # platform admins read everything
        (HealthAction.VIEW, True, frozenset(), False, True),  # any member of a party
        (HealthAction.VIEW, True, OBSERVER, False, True),  # observers read results too
        (HealthAction.MANAGE, True, OBSERVER, False, False),  # observers change nothing
        (HealthAction.MANAGE, True, MEMBER, False, False),  # members answer, leads run rounds
        (HealthAction.MANAGE, True, LEAD, False, True),  # the lead opens and closes rounds
        (HealthAction.MANAGE, False, frozenset(), True, False),  # admins may not run rounds
        (HealthAction.CONFIGURE, True, MEMBER, False, False),  # weights are the leads' call
        (HealthAction.CONFIGURE, True, LEAD, False, True),  # the lead sets weights and thresholds
    ],
)
def test_health_access(action, member, roles, admin, allowed):
    decision = decide(action, is_party_member=member, roles=roles, is_platform_admin=admin)
    assert decision.allowed is allowed
    assert decision.allowed or decision.reason


def test_every_action_has_a_rule():
    assert set(HEALTH_RULES) == set(HealthAction)
