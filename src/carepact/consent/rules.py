"""Who may manage an organisation's consent registry, as declared data.

The registry of an organisation is managed by its administrators and by the people who
are its data stewards in any partnership. Other members of the organisation can see that
the registry exists and are told why they may not use it (403); people outside the
organisation are not told it exists (404, by the lookup in ``services.get_registry``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carepact.accounts.models import Membership, Organisation
from carepact.core.access import Decision
from carepact.partnerships.models import Role, RoleAssignment


class RegistryAction(StrEnum):
    SEARCH = "search"
    RECORD = "record"
    IMPORT = "import"
    EXPORT = "export"
    ISSUE_CODE = "issue_code"


class Standing(StrEnum):
    ADMIN = "admin"  # an administrator of the organisation
    DATA_STEWARD = "data_steward"  # its data steward in at least one partnership


MANAGERS = frozenset({Standing.ADMIN, Standing.DATA_STEWARD})


@dataclass(frozen=True)
class RegistryRule:
    description: str
    standings: frozenset[Standing]
    denial: str


REGISTRY_RULES: dict[RegistryAction, RegistryRule] = {
    RegistryAction.SEARCH: RegistryRule(
        "Look a patient up by NHS number and read their choices.",
        MANAGERS,
        "Only the organisation's administrators and data stewards can search its consent registry.",
    ),
    RegistryAction.RECORD: RegistryRule(
        "Record a patient's choice or withdrawal.",
        MANAGERS,
        "Only the organisation's administrators and data stewards can record consent.",
    ),
    RegistryAction.IMPORT: RegistryRule(
        "Import FHIR Consent resources or a national data opt-out list.",
        MANAGERS,
        "Only the organisation's administrators and data stewards can import into the "
        "consent registry.",
    ),
    RegistryAction.EXPORT: RegistryRule(
        "Export the registry as FHIR Consent resources.",
        MANAGERS,
        "Only the organisation's administrators and data stewards can export the consent registry.",
    ),
    RegistryAction.ISSUE_CODE: RegistryRule(
        "Give a patient a one-time code for their page.",
        MANAGERS,
        "Only the organisation's administrators and data stewards can give patients codes.",
    ),
}


def decide(action: RegistryAction, *, is_member: bool, standings: frozenset[Standing]) -> Decision:
    """The rule itself, free of the database: tested as a truth table."""
    rule = REGISTRY_RULES[action]
    if not is_member:
        return Decision.deny("You are not a member of this organisation.")
    if standings & rule.standings:
        return Decision.allow()
    return Decision.deny(rule.denial)


@dataclass(frozen=True)
class RegistryAccess:
    organisation: Organisation
    is_member: bool
    standings: frozenset[Standing]

    def decide(self, action: RegistryAction) -> Decision:
        return decide(action, is_member=self.is_member, standings=self.standings)

    def check(self, action: RegistryAction) -> None:
        self.decide(action).check()

    def can(self, action: RegistryAction) -> bool:
        return self.decide(action).allowed

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(a.value for a in RegistryAction if self.can(a))


def registry_access(user, organisation: Organisation) -> RegistryAccess:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    standings = set()
    if membership and membership.is_admin:
        standings.add(Standing.ADMIN)
    if RoleAssignment.objects.filter(
        person=user, organisation=organisation, role=Role.DATA_STEWARD
    ).exists():
        standings.add(Standing.DATA_STEWARD)
    return RegistryAccess(organisation, membership is not None, frozenset(standings))
