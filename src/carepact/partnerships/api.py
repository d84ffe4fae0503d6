"""Partnerships, parties, roles, stages, glossary and audit trail as JSON."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from ninja import Query, Router, Schema, Status

from carepact.accounts.models import Organisation, User
from carepact.core.errors import Invalid
from carepact.core.models import AuditEvent
from carepact.partnerships import services
from carepact.partnerships.models import GlossaryTerm, Partnership, Party, RoleAssignment
from carepact.partnerships.rules import ROLE_DESCRIPTIONS, access_for

router = Router(tags=["partnerships"])


class PartyOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    organisation_kind: str
    role: str
    status: str
    invited_at: datetime
    responded_at: datetime | None

    @staticmethod
    def resolve_organisation(obj: Party) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: Party) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_organisation_kind(obj: Party) -> str:
        return obj.organisation.kind


class PartnershipOut(Schema):
    slug: str
    title: str
    type: str
    purpose: str
    vision: str
    stage: str
    stage_changed_at: datetime
    created_at: datetime
    parties: list[PartyOut]
    my_roles: list[str]
    allowed_actions: list[str]


class PartnershipSummary(Schema):
    slug: str
    title: str
    type: str
    stage: str
    parties: list[str]
    my_roles: list[str]


class PartnershipIn(Schema):
    organisation: str  # the slug of the organisation that leads it (one of yours)
    title: str
    type: str
    purpose: str = ""
    vision: str = ""


class PartnershipPatch(Schema):
    title: str | None = None
    type: str | None = None
    purpose: str | None = None
    vision: str | None = None


class PartyIn(Schema):
    organisation: str
    role: str = Party.Role.PARTNER
    message: str = ""


class InvitationOut(Schema):
    id: int
    partnership: str
    partnership_title: str
    organisation: str
    role: str
    message: str
    invited_by: str
    invited_at: datetime


class RoleOut(Schema):
    id: int
    person_id: int
    person: str
    email: str
    organisation: str
    role: str
    role_description: str
    assigned_at: datetime

    @staticmethod
    def resolve_person(obj: RoleAssignment) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_email(obj: RoleAssignment) -> str:
        return obj.person.email

    @staticmethod
    def resolve_organisation(obj: RoleAssignment) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_role_description(obj: RoleAssignment) -> str:
        return ROLE_DESCRIPTIONS[obj.role]


class RoleIn(Schema):
    email: str
    organisation: str
    role: str


class GateOut(Schema):
    key: str
    label: str
    why: str
    met: bool
    reason: str | None


class StageOptionOut(Schema):
    stage: str
    forward: bool
    ready: bool
    checklist: list[GateOut]


class StageOut(Schema):
    stage: str
    since: datetime
    options: list[StageOptionOut]


class StageIn(Schema):
    to: str
    note: str = ""


class TermOut(Schema):
    id: int
    term: str
    definition: str
    proposed_by: str
    agreed_by: list[str]
    awaiting: list[str]
    updated_at: datetime


class TermIn(Schema):
    term: str
    definition: str


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    actor_id: int | None
    actor: str
    organisation: str
    action: str
    object_type: str
    object_id: str
    object: str
    message: str
    summary: dict
    hash: str
    prev_hash: str

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str:
        return obj.actor_label

    @staticmethod
    def resolve_organisation(obj: AuditEvent) -> str:
        return obj.organisation_label

    @staticmethod
    def resolve_object(obj: AuditEvent) -> str:
        return obj.object_label


class AuditFilter(Schema):
    action: str | None = None
    person: int | None = None
    limit: int = 100
    offset: int = 0


def _partnership_out(actor: User, partnership: Partnership) -> dict:
    access = access_for(actor, partnership)
    return {
        "slug": partnership.slug,
        "title": partnership.title,
        "type": partnership.type,
        "purpose": partnership.purpose,
        "vision": partnership.vision,
        "stage": partnership.stage,
        "stage_changed_at": partnership.stage_changed_at,
        "created_at": partnership.created_at,
        "parties": services.parties_of(partnership),
        "my_roles": sorted(access.roles),
        "allowed_actions": sorted(access.allowed),
    }


def _organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Invalid("No organisation with that slug.", errors={"organisation": ["Unknown."]})
    return organisation


def _term_out(term: GlossaryTerm, parties: list[Party]) -> dict:
    agreed, awaiting = services.term_status(term, parties)
    return {
        "id": term.pk,
        "term": term.term,
        "definition": term.definition,
        "proposed_by": str(term.proposed_by or ""),
        "agreed_by": [o.slug for o in agreed],
        "awaiting": [o.slug for o in awaiting],
        "updated_at": term.updated_at,
    }


@router.get("/partnerships", response=list[PartnershipSummary], summary="Your partnerships")
def list_partnerships(request):
    return [
        {
            "slug": p.slug,
            "title": p.title,
            "type": p.type,
            "stage": p.stage,
            "parties": [party.organisation.slug for party in p.parties.all()],
            "my_roles": sorted(r.role for r in p.my_roles),
        }
        for p in services.partnerships_for(request.auth)
    ]


@router.post("/partnerships", response={201: PartnershipOut}, summary="Start a partnership")
def create_partnership(request, payload: PartnershipIn):
    organisation = _organisation(payload.organisation)
    with transaction.atomic():
        partnership = services.create_partnership(
            request.auth,
            organisation=organisation,
            title=payload.title,
            type=payload.type,
            purpose=payload.purpose,
            vision=payload.vision,
        )
    return Status(201, _partnership_out(request.auth, partnership))


@router.get("/partnerships/{slug}", response=PartnershipOut)
def get_partnership(request, slug: str):
    return _partnership_out(request.auth, services.get_partnership(request.auth, slug))


@router.patch("/partnerships/{slug}", response=PartnershipOut)
def update_partnership(request, slug: str, payload: PartnershipPatch):
    partnership = services.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.update_partnership(request.auth, partnership, **payload.dict(exclude_none=True))
    return _partnership_out(request.auth, partnership)


@router.get("/partnerships/{slug}/parties", response=list[PartyOut])
def list_parties(request, slug: str):
    return services.parties_of(services.get_partnership(request.auth, slug))


@router.post(
    "/partnerships/{slug}/parties", response={201: PartyOut}, summary="Invite an organisation"
)
def invite_party(request, slug: str, payload: PartyIn):
    partnership = services.get_partnership(request.auth, slug)
    with transaction.atomic():
        party = services.invite_organisation(
            request.auth,
            partnership,
            organisation=_organisation(payload.organisation),
            role=payload.role,
            message=payload.message,
            link=request.build_absolute_uri(reverse("partnerships:invitations")),
        )
    return Status(201, party)


def _invitation_out(party: Party) -> dict:
    return {
        "id": party.pk,
        "partnership": party.partnership.slug,
        "partnership_title": party.partnership.title,
        "organisation": party.organisation.slug,
        "role": party.role,
        "message": party.message,
        "invited_by": str(party.invited_by or ""),
        "invited_at": party.invited_at,
    }


@router.get(
    "/party-invitations",
    response=list[InvitationOut],
    summary="Invitations to organisations you administer",
)
def list_invitations(request):
    return [_invitation_out(p) for p in services.pending_party_invitations(request.auth)]


@router.post("/party-invitations/{invitation_id}/accept", response=PartyOut)
def accept_invitation(request, invitation_id: int):
    party = services.get_party_invitation(request.auth, invitation_id)
    with transaction.atomic():
        return services.respond_to_invitation(request.auth, party, accept=True)


@router.post("/party-invitations/{invitation_id}/decline", response=PartyOut)
def decline_invitation(request, invitation_id: int):
    party = services.get_party_invitation(request.auth, invitation_id)
    with transaction.atomic():
        return services.respond_to_invitation(request.auth, party, accept=False)


@router.get("/partnerships/{slug}/roles", response=list[RoleOut])
def list_roles(request, slug: str):
    return services.roles_of(services.get_partnership(request.auth, slug))


@router.post("/partnerships/{slug}/roles", response={201: RoleOut}, summary="Give someone a role")
def assign_role(request, slug: str, payload: RoleIn):
    partnership = services.get_partnership(request.auth, slug)
    person = User.objects.filter(email=payload.email.strip().lower()).first()
    if person is None:
        raise Invalid("No person with that e-mail address.", errors={"email": ["Unknown."]})
    with transaction.atomic():
        assignment = services.assign_role(
            request.auth,
            partnership,
            person=person,
            organisation=_organisation(payload.organisation),
            role=payload.role,
        )
    return Status(201, assignment)


@router.delete("/partnerships/{slug}/roles/{role_id}", response={204: None})
def remove_role(request, slug: str, role_id: int):
    partnership = services.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.remove_role(request.auth, partnership, assignment_id=role_id)
    return Status(204, None)


def _stage_out(partnership: Partnership) -> dict:
    return {
        "stage": partnership.stage,
        "since": partnership.stage_changed_at,
        "options": [
            {
                "stage": option.stage,
                "forward": option.forward,
                "ready": option.ready,
                "checklist": [
                    {
                        "key": item.gate.key,
                        "label": item.gate.label,
                        "why": item.gate.why,
                        "met": item.met,
                        "reason": item.reason,
                    }
                    for item in option.checklist
                ],
            }
            for option in services.stage_options(partnership)
        ],
    }


@router.get("/partnerships/{slug}/stage", response=StageOut, summary="Stage and gate checklists")
def get_stage(request, slug: str):
    return _stage_out(services.get_partnership(request.auth, slug))


@router.post("/partnerships/{slug}/stage", response=StageOut, summary="Move to another stage")
def change_stage(request, slug: str, payload: StageIn):
    partnership = services.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.change_stage(request.auth, partnership, to=payload.to, note=payload.note)
    return _stage_out(partnership)


@router.get("/partnerships/{slug}/glossary", response=list[TermOut])
def list_glossary(request, slug: str):
    partnership = services.get_partnership(request.auth, slug)
    parties = services.parties_of(partnership)
    return [_term_out(t, parties) for t in services.glossary_of(partnership)]


@router.post("/partnerships/{slug}/glossary", response={201: TermOut}, summary="Propose a term")
def propose_term(request, slug: str, payload: TermIn):
    partnership = services.get_partnership(request.auth, slug)
    with transaction.atomic():
        term = services.propose_term(
            request.auth, partnership, term=payload.term, definition=payload.definition
        )
    return Status(201, _term_out(term, services.parties_of(partnership)))


@router.patch("/partnerships/{slug}/glossary/{term_id}", response=TermOut)
def update_term(request, slug: str, term_id: int, payload: TermIn):
    partnership = services.get_partnership(request.auth, slug)
    term = services.get_term(request.auth, partnership, term_id)
    with transaction.atomic():
        services.update_term(
            request.auth, term, term_text=payload.term, definition=payload.definition
        )
    return _term_out(term, services.parties_of(partnership))


@router.post("/partnerships/{slug}/glossary/{term_id}/agree", response=TermOut)
def agree_term(request, slug: str, term_id: int):
    partnership = services.get_partnership(request.auth, slug)
    term = services.get_term(request.auth, partnership, term_id)
    with transaction.atomic():
        services.agree_term(request.auth, term)
    return _term_out(term, services.parties_of(partnership))


@router.get("/partnerships/{slug}/audit", response=list[AuditEventOut], summary="The audit trail")
def audit_trail(request, slug: str, filters: Query[AuditFilter]):
    partnership = services.get_partnership(request.auth, slug)
    if not 1 <= filters.limit <= 500 or filters.offset < 0:
        raise Invalid("limit is 1 to 500 and offset is 0 or more.")
    events = services.audit_trail(
        request.auth, partnership, action=filters.action, person_id=filters.person
    )
    return list(events[filters.offset : filters.offset + filters.limit])
