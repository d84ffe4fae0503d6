"""Who may do what with a partnership's datasets, requests and releases, as declared data.

Each action lists the facts it needs about the person; all must hold. The facts come from
the partnership (party membership and roles, see ``partnerships.rules``) and from the
object: whether the person is a data steward *for the organisation that owns the
dataset*, belongs to the organisation that receives a release, and is named in its
approved request. Seeing anything needs party membership first (404 otherwise, from the
scoped look-ups); a missing fact is a 403 with the reason.

These rules say who may *act*. Whether the data may be used at all for a purpose is for
the dataset's policy (Cedar, ``engine.policy``), which the services consult as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carepact.core.access import Decision
from carepact.partnerships.models import Role, RoleAssignment
from carepact.partnerships.rules import CONTRIBUTING_ROLES, Access, access_for


class Need(StrEnum):
    PARTY = "party"  # a member of an active party to the partnership
    STEWARD = "steward"  # holds the data-steward role for one of their organisations
    OWNER_STEWARD = "owner_steward"  # ... for the organisation that owns the dataset
    CONTRIBUTOR = "contributor"  # holds a role other than observer
    RECIPIENT = "recipient"  # belongs to the organisation that asked for and receives the data
    NAMED = "named"  # is the requester or a user named in the approved request


class DataAction(StrEnum):
    VIEW = "view"
    REGISTER = "register"
    MANAGE_DATASET = "manage_dataset"
    REQUEST = "request"
    REVIEW = "review"
    RELEASE = "release"
    DOWNLOAD = "download"
    ACKNOWLEDGE = "acknowledge"


@dataclass(frozen=True)
class DataRule:
    description: str
    needs: frozenset[Need]


DENIALS: dict[Need, str] = {
    Need.PARTY: "You are not a member of any party to this partnership.",
    Need.STEWARD: "Only a data steward can do this; ask a partnership lead for the role.",
    Need.OWNER_STEWARD: "Only a data steward of the organisation that owns this dataset can "
    "do this.",
    Need.CONTRIBUTOR: "You need a role in this partnership other than observer.",
    Need.RECIPIENT: "Only people of the organisation that receives this data can do this.",
    Need.NAMED: "Only the requester and the people named in the approved request can do this.",
}

RULES: dict[DataAction, DataRule] = {
    DataAction.VIEW: DataRule(
        "See the partnership's datasets, policies, requests, releases and obligations.",
        frozenset({Need.PARTY}),
    ),
    DataAction.REGISTER: DataRule(
        "Add a dataset of your organisation to the partnership's catalogue.",
        frozenset({Need.PARTY, Need.STEWARD}),
    ),
    DataAction.MANAGE_DATASET: DataRule(
        "Describe the dataset, set its columns' roles, profile it and draft its terms.",
        frozenset({Need.PARTY, Need.OWNER_STEWARD}),
    ),
    DataAction.REQUEST: DataRule(
        "Ask for a dataset for a stated purpose.",
        frozenset({Need.PARTY, Need.CONTRIBUTOR}),
    ),
    DataAction.REVIEW: DataRule(
        "Approve, reject or ask for changes to a request for the dataset.",
        frozenset({Need.PARTY, Need.OWNER_STEWARD}),
    ),
    DataAction.RELEASE: DataRule(
        "Run a release of an approved request, or run it again.",
        frozenset({Need.PARTY, Need.OWNER_STEWARD}),
    ),
    DataAction.DOWNLOAD: DataRule(
        "Download a release (until the terms expire).",
        frozenset({Need.PARTY, Need.RECIPIENT, Need.NAMED}),
    ),
    DataAction.ACKNOWLEDGE: DataRule(
        "Confirm that a release is deleted or replaced after a withdrawal.",
        frozenset({Need.PARTY, Need.RECIPIENT, Need.CONTRIBUTOR}),
    ),
}


def decide(action: DataAction, facts: frozenset[Need]) -> Decision:
    """The rule itself, free of the database: tested as a truth table."""
    for need in Need:  # in declaration order, so the first missing fact is the reason
        if need in RULES[action].needs and need not in facts:
            return Decision.deny(DENIALS[need])
    return Decision.allow()


@dataclass(frozen=True)
class DataAccess:
    """One person's standing in one partnership's data, worked out once per request."""

    access: Access
    steward_of: frozenset[int]  # organisations they are a data steward for, here

    @property
    def partnership(self):
        return self.access.partnership

    @property
    def acting_organisation(self):
        return self.access.acting_organisation

    def facts(
        self, *, owner_id: int | None = None, recipient_id: int | None = None, named: bool = False
    ) -> frozenset[Need]:
        """What holds for this person about one dataset (owner) and one release (recipient)."""
        facts = set()
        if self.access.party_organisations:
            facts.add(Need.PARTY)
        if self.access.roles & CONTRIBUTING_ROLES:
            facts.add(Need.CONTRIBUTOR)
        if self.steward_of:
            facts.add(Need.STEWARD)
        if owner_id is not None and owner_id in self.steward_of:
            facts.add(Need.OWNER_STEWARD)
        mine = {o.pk for o in self.access.party_organisations}
        if recipient_id is not None and recipient_id in mine:
            facts.add(Need.RECIPIENT)
        if named:
            facts.add(Need.NAMED)
        return frozenset(facts)

    def decide(self, action: DataAction, **about) -> Decision:
        return decide(action, self.facts(**about))

    def check(self, action: DataAction, **about) -> None:
        self.decide(action, **about).check()

    def can(self, action: DataAction, **about) -> bool:
        return self.decide(action, **about).allowed


def data_access(user, partnership) -> DataAccess:
    access = access_for(user, partnership)
    steward_of = (
        frozenset(
            RoleAssignment.objects.filter(
                partnership=partnership, person=user, role=Role.DATA_STEWARD
            ).values_list("organisation_id", flat=True)
        )
        if access.party_organisations
        else frozenset()
    )
    return DataAccess(access, steward_of)
