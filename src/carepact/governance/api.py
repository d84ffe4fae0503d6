"""Governance as JSON: bodies, meetings, decisions, actions, escalations, risks, shares."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from ninja import Router, Schema, Status

from carepact.accounts.models import Membership, Organisation, User
from carepact.core.errors import Invalid
from carepact.governance import report, services
from carepact.governance.models import Action, Escalation, Meeting, Risk
from carepact.partnerships import services as partnerships
from carepact.partnerships.rules import access_for

router = Router(tags=["governance"])
P = "/partnerships/{slug}/governance"


class PersonRef(Schema):
    email: str
    organisation: str  # slug


class BodyIn(Schema):
    name: str
    kind: str = "board"
    decision_rights: str = ""


class MemberOut(Schema):
    person: str
    organisation: str
    is_chair: bool
    votes: bool


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    decision_rights: list[str]
    members: list[MemberOut]


class MemberIn(PersonRef):
    is_chair: bool = False
    votes: bool = True


class AgendaIn(Schema):
    title: str
    proposed_by: str  # organisation slug


class MeetingIn(Schema):
    body_id: int
    held_on: date
    title: str
    minutes: str = ""
    agenda: list[AgendaIn] = []
    attendees: list[PersonRef] = []


class MeetingOut(Schema):
    id: int
    body: str
    held_on: date
    title: str
    minutes: str
    agenda: list[dict]
    attendees: list[dict]


class PositionIn(Schema):
    organisation: str
    vote: str
    note: str = ""


class DecisionIn(Schema):
    body_id: int
    meeting_id: int | None = None
    title: str
    detail: str = ""
    proposed_by: PersonRef
    decided_on: date
    outcome: str
    positions: list[PositionIn]


class DecisionOut(Schema):
    id: int
    body: str
    meeting_id: int | None
    title: str
    detail: str
    proposed_by: str
    proposed_for: str
    decided_on: date
    outcome: str
    positions: list[dict]


class ActionIn(Schema):
    title: str
    owner: PersonRef
    due_on: date
    meeting_id: int | None = None


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    owner_organisation: str
    due_on: date
    status: str
    overdue: bool


class StatusIn(Schema):
    status: str
    resolution: str = ""


class EscalationIn(Schema):
    kind: str
    title: str
    description: str
    anonymous: bool = False


class EscalationOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    raised_by: str
    handled_by: str | None
    respond_by: date | None
    status: str
    resolution: str
    raised_at: datetime


class RiskIn(Schema):
    title: str
    category: str
    owner: str  # e-mail
    likelihood: int
    impact: int
    mitigation: str = ""
    review_on: date
    status: str = "open"


class RiskPatch(Schema):
    title: str | None = None
    category: str | None = None
    likelihood: int | None = None
    impact: int | None = None
    mitigation: str | None = None
    review_on: date | None = None
    status: str | None = None


class RiskOut(Schema):
    id: int
    title: str
    category: str
    owner: str
    likelihood: int
    impact: int
    score: int
    mitigation: str
    review_on: date
    status: str
    review_overdue: bool


class SharesOut(Schema):
    since: date
    parties: list[str]
    decisions_proposed: dict[str, float] | None
    agenda_items: dict[str, float] | None
    attendance: dict[str, float] | None


class ReportLineOut(Schema):
    area: str
    measure: str
    measured: bool
    value: str


def _person(ref: PersonRef, partnership) -> tuple[User, Organisation]:
    membership = (
        Membership.objects.filter(
            user__email=ref.email.strip().lower(), organisation__slug=ref.organisation
        )
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Invalid(f"No member {ref.email} of {ref.organisation}.")
    return membership.user, membership.organisation


def _org(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise Invalid(f"No organisation {slug!r}.")
    return found


def _body_out(body) -> dict:
    return {
        "id": body.pk,
        "name": body.name,
        "kind": body.kind,
        "decision_rights": body.rights(),
        "members": [
            {
                "person": m.person.email,
                "organisation": m.organisation.slug,
                "is_chair": m.is_chair,
                "votes": m.votes,
            }
            for m in body.members.all()
        ],
    }


def _meeting_out(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "body": m.body.name,
        "held_on": m.held_on,
        "title": m.title,
        "minutes": m.minutes,
        "agenda": [{"title": a.title, "proposed_by": a.proposed_by.slug} for a in m.agenda.all()],
        "attendees": [
            {"person": a.person.email, "organisation": a.organisation.slug}
            for a in m.attendance.all()
        ],
    }


def _decision_out(d) -> dict:
    return {
        "id": d.pk,
        "body": d.body.name,
        "meeting_id": d.meeting_id,
        "title": d.title,
        "detail": d.detail,
        "proposed_by": d.proposed_by.email if d.proposed_by else "",
        "proposed_for": d.proposed_for.slug,
        "decided_on": d.decided_on,
        "outcome": d.outcome,
        "positions": [
            {"organisation": p.organisation.slug, "vote": p.vote, "note": p.note}
            for p in d.positions.all()
        ],
    }


def _action_out(a: Action) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "owner": a.owner.email,
        "owner_organisation": a.owner_organisation.slug,
        "due_on": a.due_on,
        "status": a.status,
        "overdue": a.is_overdue(services.today()),
    }


def _escalation_out(e: Escalation, access) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "title": e.title,
        "description": e.description,
        "raised_by": services.author_for(e, access),
        "handled_by": e.handled_by.name if e.handled_by else None,
        "respond_by": e.respond_by,
        "status": e.status,
        "resolution": e.resolution,
        "raised_at": e.raised_at,
    }


def _risk_out(r: Risk) -> dict:
    return {
        "id": r.pk,
        "title": r.title,
        "category": r.category,
        "owner": r.owner.email,
        "likelihood": r.likelihood,
        "impact": r.impact,
        "score": r.score,
        "mitigation": r.mitigation,
        "review_on": r.review_on,
        "status": r.status,
        "review_overdue": r.status == "open" and r.review_on < services.today(),
    }


@router.get(P + "/bodies", response=list[BodyOut])
def list_bodies(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    return [_body_out(b) for b in services.bodies_of(p)]


@router.post(P + "/bodies", response={201: BodyOut})
def create_body(request, slug: str, payload: BodyIn):
    p = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        body = services.create_body(request.auth, p, **payload.dict())
    return Status(201, _body_out(body))


@router.post(P + "/bodies/{body_id}/members", response={201: BodyOut})
def add_member(request, slug: str, body_id: int, payload: MemberIn):
    p = partnerships.get_partnership(request.auth, slug)
    body = services.get_body(request.auth, p, body_id)
    person, org = _person(payload, p)
    with transaction.atomic():
        services.add_member(
            request.auth,
            body,
            person=person,
            organisation=org,
            is_chair=payload.is_chair,
            votes=payload.votes,
        )
    return Status(201, _body_out(services.bodies_of(p).get(pk=body.pk)))


@router.get(P + "/meetings", response=list[MeetingOut])
def list_meetings(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    return [_meeting_out(m) for m in services.meetings_of(p)]


@router.post(P + "/meetings", response={201: MeetingOut})
def record_meeting(request, slug: str, payload: MeetingIn):
    p = partnerships.get_partnership(request.auth, slug)
    body = services.get_body(request.auth, p, payload.body_id)
    agenda = [(item.title, _org(item.proposed_by)) for item in payload.agenda]
    attendees = [_person(ref, p) for ref in payload.attendees]
    with transaction.atomic():
        meeting = services.record_meeting(
            request.auth,
            p,
            body=body,
            held_on=payload.held_on,
            title=payload.title,
            minutes=payload.minutes,
            agenda=agenda,
            attendees=attendees,
        )
    return Status(201, _meeting_out(services.meetings_of(p).get(pk=meeting.pk)))


@router.get(P + "/decisions", response=list[DecisionOut])
def list_decisions(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    return [_decision_out(d) for d in services.decisions_of(p)]


@router.post(P + "/decisions", response={201: DecisionOut})
def record_decision(request, slug: str, payload: DecisionIn):
    p = partnerships.get_partnership(request.auth, slug)
    body = services.get_body(request.auth, p, payload.body_id)
    meeting = (
        services.get_object(request.auth, p, Meeting, payload.meeting_id)
        if payload.meeting_id
        else None
    )
    proposer, proposer_org = _person(payload.proposed_by, p)
    positions = {_org(x.organisation): (x.vote, x.note) for x in payload.positions}
    with transaction.atomic():
        decision = services.record_decision(
            request.auth,
            p,
            body=body,
            meeting=meeting,
            title=payload.title,
            detail=payload.detail,
            proposed_by=proposer,
            proposed_for=proposer_org,
            decided_on=payload.decided_on,
            outcome=payload.outcome,
            positions=positions,
        )
    return Status(201, _decision_out(services.decisions_of(p).get(pk=decision.pk)))


@router.get(
    P + "/shares",
    response=SharesOut,
    summary="Each party's share of proposals, agenda and attendance",
)
def shares(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    s = services.behavioural_shares(p)
    return {
        "since": s.since,
        "parties": s.parties,
        "decisions_proposed": s.decisions_proposed,
        "agenda_items": s.agenda_items,
        "attendance": s.attendance,
    }


@router.get(P + "/actions", response=list[ActionOut])
def list_actions(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    return [_action_out(a) for a in services.actions_of(p)]


@router.post(P + "/actions", response={201: ActionOut})
def create_action(request, slug: str, payload: ActionIn):
    p = partnerships.get_partnership(request.auth, slug)
    owner, org = _person(payload.owner, p)
    meeting = (
        services.get_object(request.auth, p, Meeting, payload.meeting_id)
        if payload.meeting_id
        else None
    )
    with transaction.atomic():
        action = services.create_action(
            request.auth,
            p,
            title=payload.title,
            owner=owner,
            owner_organisation=org,
            due_on=payload.due_on,
            meeting=meeting,
        )
    return Status(201, _action_out(action))


@router.patch(P + "/actions/{action_id}", response=ActionOut)
def update_action(request, slug: str, action_id: int, payload: StatusIn):
    p = partnerships.get_partnership(request.auth, slug)
    action = services.get_object(request.auth, p, Action, action_id)
    with transaction.atomic():
        services.set_action_status(request.auth, action, status=payload.status)
    return _action_out(action)


@router.get(P + "/escalations", response=list[EscalationOut])
def list_escalations(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    access = access_for(request.auth, p)
    return [_escalation_out(e, access) for e in services.escalations_of(p)]


@router.post(P + "/escalations", response={201: EscalationOut})
def raise_escalation(request, slug: str, payload: EscalationIn):
    p = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        escalation = services.raise_escalation(request.auth, p, **payload.dict())
    return Status(201, _escalation_out(escalation, access_for(request.auth, p)))


@router.patch(P + "/escalations/{escalation_id}", response=EscalationOut)
def handle_escalation(request, slug: str, escalation_id: int, payload: StatusIn):
    p = partnerships.get_partnership(request.auth, slug)
    escalation = services.get_object(request.auth, p, Escalation, escalation_id)
    with transaction.atomic():
        services.handle_escalation(
            request.auth, escalation, status=payload.status, resolution=payload.resolution
        )
    return _escalation_out(escalation, access_for(request.auth, p))


@router.get(P + "/risks", response=list[RiskOut])
def list_risks(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    return [_risk_out(r) for r in services.risks_of(p)]


@router.post(P + "/risks", response={201: RiskOut})
def create_risk(request, slug: str, payload: RiskIn):
    p = partnerships.get_partnership(request.auth, slug)
    owner = User.objects.filter(email=payload.owner.strip().lower()).first()
    if owner is None:
        raise Invalid("No person with that e-mail address.", errors={"owner": ["Unknown."]})
    with transaction.atomic():
        risk = services.create_risk(request.auth, p, **{**payload.dict(), "owner": owner})
    return Status(201, _risk_out(risk))


@router.patch(P + "/risks/{risk_id}", response=RiskOut)
def update_risk(request, slug: str, risk_id: int, payload: RiskPatch):
    p = partnerships.get_partnership(request.auth, slug)
    risk = services.get_object(request.auth, p, Risk, risk_id)
    with transaction.atomic():
        services.update_risk(request.auth, risk, **payload.dict(exclude_none=True))
    return _risk_out(risk)


@router.get(P + "/report", response=list[ReportLineOut], summary="The progress report's measures")
def progress_report(request, slug: str):
    p = partnerships.get_partnership(request.auth, slug)
    return [
        {
            "area": line.area,
            "measure": line.label,
            "measured": line.reading.measured,
            "value": line.shown,
        }
        for line in report.build(p).lines
    ]
