"""Who may do what with agreements, declared as data and decided in one place.

Seeing agreements follows seeing the partnership. Drafting needs a role other than
observer; negotiating and sending for signature also need the person's organisation to be
a party to that agreement (an IP agreement may bind only some of a partnership's parties);
signing needs the signatory role for such a party; the clause library is kept by platform
administrators.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carepact.core.access import Decision
from carepact.partnerships.models import Role
from carepact.partnerships.rules import CONTRIBUTING_ROLES


class AgreementAction(StrEnum):
    VIEW = "view"
    DRAFT = "draft"
    PROPOSE = "propose"
    RESPOND = "respond"
    SEND = "send"
    SIGN = "sign"
    MEET_OBLIGATION = "meet_obligation"
    MANAGE_LIBRARY = "manage_library"


@dataclass(frozen=True)
class Rule:
    description: str
    needs_contributor: bool  # a role other than observer
    needs_agreement_party: bool  # the person's organisation is a party to the agreement
    needs_signatory: bool  # the signatory role for a party to the agreement
    admin_only: bool  # platform administrators (the library)
    denial: str


NOT_A_CONTRIBUTOR = (
    "You need a role in this partnership other than observer to work on its agreements; "
    "ask a lead to give you one."
)

RULES: dict[AgreementAction, Rule] = {
    AgreementAction.VIEW: Rule(
        "Read the partnership's agreements, negotiation and signatures.",
        False,
        False,
        False,
        False,
        "You are not a member of any party to this partnership.",
    ),
    AgreementAction.DRAFT: Rule(
        "Start an agreement, edit a draft, open it for negotiation, start an amendment.",
        True,
        False,
        False,
        False,
        NOT_A_CONTRIBUTOR,
    ),
    AgreementAction.PROPOSE: Rule(
        "Propose, counter or withdraw a change to a clause.",
        True,
        True,
        False,
        False,
        "Only people of a party to this agreement can propose changes to it.",
    ),
    AgreementAction.RESPOND: Rule(
        "Accept or reject another party's proposal on behalf of your organisation.",
        True,
        True,
        False,
        False,
        "Only people of a party to this agreement can answer its proposals.",
    ),
    AgreementAction.SEND: Rule(
        "Send a complete, settled version for signature, or recall it.",
        True,
        True,
        False,
        False,
        "Only people of a party to this agreement can send it for signature.",
    ),
    AgreementAction.SIGN: Rule(
        "Sign a version on behalf of your organisation.",
        False,
        True,
        True,
        False,
        "Only a person holding the signatory role for a party to this agreement can sign it.",
    ),
    AgreementAction.MEET_OBLIGATION: Rule(
        "Record that your organisation has met one of its obligations.",
        True,
        True,
        False,
        False,
        "Only people of the organisation that owns an obligation can record it as met.",
    ),
    AgreementAction.MANAGE_LIBRARY: Rule(
        "Add clauses and clause versions to the library.",
        False,
        False,
        False,
        True,
        "Only platform administrators can add or change clauses in the library.",
    ),
}


def decide(
    action: AgreementAction,
    *,
    is_party_member: bool,
    roles: frozenset[Role],
    in_agreement: bool = False,
    is_signatory: bool = False,
    is_platform_admin: bool = False,
) -> Decision:
    """The rule, free of the database: tested as a truth table.

    ``in_agreement``: one of the person's organisations is a party to the agreement (or, for
    obligations, owns it). ``is_signatory``: the person holds the signatory role for such an
    organisation.
    """
    rule = RULES[action]
    if rule.admin_only:
        return Decision.allow() if is_platform_admin else Decision.deny(rule.denial)
    if not is_party_member:
        if is_platform_admin and action == AgreementAction.VIEW:
            return Decision.allow("Platform administrators may read every partnership.")
        return Decision.deny("You are not a member of any party to this partnership.")
    if rule.needs_contributor and not roles & CONTRIBUTING_ROLES:
        return Decision.deny(NOT_A_CONTRIBUTOR)
    if rule.needs_agreement_party and not in_agreement:
        return Decision.deny(rule.denial)
    if rule.needs_signatory and not is_signatory:
        return Decision.deny(rule.denial)
    return Decision.allow()
