"""Governance: bodies and their members, meetings, decisions with each party's position,
actions, escalations and grievances, and the risk register.

Recording the partnership's business is for anyone who contributes to it; setting up bodies
and routes is for leads; raising an escalation or a grievance is open to every member of a
party. A grievance can hide who raised it from the other parties: the page, the API and the
audit trail then name nobody to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from carepact.accounts.models import Membership, Organisation, User
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.engine import governance as calc
from carepact.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Escalation,
    Meeting,
    Position,
    Risk,
    Route,
)
from carepact.partnerships.models import Partnership, Party
from carepact.partnerships.rules import Access, access_for
from carepact.partnerships.rules import Action as Do


def _party_orgs(partnership: Partnership) -> list[Organisation]:
    return [
        p.organisation
        for p in partnership.parties.filter(status=Party.Status.ACTIVE).select_related(
            "organisation"
        )
    ]


def _check_person_of(person: User, organisation: Organisation, partnership: Partnership) -> None:
    if organisation not in _party_orgs(partnership):
        raise Invalid(f"{organisation} is not an active party to this partnership.")
    if not Membership.objects.filter(user=person, organisation=organisation).exists():
        raise Invalid(f"{person} is not a member of {organisation}.")


def _require(value, field: str, message: str, errors: dict) -> None:
    if value in (None, "", []):
        errors.setdefault(field, []).append(message)


def today() -> date:
    return clock.now().date()


# -- bodies and routes -----------------------------------------------------------------------


def create_body(
    actor: User, partnership: Partnership, *, name: str, kind: str, decision_rights: str = ""
) -> Body:
    access = access_for(actor, partnership)
    access.check(Do.EDIT)
    name = (name or "").strip()
    if not name:
        raise Invalid("Name the body.", errors={"name": ["Required."]})
    if kind not in Body.Kind.values:
        raise Invalid("Choose the kind of body.", errors={"kind": ["Required."]})
    body = Body.objects.create(
        partnership=partnership, name=name, kind=kind, decision_rights=decision_rights.strip()
    )
    audit.record(
        actor,
        action="governance.body_create",
        obj=body,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} set up the {body.get_kind_display().lower()} '{body}'.",
        summary={"name": name, "kind": kind, "decision_rights": body.rights()},
    )
    return body


def add_member(
    actor: User,
    body: Body,
    *,
    person: User,
    organisation: Organisation,
    is_chair: bool = False,
    votes: bool = True,
) -> BodyMember:
    access = access_for(actor, body.partnership)
    access.check(Do.EDIT)
    _check_person_of(person, organisation, body.partnership)
    if body.members.filter(person=person).exists():
        raise Conflict(f"{person} already sits on {body}.")
    member = BodyMember.objects.create(
        body=body, person=person, organisation=organisation, is_chair=is_chair, votes=votes
    )
    audit.record(
        actor,
        action="governance.member_add",
        obj=member,
        partnership=body.partnership,
        organisation=access.acting_organisation,
        message=f"{actor} put {person} ({organisation}) on {body}"
        f"{' as chair' if is_chair else ''}{'' if votes else ', without a vote'}.",
        summary={"person": person.email, "organisation": organisation.name, "votes": votes},
    )
    return member


def set_route(
    actor: User, partnership: Partnership, *, kind: str, body: Body, respond_within_days: int
) -> Route:
    access = access_for(actor, partnership)
    access.check(Do.EDIT)
    if kind not in Escalation.Kind.values:
        raise Invalid("Choose escalations or grievances.", errors={"kind": ["Required."]})
    if body.partnership_id != partnership.pk:
        raise Invalid("That body belongs to another partnership.")
    if not 1 <= respond_within_days <= 120:
        raise Invalid(
            "Give between 1 and 120 days to respond.",
            errors={"respond_within_days": ["1 to 120."]},
        )
    route, _ = Route.objects.update_or_create(
        partnership=partnership,
        kind=kind,
        defaults={"body": body, "respond_within_days": respond_within_days},
    )
    audit.record(
        actor,
        action="governance.route_set",
        obj=route,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} routed {kind}s to {body}, to be answered within "
        f"{respond_within_days} days.",
        summary={"kind": kind, "body": body.name, "days": respond_within_days},
    )
    return route


# -- meetings and decisions ------------------------------------------------------------------


def record_meeting(
    actor: User,
    partnership: Partnership,
    *,
    body: Body,
    held_on: date,
    title: str,
    minutes: str = "",
    agenda: Iterable[tuple[str, Organisation]] = (),
    attendees: Iterable[tuple[User, Organisation]] = (),
) -> Meeting:
    """Record a meeting with its agenda (each item with the party that proposed it) and who came."""
    access = access_for(actor, partnership)
    access.check(Do.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    _require((title or "").strip(), "title", "Give the meeting a title.", errors)
    _require(held_on, "held_on", "Give the date it was held.", errors)
    if held_on and held_on > today():
        errors.setdefault("held_on", []).append("Record meetings once they have been held.")
    if body.partnership_id != partnership.pk:
        errors.setdefault("body", []).append("That body belongs to another partnership.")
    agenda, attendees = list(agenda), list(attendees)
    orgs = _party_orgs(partnership)
    for _, org in agenda:
        if org not in orgs:
            errors.setdefault("agenda", []).append(f"{org} is not a party.")
    if errors:
        raise Invalid("The meeting record needs correcting.", errors=errors)
    for person, org in attendees:
        _check_person_of(person, org, partnership)
    meeting = Meeting.objects.create(
        partnership=partnership,
        body=body,
        held_on=held_on,
        title=title.strip(),
        minutes=minutes.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=item.strip(), proposed_by=org)
        for item, org in agenda
        if item.strip()
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, organisation=org) for person, org in attendees
    )
    audit.record(
        actor,
        action="governance.meeting_record",
        obj=meeting,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} recorded the meeting '{meeting.title}' of {body}.",
        summary={
            "held_on": held_on.isoformat(),
            "agenda_items": len(agenda),
            "attendees": len(attendees),
        },
    )
    return meeting


def record_decision(
    actor: User,
    partnership: Partnership,
    *,
    body: Body,
    title: str,
    proposed_by: User,
    proposed_for: Organisation,
    decided_on: date,
    outcome: str,
    positions: dict[Organisation, tuple[str, str]],
    detail: str = "",
    meeting: Meeting | None = None,
) -> Decision:
    """Record a decision and each party's position; a party against it must say why."""
    access = access_for(actor, partnership)
    access.check(Do.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    _require((title or "").strip(), "title", "Say what was decided.", errors)
    if outcome not in Decision.Outcome.values:
        errors.setdefault("outcome", []).append("Choose the outcome.")
    if decided_on and decided_on > today():
        errors.setdefault("decided_on", []).append("Record decisions once they are taken.")
    if body.partnership_id != partnership.pk:
        errors.setdefault("body", []).append("That body belongs to another partnership.")
    if meeting is not None and meeting.partnership_id != partnership.pk:
        errors.setdefault("meeting", []).append("That meeting belongs to another partnership.")
    orgs = _party_orgs(partnership)
    for org, (vote, note) in positions.items():
        if org not in orgs:
            errors.setdefault("positions", []).append(f"{org} is not a party.")
        if vote not in Position.Vote.values:
            errors.setdefault("positions", []).append(f"Choose {org}'s position.")
        if vote == Position.Vote.AGAINST and not (note or "").strip():
            errors.setdefault("positions", []).append(
                f"{org} voted against: record its reason, so the dissent is on the record."
            )
    if errors:
        raise Invalid("The decision record needs correcting.", errors=errors)
    _check_person_of(proposed_by, proposed_for, partnership)
    decision = Decision.objects.create(
        partnership=partnership,
        body=body,
        meeting=meeting,
        title=title.strip(),
        detail=detail.strip(),
        proposed_by=proposed_by,
        proposed_for=proposed_for,
        decided_on=decided_on,
        outcome=outcome,
        recorded_at=clock.now(),
    )
    Position.objects.bulk_create(
        Position(decision=decision, organisation=org, vote=vote, note=(note or "").strip())
        for org, (vote, note) in positions.items()
    )
    dissent = [org.name for org, (vote, _) in positions.items() if vote == Position.Vote.AGAINST]
    audit.record(
        actor,
        action="governance.decision_record",
        obj=decision,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{body} {decision.get_outcome_display().lower()}: {decision.title}"
        f"{' (dissent: ' + ', '.join(dissent) + ')' if dissent else ''}.",
        summary={
            "outcome": outcome,
            "proposed_by": proposed_for.name,
            "positions": {org.name: vote for org, (vote, _) in positions.items()},
        },
    )
    return decision


# -- actions ---------------------------------------------------------------------------------


def create_action(
    actor: User,
    partnership: Partnership,
    *,
    title: str,
    owner: User,
    owner_organisation: Organisation,
    due_on: date,
    meeting: Meeting | None = None,
) -> Action:
    access = access_for(actor, partnership)
    access.check(Do.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    _require((title or "").strip(), "title", "Say what is to be done.", errors)
    _require(due_on, "due_on", "Give a due date.", errors)
    if errors:
        raise Invalid("The action needs correcting.", errors=errors)
    _check_person_of(owner, owner_organisation, partnership)
    action = Action.objects.create(
        partnership=partnership,
        title=title.strip(),
        owner=owner,
        owner_organisation=owner_organisation,
        due_on=due_on,
        meeting=meeting,
        created_at=clock.now(),
    )
    audit.record(
        actor,
        action="governance.action_create",
        obj=action,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} gave {owner} ({owner_organisation}) the action '{action}', "
        f"due {due_on:%d %b %Y}.",
        summary={"owner": owner.email, "due_on": due_on.isoformat()},
    )
    return action


def set_action_status(actor: User, action: Action, *, status: str) -> Action:
    """The owner or a lead closes (or reopens) an action."""
    access = access_for(actor, action.partnership)
    if actor != action.owner:
        access.check(Do.EDIT)
    if status not in Action.Status.values:
        raise Invalid("Choose a status.", errors={"status": ["Required."]})
    if status == action.status:
        return action
    before = action.status
    action.status = status
    action.closed_at = None if status == Action.Status.OPEN else clock.now()
    action.save(update_fields=["status", "closed_at"])
    audit.record(
        actor,
        action="governance.action_status",
        obj=action,
        partnership=action.partnership,
        organisation=access.acting_organisation,
        message=f"{actor} marked the action '{action}' {action.get_status_display().lower()}.",
        summary={"from": before, "to": status},
    )
    return action


# -- escalations and grievances --------------------------------------------------------------


def raise_escalation(
    actor: User,
    partnership: Partnership,
    *,
    kind: str,
    title: str,
    description: str,
    anonymous: bool = False,
) -> Escalation:
    """Any member of a party raises an escalation or a grievance, routed as the parties agreed."""
    access = access_for(actor, partnership)
    check_raise(access)
    errors: dict[str, list[str]] = {}
    if kind not in Escalation.Kind.values:
        errors["kind"] = ["Choose escalation or grievance."]
    _require((title or "").strip(), "title", "Give it a title.", errors)
    _require((description or "").strip(), "description", "Describe what is wrong.", errors)
    if errors:
        raise Invalid("This needs correcting.", errors=errors)
    route = Route.objects.filter(partnership=partnership, kind=kind).select_related("body").first()
    raised_for = access.acting_organisation
    escalation = Escalation.objects.create(
        partnership=partnership,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        raised_by=actor,
        raised_for=raised_for,
        anonymous=anonymous,
        handled_by=route.body if route else None,
        respond_by=today() + timedelta(days=route.respond_within_days) if route else None,
        raised_at=clock.now(),
    )
    label = escalation.get_kind_display().lower()
    if anonymous:
        # The trail is read by every party: it names nobody, so the author stays hidden.
        audit.record(
            None,
            action=f"governance.{kind}_raise",
            obj=escalation,
            partnership=partnership,
            message=f"A {label} was raised in confidence: '{escalation.title}'.",
            summary={"kind": kind, "anonymous": True},
        )
    else:
        audit.record(
            actor,
            action=f"governance.{kind}_raise",
            obj=escalation,
            partnership=partnership,
            organisation=raised_for,
            message=f"{actor} ({raised_for}) raised the {label} '{escalation.title}'.",
            summary={"kind": kind, "anonymous": False},
        )
    return escalation


def check_raise(access: Access) -> None:
    if not access.party_organisations:
        raise Denied("Only members of the parties can raise escalations and grievances.")


def author_for(escalation: Escalation, access: Access) -> str:
    """Who raised it, as this reader may know it."""
    own_party = escalation.raised_for in access.party_organisations
    if escalation.anonymous and not own_party:
        return "Raised in confidence"
    who = escalation.raised_by.full_name if escalation.raised_by else "a former member"
    suffix = " (in confidence: hidden from the other parties)" if escalation.anonymous else ""
    return f"{who}, {escalation.raised_for}{suffix}"


def can_handle(access: Access, escalation: Escalation, actor: User) -> bool:
    if access.can(Do.EDIT):
        return True
    return bool(
        escalation.handled_by and escalation.handled_by.members.filter(person=actor).exists()
    )


def check_handle(access: Access, escalation: Escalation, actor: User) -> None:
    if not can_handle(access, escalation, actor):
        raise Denied("Only a lead or a member of the body that handles it can answer this.")


def handle_escalation(
    actor: User, escalation: Escalation, *, status: str, resolution: str = ""
) -> Escalation:
    access = access_for(actor, escalation.partnership)
    check_handle(access, escalation, actor)
    if status not in Escalation.Status.values:
        raise Invalid("Choose a status.", errors={"status": ["Required."]})
    if status == Escalation.Status.RESOLVED and not (resolution or "").strip():
        raise Invalid("Say how it was resolved.", errors={"resolution": ["Required to resolve."]})
    if escalation.status == Escalation.Status.RESOLVED:
        raise Conflict("This is already resolved.")
    escalation.status = status
    escalation.resolution = (resolution or "").strip()
    escalation.resolved_at = clock.now() if status == Escalation.Status.RESOLVED else None
    escalation.save(update_fields=["status", "resolution", "resolved_at"])
    audit.record(
        actor,
        action=f"governance.{escalation.kind}_update",
        obj=escalation,
        partnership=escalation.partnership,
        organisation=access.acting_organisation,
        message=f"{actor} marked '{escalation.title}' {escalation.get_status_display().lower()}.",
        summary={"status": status},
    )
    return escalation


# -- risks -----------------------------------------------------------------------------------

RISK_FIELDS = (
    "title",
    "category",
    "owner",
    "likelihood",
    "impact",
    "mitigation",
    "review_on",
    "status",
)


def _clean_risk(partnership: Partnership, fields: dict) -> dict:
    errors: dict[str, list[str]] = {}
    if "title" in fields:
        _require((fields["title"] or "").strip(), "title", "Name the risk.", errors)
    if "category" in fields and fields["category"] not in Risk.Category.values:
        errors["category"] = ["Choose a category."]
    for score in ("likelihood", "impact"):
        if score in fields and fields[score] not in (1, 2, 3, 4, 5):
            errors[score] = ["Score it from 1 (lowest) to 5 (highest)."]
    if "review_on" in fields:
        _require(fields["review_on"], "review_on", "Give a date to review it.", errors)
    if "status" in fields and fields["status"] not in Risk.Status.values:
        errors["status"] = ["Choose a status."]
    if (
        "owner" in fields
        and not Membership.objects.filter(
            user=fields["owner"], organisation__in=_party_orgs(partnership)
        ).exists()
    ):
        errors["owner"] = ["The owner must belong to one of the parties."]
    if errors:
        raise Invalid("The risk needs correcting.", errors=errors)
    return fields


def create_risk(actor: User, partnership: Partnership, **fields) -> Risk:
    access = access_for(actor, partnership)
    access.check(Do.CONTRIBUTE)
    missing = [f for f in RISK_FIELDS if f not in fields and f not in ("mitigation", "status")]
    if missing:
        raise Invalid("The risk needs correcting.", errors={f: ["Required."] for f in missing})
    fields = _clean_risk(partnership, fields)
    risk = Risk.objects.create(partnership=partnership, updated_at=clock.now(), **fields)
    audit.record(
        actor,
        action="governance.risk_create",
        obj=risk,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} added the risk '{risk}' ({risk.get_category_display().lower()}, "
        f"likelihood {risk.likelihood}, impact {risk.impact}).",
        summary={"category": risk.category, "likelihood": risk.likelihood, "impact": risk.impact},
    )
    return risk


def update_risk(actor: User, risk: Risk, **fields) -> Risk:
    access = access_for(actor, risk.partnership)
    access.check(Do.CONTRIBUTE)
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise Invalid(f"Unknown risk field(s): {', '.join(sorted(unknown))}.")
    fields = _clean_risk(risk.partnership, fields)
    changes = {}
    for name, value in fields.items():
        if getattr(risk, name) != value:
            before = getattr(risk, name)
            changes[name] = [str(before), str(value)]
            setattr(risk, name, value)
    if not changes:
        return risk
    risk.updated_at = clock.now()
    risk.save()
    audit.record(
        actor,
        action="governance.risk_update",
        obj=risk,
        partnership=risk.partnership,
        organisation=access.acting_organisation,
        message=f"{actor} updated the risk '{risk}' ({', '.join(changes)}).",
        summary={"changed": changes},
    )
    return risk


# -- reading ---------------------------------------------------------------------------------


def get_object(actor: User, partnership: Partnership, model, pk: int):
    found = model.objects.visible_to(actor).filter(partnership=partnership, pk=pk).first()
    if found is None:
        raise NotFound(f"No such {model._meta.verbose_name} in this partnership.")
    return found


def get_body(actor: User, partnership: Partnership, pk: int) -> Body:
    return get_object(actor, partnership, Body, pk)


def bodies_of(partnership: Partnership) -> QuerySet[Body]:
    return partnership.bodies.prefetch_related(
        Prefetch("members", queryset=BodyMember.objects.select_related("person", "organisation"))
    )


def meetings_of(partnership: Partnership) -> QuerySet[Meeting]:
    return partnership.meetings.select_related("body").prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("proposed_by")),
        Prefetch(
            "attendance", queryset=Attendance.objects.select_related("person", "organisation")
        ),
    )


