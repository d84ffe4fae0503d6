"""Finding agreements the actor may see, and what the actor may do with one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from carepact.accounts.models import Organisation, User
from carepact.agreements.models import Agreement, AgreementParty, AgreementVersion
from carepact.agreements.rules import AgreementAction, decide
from carepact.core.access import Decision
from carepact.core.errors import NotFound
from carepact.partnerships.models import Partnership, Role, RoleAssignment
from carepact.partnerships.rules import Access, access_for


@dataclass
class AgreementAccess:
    """What one person may do with one agreement (or, before it exists, in the partnership)."""

    access: Access
    parties: list[Organisation]  # the agreement's parties, in order ([] before it exists)
    acting: Organisation | None  # the organisation the person speaks for here
    signs_for: list[Organisation]  # agreement parties the person holds the signatory role for
    allowed: frozenset[str] = field(default_factory=frozenset)

    @property
    def in_agreement(self) -> bool:
        return self.acting is not None and self.acting in self.parties

    def decide(self, action: AgreementAction) -> Decision:
        return decide(
            action,
            is_party_member=bool(self.access.party_organisations),
            roles=self.access.roles,
            in_agreement=self.in_agreement,
            is_signatory=bool(self.signs_for),
            is_platform_admin=self.access.is_platform_admin,
        )

    def check(self, action: AgreementAction) -> None:
        self.decide(action).check()

    def can(self, action: AgreementAction) -> bool:
        return self.decide(action).allowed


def agreement_access(
    actor: User, partnership: Partnership, agreement: Agreement | None = None
) -> AgreementAccess:
    access = access_for(actor, partnership)
    parties = party_organisations(agreement) if agreement is not None else []
    mine = access.party_organisations
    acting = next((o for o in mine if o in parties), None) if parties else None
    if acting is None:
        acting = access.acting_organisation
    signatory_org_ids = set(
        RoleAssignment.objects.filter(
            partnership=partnership, person=actor, role=Role.SIGNATORY
        ).values_list("organisation_id", flat=True)
    )
    signs_for = [o for o in parties if o.pk in signatory_org_ids and o in mine]
    result = AgreementAccess(access=access, parties=parties, acting=acting, signs_for=signs_for)
    result.allowed = frozenset(a.value for a in AgreementAction if result.can(a))
    return result


def party_organisations(agreement: Agreement) -> list[Organisation]:
    cached = getattr(agreement, "_party_orgs", None)
    if cached is None:
        cached = [
            p.organisation
            for p in AgreementParty.objects.filter(agreement=agreement).select_related(
                "organisation"
            )
        ]
        agreement._party_orgs = cached
    return cached


def agreements_of(partnership: Partnership) -> QuerySet[Agreement]:
    """The partnership's agreements with their parties and versions, ready for a list."""
    return Agreement.objects.filter(partnership=partnership).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
        Prefetch("versions", queryset=AgreementVersion.objects.order_by("number")),
    )


def get_agreement(actor: User, partnership: Partnership, agreement_id: int) -> Agreement:
    """The agreement, if the actor may see its partnership; otherwise 404."""
    agreement = (
        Agreement.objects.visible_to(actor)
        .filter(partnership=partnership, pk=agreement_id)
        .select_related("partnership", "created_by", "created_for")
        .first()
    )
    if agreement is None:
        raise NotFound("No such agreement in this partnership.")
    return agreement


def current_version(agreement: Agreement) -> AgreementVersion:
    """The newest version: the one being drafted, negotiated or signed."""
    return agreement.versions.order_by("-number").first()


def get_version(agreement: Agreement, number: int) -> AgreementVersion:
    version = agreement.versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"This agreement has no version {number}.")
    return version


def signed_version(agreement: Agreement) -> AgreementVersion | None:
    """The version in force: the newest one every party has signed (not superseded)."""
    return agreement.versions.filter(status="signed").order_by("-number").first()
