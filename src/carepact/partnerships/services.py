"""Partnerships: create, invite, accept, assign roles, move stages, keep a glossary.

Each function takes the acting person first, checks access through ``rules``, changes rows
and appends its audit event, all in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from carepact.accounts.models import Membership, Organisation, User
from carepact.accounts.services import unique_slug
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.core.models import AuditEvent
from carepact.partnerships import gates
from carepact.partnerships.models import (
    TRANSITIONS,
    GlossaryAgreement,
    GlossaryTerm,
    Partnership,
    PartnershipType,
    Party,
    Role,
    RoleAssignment,
    Stage,
    StageChange,
    is_forward,
)
from carepact.partnerships.rules import Access, Action, access_for

EDITABLE_FIELDS = ("title", "type", "purpose", "vision")


# -- reading ---------------------------------------------------------------------------------


def get_partnership(actor: User, slug: str) -> Partnership:
    """The partnership, if the actor may see it; otherwise 404, whether or not it exists."""
    partnership = Partnership.objects.visible_to(actor).filter(slug=slug).first()
    if partnership is None:
        raise NotFound("No such partnership, or you are not a member of any of its parties.")
    return partnership


def get_with_access(actor: User, slug: str) -> tuple[Partnership, Access]:
    partnership = get_partnership(actor, slug)
    return partnership, access_for(actor, partnership)


def partnerships_for(actor: User) -> QuerySet[Partnership]:
    """The actor's partnerships with parties and the actor's own roles, ready for a list."""
    return Partnership.objects.visible_to(actor).prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.filter(status=Party.Status.ACTIVE).select_related(
                "organisation"
            ),
        ),
        Prefetch(
            "roles",
            queryset=RoleAssignment.objects.filter(person=actor),
            to_attr="my_roles",
        ),
    )


def parties_of(partnership: Partnership) -> list[Party]:
    return list(partnership.parties.select_related("organisation").order_by("invited_at", "pk"))


def roles_of(partnership: Partnership) -> list[RoleAssignment]:
    return list(partnership.roles.select_related("person", "organisation"))


def people_of(partnership: Partnership) -> list[Membership]:
    """Everyone in an active party organisation: the people who can be given roles."""
    return list(
        Membership.objects.filter(
            organisation__parties__partnership=partnership,
            organisation__parties__status=Party.Status.ACTIVE,
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name")
    )


def pending_party_invitations(actor: User) -> QuerySet[Party]:
    """Invitations to partnerships addressed to organisations the actor administers."""
    return (
        Party.objects.filter(
            status=Party.Status.INVITED,
            organisation__memberships__user=actor,
            organisation__memberships__is_admin=True,
        )
        .select_related("partnership", "organisation", "invited_by")
        .order_by("-invited_at")
    )


def get_party_invitation(actor: User, party_id: int) -> Party:
    party = pending_party_invitations(actor).filter(pk=party_id).first()
    if party is None:
        raise NotFound("No such invitation, or it is not addressed to your organisation.")
    return party


def audit_trail(
    actor: User,
    partnership: Partnership,
    *,
    action: str | None = None,
    person_id: int | None = None,
) -> QuerySet[AuditEvent]:
    access_for(actor, partnership).check(Action.VIEW_AUDIT)
    events = AuditEvent.objects.for_partnership(partnership.pk).order_by("-seq")
    if action:
        events = events.filter(action=action)
    if person_id:
        events = events.filter(actor_id=person_id)
    return events


# -- creating and editing --------------------------------------------------------------------


def _clean_details(fields: dict, *, creating: bool) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(f"Unknown partnership field(s): {', '.join(sorted(unknown))}.")
    cleaned = {k: (v or "").strip() for k, v in fields.items()}
    errors: dict[str, list[str]] = {}
    if (creating or "title" in cleaned) and not cleaned.get("title"):
        errors["title"] = ["A partnership needs a title."]
    if len(cleaned.get("title", "")) > 200:
        errors["title"] = ["Keep the title under 200 characters."]
    if (creating or "type" in cleaned) and cleaned.get("type") not in PartnershipType.values:
        errors["type"] = ["Choose the type of partnership."]
    if len(cleaned.get("purpose", "")) > 500:
        errors["purpose"] = ["Keep the purpose under 500 characters."]
    if errors:
        raise Invalid("Some details of the partnership need correcting.", errors=errors)
    return cleaned


def create_partnership(
    actor: User,
    *,
    organisation: Organisation,
    title: str,
    type: str,
    purpose: str = "",
    vision: str = "",
) -> Partnership:
    """Start a partnership led by ``organisation``, with the actor as its first lead."""
    if not Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise Denied("You can only start a partnership on behalf of your own organisation.")
    cleaned = _clean_details(
        {"title": title, "type": type, "purpose": purpose, "vision": vision}, creating=True
    )
    now = clock.now()
    partnership = Partnership.objects.create(
        **cleaned,
        slug=unique_slug(Partnership, cleaned["title"]),
        created_by=actor,
        created_at=now,
        updated_at=now,
        stage_changed_at=now,
    )
    Party.objects.create(
        partnership=partnership,
        organisation=organisation,
        role=Party.Role.LEAD,
        status=Party.Status.ACTIVE,
        invited_by=actor,
        invited_at=now,
        responded_by=actor,
        responded_at=now,
    )
    RoleAssignment.objects.create(
        partnership=partnership,
        person=actor,
        organisation=organisation,
        role=Role.LEAD,
        assigned_by=actor,
        assigned_at=now,
    )
    audit.record(
        actor,
        action="partnership.create",
        obj=partnership,
        partnership=partnership,
        organisation=organisation,
        message=f"{actor} started the partnership {partnership} for {organisation}.",
        summary={"type": partnership.type, "stage": partnership.stage, "lead": organisation.name},
    )
    return partnership


def update_partnership(actor: User, partnership: Partnership, **fields) -> Partnership:
    access = access_for(actor, partnership)
    access.check(Action.EDIT)
    cleaned = _clean_details(fields, creating=False)
    changes = {
        name: [getattr(partnership, name), value]
        for name, value in cleaned.items()
        if getattr(partnership, name) != value
    }
    if not changes:
        return partnership
    for name, (_, value) in changes.items():
        setattr(partnership, name, value)
    partnership.updated_at = clock.now()
    partnership.save()
    audit.record(
        actor,
        action="partnership.update",
        obj=partnership,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} changed the {', '.join(changes)} of the partnership.",
        summary={"changed": changes},
    )
    return partnership


# -- parties ---------------------------------------------------------------------------------


def invite_organisation(
    actor: User,
    partnership: Partnership,
    *,
    organisation: Organisation,
    role: str = Party.Role.PARTNER,
    message: str = "",
    link: str | None = None,
) -> Party:
    """Invite an organisation; its administrators accept or decline."""
    access = access_for(actor, partnership)
    access.check(Action.INVITE_PARTY)
    if partnership.stage == Stage.CLOSED:
        raise Conflict("This partnership is closed: it cannot take new parties.")
    if role not in Party.Role.values:
        raise Invalid("Choose the organisation's role.", errors={"role": ["Required."]})
    existing = Party.objects.filter(partnership=partnership, organisation=organisation).first()
    if existing and existing.status != Party.Status.DECLINED:
        raise Conflict(f"{organisation} is already {existing.get_status_display().lower()}.")
    now = clock.now()
    party = existing or Party(partnership=partnership, organisation=organisation)
    party.role, party.status, party.message = role, Party.Status.INVITED, message.strip()
    party.invited_by, party.invited_at = actor, now
    party.responded_by, party.responded_at = None, None
    party.save()
    audit.record(
        actor,
        action="party.invite",
        obj=party,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} invited {organisation} to join as {party.get_role_display().lower()}.",
        summary={"organisation": organisation.name, "role": role},
    )
    admins = list(
        Membership.objects.filter(organisation=organisation, is_admin=True).values_list(
            "user__email", flat=True
        )
    )
    if admins and link:
        subject = f"{partnership} invites {organisation} to join"
        body = (
            f"{actor} ({access.acting_organisation}) invites {organisation} to join the "
            f"partnership '{partnership}' as {party.get_role_display().lower()}.\n\n"
            f"Accept or decline here: {link}\n"
        )
        transaction.on_commit(lambda: send_mail(subject, body, None, admins))
    return party


def respond_to_invitation(actor: User, party: Party, *, accept: bool) -> Party:
    """An administrator of the invited organisation accepts or declines."""
    if not Membership.objects.filter(
        user=actor, organisation=party.organisation, is_admin=True
    ).exists():
        raise Denied(f"Only an administrator of {party.organisation} can answer this invitation.")
    if party.status != Party.Status.INVITED:
        raise Conflict("This invitation has already been answered.")
    now = clock.now()
    party.status = Party.Status.ACTIVE if accept else Party.Status.DECLINED
    party.responded_by, party.responded_at = actor, now
    party.save()
    if accept:
        RoleAssignment.objects.get_or_create(
            partnership=party.partnership,
            person=actor,
            role=Role.MEMBER,
            defaults={"organisation": party.organisation, "assigned_by": actor, "assigned_at": now},
        )
    verb = "accepted" if accept else "declined"
    audit.record(
        actor,
        action=f"party.{'accept' if accept else 'decline'}",
        obj=party,
        partnership=party.partnership,
        organisation=party.organisation,
        message=f"{actor} {verb} the invitation for {party.organisation} to join.",
        summary={"organisation": party.organisation.name, "role": party.role},
    )
    return party


# -- roles -----------------------------------------------------------------------------------


def assign_role(
    actor: User, partnership: Partnership, *, person: User, organisation: Organisation, role: str
) -> RoleAssignment:
    """Give ``person`` a role, on behalf of ``organisation`` (one of the active parties)."""
    access = access_for(actor, partnership)
    if not access.party_organisations:
        access.check(Action.ASSIGN_ROLES)
    if role not in Role.values:
        raise Invalid("Choose a role.", errors={"role": ["Required."]})
    if not Party.objects.filter(
        partnership=partnership, organisation=organisation, status=Party.Status.ACTIVE
    ).exists():
        raise Invalid(f"{organisation} is not an active party to this partnership.")
    if not Membership.objects.filter(user=person, organisation=organisation).exists():
        raise Invalid(f"{person} is not a member of {organisation}.")
    if not access.can_assign_for(organisation):
        access.check(Action.ASSIGN_ROLES)
    if role == Role.LEAD and not access.can(Action.ASSIGN_ROLES):
        raise Denied("Only a partnership lead can make someone a lead.")
    if RoleAssignment.objects.filter(partnership=partnership, person=person, role=role).exists():
        raise Conflict(f"{person} already holds the role {Role(role).label.lower()}.")
    assignment = RoleAssignment.objects.create(
        partnership=partnership,
        person=person,
        organisation=organisation,
        role=role,
        assigned_by=actor,
        assigned_at=clock.now(),
    )
    audit.record(
        actor,
        action="role.assign",
        obj=assignment,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} made {person} ({organisation}) {Role(role).label.lower()}.",
        summary={"person": person.email, "organisation": organisation.name, "role": role},
    )
    return assignment


def remove_role(actor: User, partnership: Partnership, *, assignment_id: int) -> None:
    access = access_for(actor, partnership)
    assignment = (
        RoleAssignment.objects.filter(partnership=partnership, pk=assignment_id)
        .select_related("person", "organisation")
        .first()
    )
    if assignment is None:
        raise NotFound("No such role in this partnership.")
    if not access.can_assign_for(assignment.organisation):
        access.check(Action.ASSIGN_ROLES)
    if assignment.role == Role.LEAD:
        if not access.can(Action.ASSIGN_ROLES):
            raise Denied("Only a partnership lead can remove a lead.")
        if not partnership.roles.filter(role=Role.LEAD).exclude(pk=assignment.pk).exists():
            raise Conflict("A partnership needs at least one lead: name another lead first.")
    assignment.delete()
    audit.record(
        actor,
        action="role.remove",
        object_type="roleassignment",
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} removed the role {Role(assignment.role).label.lower()} from "
            f"{assignment.person} ({assignment.organisation})."
        ),
        summary={
            "person": assignment.person.email,
            "organisation": assignment.organisation.name,
            "role": assignment.role,
        },
    )


# -- lifecycle -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageOption:
    stage: Stage
    forward: bool
    checklist: list[gates.GateResult]

    @property
    def ready(self) -> bool:
        return all(item.met for item in self.checklist)


def stage_options(partnership: Partnership) -> list[StageOption]:
    """The stages the partnership may move to next, each with its gate checklist."""
    options = []
    for target in TRANSITIONS[partnership.stage]:
        forward = is_forward(partnership.stage, target)
        checklist = gates.checklist(partnership, target) if forward else []
        options.append(StageOption(Stage(target), forward, checklist))
    return options


def change_stage(actor: User, partnership: Partnership, *, to: str, note: str = "") -> StageChange:
    """Move to another stage; a forward move is refused while any gate is unmet."""
    access = access_for(actor, partnership)
    access.check(Action.CHANGE_STAGE)
    if to not in Stage.values:
        raise Invalid("Choose a stage.", errors={"to": ["Unknown stage."]})
    if to not in TRANSITIONS[partnership.stage]:
        raise Conflict(
            f"A partnership cannot move from {Stage(partnership.stage).label.lower()} "
            f"to {Stage(to).label.lower()}."
        )
    if is_forward(partnership.stage, to):
        unmet = [r for r in gates.checklist(partnership, to) if not r.met]
        if unmet:
            reasons = " ".join(r.reason for r in unmet)
            raise Conflict(
                f"The partnership cannot move to {Stage(to).label.lower()} yet. {reasons}"
            )
    if to == Stage.CLOSED and not note.strip():
        raise Invalid(
            "Say why the partnership is closing.", errors={"note": ["A reason is required."]}
        )
    now = clock.now()
    change = StageChange.objects.create(
        partnership=partnership,
        from_stage=partnership.stage,
        to_stage=to,
        changed_by=actor,
        at=now,
        note=note.strip(),
    )
    partnership.stage, partnership.stage_changed_at, partnership.updated_at = to, now, now
    partnership.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit.record(
        actor,
        action="stage.change",
        obj=partnership,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} moved the partnership from {Stage(change.from_stage).label.lower()} "
            f"to {Stage(to).label.lower()}."
        ),
        summary={"from": change.from_stage, "to": to, "note": change.note},
    )
    return change


# -- glossary --------------------------------------------------------------------------------


def glossary_of(partnership: Partnership) -> list[GlossaryTerm]:
    return list(
        partnership.glossary.select_related("proposed_by", "proposed_for").prefetch_related(
            Prefetch(
                "agreements", queryset=GlossaryAgreement.objects.select_related("organisation")
            )
        )
    )


def get_term(actor: User, partnership: Partnership, term_id: int) -> GlossaryTerm:
    term = (
        GlossaryTerm.objects.visible_to(actor).filter(partnership=partnership, pk=term_id).first()
    )
    if term is None:
        raise NotFound("No such glossary term.")
    return term


def _clean_term(term: str, definition: str) -> tuple[str, str]:
    term, definition = (term or "").strip(), (definition or "").strip()
    errors = {}
    if not term:
        errors["term"] = ["Enter the term."]
    elif len(term) > 120:
        errors["term"] = ["Keep the term under 120 characters."]
    if not definition:
        errors["definition"] = ["Say what the term means in this partnership."]
    if errors:
        raise Invalid("The glossary entry needs correcting.", errors=errors)
    return term, definition


def propose_term(
    actor: User, partnership: Partnership, *, term: str, definition: str
) -> GlossaryTerm:
    """Propose a term; the proposer's organisation agrees to it by proposing it."""
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    term, definition = _clean_term(term, definition)
    if partnership.glossary.filter(term__iexact=term).exists():
        raise Conflict(f"The glossary already defines {term!r}: edit that entry instead.")
    now = clock.now()
    entry = GlossaryTerm.objects.create(
        partnership=partnership,
        term=term,
        definition=definition,
        proposed_by=actor,
        proposed_for=access.acting_organisation,
        created_at=now,
        updated_at=now,
    )
    GlossaryAgreement.objects.create(
        term=entry, organisation=access.acting_organisation, agreed_by=actor, at=now
    )
    audit.record(
        actor,
        action="glossary.propose",
        obj=entry,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} proposed the term {term!r}.",
        summary={"term": term, "definition": definition},
    )
    return entry


