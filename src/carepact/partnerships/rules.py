"""Who may do what in a partnership: roles and actions as declared data, decided in one place.

Seeing a partnership depends on belonging to one of its parties (see
``Partnership.objects.visible_to``); what a person may change depends on the roles they hold.
Services call :meth:`Access.check`; templates read :attr:`Access.allowed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from carepact.accounts.models import Membership, Organisation
from carepact.core.access import Decision
from carepact.partnerships.models import Partnership, Party, Role, RoleAssignment

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.LEAD: "Runs the partnership: edits it, invites organisations, assigns roles and "
    "moves it through its stages.",
    Role.MEMBER: "Takes part in the partnership's work and speaks for their organisation.",
    Role.OBSERVER: "Reads everything the parties can see, changes nothing.",
    Role.CHAMPION: "The named champion who keeps the partnership moving and its people aligned.",
    Role.EXECUTIVE_SPONSOR: "The senior executive accountable for their organisation's side.",
    Role.CLINICAL_CHAMPION: "A clinician who carries the partnership into clinical practice.",
    Role.DATA_STEWARD: "Looks after the data their organisation shares: terms, requests, releases.",
    Role.SIGNATORY: "Signs agreements on behalf of their organisation.",
}


class Action(StrEnum):
    VIEW = "view"
    VIEW_AUDIT = "view_audit"
    EDIT = "edit"
    INVITE_PARTY = "invite_party"
    ASSIGN_ROLES = "assign_roles"
    CHANGE_STAGE = "change_stage"
    CONTRIBUTE = "contribute"
    AGREE_FOR_PARTY = "agree_for_party"


# Roles that speak for their organisation in the partnership's work.
CONTRIBUTING_ROLES = frozenset(set(Role) - {Role.OBSERVER})


@dataclass(frozen=True)
class ActionRule:
    description: str
    roles: frozenset[Role] | None  # None: any member of an active party
    denial: str


ACTION_RULES: dict[Action, ActionRule] = {
    Action.VIEW: ActionRule("See the partnership and everything under it.", None, ""),
    Action.VIEW_AUDIT: ActionRule("Read the partnership's audit trail.", None, ""),
    Action.EDIT: ActionRule(
        "Change the title, type, purpose and shared vision.",
        frozenset({Role.LEAD}),
        "Only a partnership lead can change the partnership's details.",
    ),
    Action.INVITE_PARTY: ActionRule(
        "Invite another organisation to join.",
        frozenset({Role.LEAD}),
        "Only a partnership lead can invite organisations.",
    ),
    Action.ASSIGN_ROLES: ActionRule(
        "Give people roles (organisation administrators may do this for their own people).",
        frozenset({Role.LEAD}),
        "Only a partnership lead, or an administrator of the person's own organisation, "
        "can assign roles.",
    ),
    Action.CHANGE_STAGE: ActionRule(
        "Move the partnership to another lifecycle stage.",
        frozenset({Role.LEAD}),
        "Only a partnership lead can move the partnership to another stage.",
    ),
    Action.CONTRIBUTE: ActionRule(
        "Propose and edit shared content such as glossary terms.",
        CONTRIBUTING_ROLES,
        "You need a role in this partnership other than observer to contribute; "
        "ask a lead to give you one.",
    ),
    Action.AGREE_FOR_PARTY: ActionRule(
        "Agree to shared content on behalf of your organisation.",
        CONTRIBUTING_ROLES,
        "You need a role in this partnership other than observer to agree on behalf of "
        "your organisation.",
    ),
}


def decide(
    action: Action,
    *,
    is_party_member: bool,
    roles: frozenset[Role],
    is_platform_admin: bool = False,
) -> Decision:
    """The rule itself, free of the database: tested as a truth table."""
    rule = ACTION_RULES[action]
    if not is_party_member:
        if is_platform_admin and rule.roles is None:
            return Decision.allow("Platform administrators may read every partnership.")
        return Decision.deny("You are not a member of any party to this partnership.")
    if rule.roles is None or roles & rule.roles:
        return Decision.allow()
    return Decision.deny(rule.denial)


@dataclass
class Access:
    """What one person may do in one partnership, worked out once per request."""

    partnership: Partnership
    roles: frozenset[Role]
    party_organisations: list[Organisation]  # the person's organisations that are active parties
    admin_organisations: list[Organisation]  # ... of which the person is an administrator
    is_platform_admin: bool = False
    allowed: frozenset[str] = field(default_factory=frozenset)

    def decide(self, action: Action) -> Decision:
        return decide(
            action,
            is_party_member=bool(self.party_organisations),
            roles=self.roles,
            is_platform_admin=self.is_platform_admin,
        )

    def check(self, action: Action) -> None:
        self.decide(action).check()

    def can(self, action: Action) -> bool:
        return self.decide(action).allowed

    @property
    def acting_organisation(self) -> Organisation | None:
        """The organisation the person speaks for here (their first party organisation)."""
        return self.party_organisations[0] if self.party_organisations else None

    def can_assign_for(self, organisation: Organisation) -> bool:
        return self.can(Action.ASSIGN_ROLES) or organisation in self.admin_organisations


def access_for(user, partnership: Partnership) -> Access:
    """Compute the person's roles and party organisations in ``partnership``."""
    roles = frozenset(
        Role(r)
        for r in RoleAssignment.objects.filter(partnership=partnership, person=user).values_list(
            "role", flat=True
        )
    )
    party_org_ids = set(
        Party.objects.filter(partnership=partnership, status=Party.Status.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    memberships = (
        Membership.objects.filter(user=user, organisation_id__in=party_org_ids)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    party_organisations = [m.organisation for m in memberships]
    admin_organisations = [m.organisation for m in memberships if m.is_admin]
    access = Access(
        partnership=partnership,
        roles=roles,
        party_organisations=party_organisations,
        admin_organisations=admin_organisations,
        is_platform_admin=bool(user.is_superuser),
    )
    access.allowed = frozenset(a.value for a in Action if access.can(a))
    return access