def decisions_of(partnership: Partnership) -> QuerySet[Decision]:
    return partnership.decisions.select_related(
        "body", "meeting", "proposed_by", "proposed_for"
    ).prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )


def actions_of(partnership: Partnership) -> QuerySet[Action]:
    return partnership.actions.select_related("owner", "owner_organisation", "meeting")


def escalations_of(partnership: Partnership) -> QuerySet[Escalation]:
    return partnership.escalations.select_related("raised_by", "raised_for", "handled_by")


def risks_of(partnership: Partnership) -> QuerySet[Risk]:
    return partnership.risks.select_related("owner")


@dataclass(frozen=True)
class Shares:
    parties: list[str]
    decisions_proposed: dict[str, float] | None
    agenda_items: dict[str, float] | None
    attendance: dict[str, float] | None
    since: date


def behavioural_shares(partnership: Partnership, *, months: int = 12) -> Shares:
    """Each party's share of decisions proposed, agenda items and attendance in the period."""
    since = today() - timedelta(days=round(months * 30.44))
    parties = [org.slug for org in _party_orgs(partnership)]
    decisions = partnership.decisions.filter(decided_on__gte=since).values_list(
        "proposed_for__slug", flat=True
    )
    agenda = AgendaItem.objects.filter(
        meeting__partnership=partnership, meeting__held_on__gte=since
    ).values_list("proposed_by__slug", flat=True)
    attendance = Attendance.objects.filter(
        meeting__partnership=partnership, meeting__held_on__gte=since
    ).values_list("organisation__slug", flat=True)
    return Shares(
        parties=parties,
        decisions_proposed=calc.shares(decisions, parties),
        agenda_items=calc.shares(agenda, parties),
        attendance=calc.shares(attendance, parties),
        since=since,
    )


def overdue_actions(partnership: Partnership) -> QuerySet[Action]:
    return partnership.actions.filter(status=Action.Status.OPEN, due_on__lt=today())


def open_escalations(partnership: Partnership) -> QuerySet[Escalation]:
    return partnership.escalations.exclude(status=Escalation.Status.RESOLVED)


def overdue_reviews(partnership: Partnership) -> QuerySet[Risk]:
    return partnership.risks.filter(status=Risk.Status.OPEN, review_on__lt=today())
