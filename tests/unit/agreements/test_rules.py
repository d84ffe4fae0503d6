"""Who may do what with agreements, as a truth table."""

import pytest

from carepact.agreements.rules import RULES, AgreementAction, decide
from carepact.partnerships.models import Role

A = AgreementAction
NONE = frozenset()
OBSERVER = frozenset({Role.OBSERVER})
MEMBER = frozenset({Role.MEMBER})
SIGNATORY = frozenset({Role.SIGNATORY})

TABLE = [
    # (action, party member?, roles, in the agreement?, signatory?, platform admin?, allowed?)
    (A.VIEW, True, NONE, False, False, False, True),  # anyone in a party organisation reads
    (A.VIEW, False, MEMBER, False, False, False, False),  # not a member: nothing
    (A.VIEW, False, NONE, False, False, True, True),  # platform administrators read
    (A.DRAFT, True, MEMBER, False, False, False, True),  # any contributor starts a draft
    (A.DRAFT, True, OBSERVER, True, False, False, False),  # observers change nothing
    (A.DRAFT, True, NONE, True, False, False, False),  # no role, no voice
    (A.DRAFT, False, NONE, False, False, True, False),  # platform admins do not draft
    (A.PROPOSE, True, MEMBER, True, False, False, True),
    (A.PROPOSE, True, MEMBER, False, False, False, False),  # not a party to this agreement
    (A.PROPOSE, True, OBSERVER, True, False, False, False),
    (A.RESPOND, True, SIGNATORY, True, True, False, True),  # a signatory speaks for its party
    (A.RESPOND, True, MEMBER, False, False, False, False),
    (A.SEND, True, MEMBER, True, False, False, True),
    (A.SEND, True, OBSERVER, True, False, False, False),
    (A.SIGN, True, SIGNATORY, True, True, False, True),
    (A.SIGN, True, frozenset({Role.LEAD}), True, False, False, False),  # a lead is not enough
    (A.SIGN, True, SIGNATORY, False, False, False, False),  # signs only for its own party
    (A.SIGN, False, NONE, False, False, True, False),  # platform admins never sign
    (A.MEET_OBLIGATION, True, MEMBER, True, False, False, True),  # the owner records it
    (A.MEET_OBLIGATION, True, MEMBER, False, False, False, False),  # another party cannot
    (A.MANAGE_LIBRARY, False, NONE, False, False, True, True),  # the library: admins only
    (A.MANAGE_LIBRARY, True, frozenset({Role.LEAD}), True, True, False, False),
]


@pytest.mark.parametrize(
    ("action", "member", "roles", "in_agreement", "signatory", "admin", "allowed"), TABLE
)
def test_decide_truth_table(action, member, roles, in_agreement, signatory, admin, allowed):
    decision = decide(
        action,
        is_party_member=member,
        roles=roles,
        in_agreement=in_agreement,
        is_signatory=signatory,
        is_platform_admin=admin,
    )
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason, "a refusal must say why"


def test_every_action_has_a_rule_and_a_row():
    assert set(RULES) == set(AgreementAction)
    assert {row[0] for row in TABLE} == set(AgreementAction)