def update_term(
    actor: User, term: GlossaryTerm, *, term_text: str, definition: str
) -> GlossaryTerm:
    """Change a term; every party's agreement is cleared and the editor's party agrees anew."""
    partnership = term.partnership
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    new_term, new_definition = _clean_term(term_text, definition)
    if partnership.glossary.filter(term__iexact=new_term).exclude(pk=term.pk).exists():
        raise Conflict(f"The glossary already defines {new_term!r}.")
    if (new_term, new_definition) == (term.term, term.definition):
        return term
    before = {"term": term.term, "definition": term.definition}
    now = clock.now()
    term.term, term.definition, term.updated_at = new_term, new_definition, now
    term.save()
    term.agreements.all().delete()
    GlossaryAgreement.objects.create(
        term=term, organisation=access.acting_organisation, agreed_by=actor, at=now
    )
    audit.record(
        actor,
        action="glossary.update",
        obj=term,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} changed the term {new_term!r}; every other party must agree again.",
        summary={"before": before, "after": {"term": new_term, "definition": new_definition}},
    )
    return term


def agree_term(actor: User, term: GlossaryTerm) -> GlossaryAgreement:
    """Agree to a term's current definition on behalf of the actor's organisation."""
    partnership = term.partnership
    access = access_for(actor, partnership)
    access.check(Action.AGREE_FOR_PARTY)
    organisation = access.acting_organisation
    if term.agreements.filter(organisation=organisation).exists():
        raise Conflict(f"{organisation} has already agreed to this definition.")
    agreement = GlossaryAgreement.objects.create(
        term=term, organisation=organisation, agreed_by=actor, at=clock.now()
    )
    audit.record(
        actor,
        action="glossary.agree",
        obj=term,
        partnership=partnership,
        organisation=organisation,
        message=f"{actor} agreed the term {term.term!r} for {organisation}.",
        summary={"term": term.term},
    )
    return agreement


def term_status(
    term: GlossaryTerm, parties: list[Party]
) -> tuple[list[Organisation], list[Organisation]]:
    """(organisations that agree, active organisations that have not yet agreed)."""
    agreed_ids = {a.organisation_id for a in term.agreements.all()}
    active = [p.organisation for p in parties if p.status == Party.Status.ACTIVE]
    return (
        [o for o in active if o.pk in agreed_ids],
        [o for o in active if o.pk not in agreed_ids],
    )


def verify_trail(partnership: Partnership) -> audit.ChainReport:
    """Recompute the partnership's hash chain; the audit page shows the answer."""
    return audit.verify([audit.scope_for(partnership=partnership)])[0]
