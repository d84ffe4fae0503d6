"""Who may do what with a partnership's health checks, declared as data and decided in one place.

Answering needs no role and no sign-in: the personal link is the credential. Reading the
results (which never show a group under five) is open to every member of every party,
observers included, because a health check is for the whole partnership. Running rounds
and changing how results are read is for the partnership's leads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carepact.core.access import Decision
from carepact.partnerships.models import Role
from carepact.partnerships.rules import Access


class HealthAction(StrEnum):
    VIEW = "view_health"
    MANAGE = "manage_health"
    CONFIGURE = "configure_health"


@dataclass(frozen=True)
class HealthRule:
    description: str
    roles: frozenset[Role] | None  # None: any member of an active party
    denial: str


HEALTH_RULES: dict[HealthAction, HealthRule] = {
    HealthAction.VIEW: HealthRule(
        "See rounds, response rates and results (never a group under five).", None, ""
    ),
    HealthAction.MANAGE: HealthRule(
        "Open and close rounds and send reminders.",
        frozenset({Role.LEAD}),
        "Only a partnership lead can open or close a health check or send reminders.",
    ),
    HealthAction.CONFIGURE: HealthRule(
        "Set party weights, agreed influence shares and warning thresholds.",
        frozenset({Role.LEAD}),
        "Only a partnership lead can change how health results are weighted and read.",
    ),
}


def decide(
    action: HealthAction,
    *,
    is_party_member: bool,
    roles: frozenset[Role],
    is_platform_admin: bool = False,
) -> Decision:
    """The rule itself, free of the database: tested as a truth table."""
    rule = HEALTH_RULES[action]
    if not is_party_member:
        if is_platform_admin and rule.roles is None:
            return Decision.allow("Platform administrators may read every partnership.")
        return Decision.deny("You are not a member of any party to this partnership.")
    if rule.roles is None or roles & rule.roles:
        return Decision.allow()
    return Decision.deny(rule.denial)


def decide_for(access: Access, action: HealthAction) -> Decision:
    return decide(
        action,
        is_party_member=bool(access.party_organisations),
        roles=access.roles,
        is_platform_admin=access.is_platform_admin,
    )


def check(access: Access, action: HealthAction) -> None:
    decide_for(access, action).check()


def allowed(access: Access) -> frozenset[str]:
    """The health actions the person may take, for templates."""
    return frozenset(a.value for a in HealthAction if decide_for(access, a).allowed)
