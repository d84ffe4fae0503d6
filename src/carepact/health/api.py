"""Partnership health as JSON: the same services and the same suppressed report as the pages.

The respondent routes under ``/health/respond/{token}`` take no authentication: the
personal link's token is the credential, as on the pages.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from ninja import Router, Schema, Status

from carepact.core.errors import NotFound
from carepact.engine.health import instrument as ins
from carepact.engine.health.playbook import entries
from carepact.engine.health.rules import Config
from carepact.health import rules, services
from carepact.health.models import Round
from carepact.partnerships import services as partnership_services

router = Router(tags=["partnership health"])

P = "/partnerships/{slug}/health"


class ParticipationCell(Schema):
    party: str
    party_name: str
    level: str
    level_label: str
    invited: int
    responded: int
    rate: float


class Participation(Schema):
    invited: int
    responded: int
    rate: float | None
    cells: list[ParticipationCell]


class RoundOut(Schema):
    number: int
    kind: str
    instrument: str
    status: str
    opened_at: datetime
    closes_on: date
    closed_at: datetime | None
    reminders_sent: int
    participation: Participation
    results: str | None  # the results URL, once closed


class RoundIn(Schema):
    kind: str = Round.Kind.FULL
    closes_on: date


class RemindOut(Schema):
    reminded: int


class SettingsOut(Schema):
    party_weights: dict[str, float]
    intended_shares: dict[str, float]
    thresholds: dict[str, float]
    defaults: dict[str, float]


class SettingsIn(Schema):
    party_weights: dict[str, float] | None = None
    intended_shares: dict[str, float] | None = None
    thresholds: dict[str, float] | None = None


class ResponseState(Schema):
    partnership: str
    round: int
    kind: str
    instrument: str
    closes_on: date
    party: str
    level: str
    parties: list[dict]
    steps: list[str]
    questions: list[str]  # every answer key this form accepts
    answers: dict


class AnswersIn(Schema):
    answers: dict[str, int | str | None]
    step: str | None = None


def _link(request, token: str) -> str:
    return request.build_absolute_uri(reverse("health:respond", args=[token]))


def _round_out(request, slug: str, found: Round) -> dict:
    return {
        "number": found.number,
        "kind": found.kind,
        "instrument": found.instrument,
        "status": found.status,
        "opened_at": found.opened_at,
        "closes_on": found.closes_on,
        "closed_at": found.closed_at,
        "reminders_sent": found.reminders_sent,
        "participation": services.participation(found),
        "results": None
        if found.is_open
        else request.build_absolute_uri(
            f"/api/v1/partnerships/{slug}/health/rounds/{found.number}/results"
        ),
    }


def _visible(request, slug: str):
    partnership, access = partnership_services.get_with_access(request.auth, slug)
    rules.check(access, rules.HealthAction.VIEW)
    return partnership


@router.get(f"{P}/rounds", response=list[RoundOut], summary="Health checks and response rates")
def list_rounds(request, slug: str):
    partnership = _visible(request, slug)
    return [_round_out(request, slug, r) for r in services.rounds_of(partnership)]


@router.post(f"{P}/rounds", response={201: RoundOut}, summary="Open a health check")
def open_round(request, slug: str, payload: RoundIn):
    partnership = partnership_services.get_partnership(request.auth, slug)
    link = lambda token: _link(request, token)  # noqa: E731
    with transaction.atomic():
        found = services.open_round(
            request.auth,
            partnership,
            kind=payload.kind,
            closes_on=payload.closes_on,
            link_for=link,
        )
    return Status(201, _round_out(request, slug, found))


@router.get(f"{P}/rounds/{{number}}", response=RoundOut)
def get_round(request, slug: str, number: int):
    partnership = _visible(request, slug)
    return _round_out(request, slug, services.get_round(request.auth, partnership, number))


@router.post(f"{P}/rounds/{{number}}/close", response=RoundOut, summary="Close a health check")
def close_round(request, slug: str, number: int):
    partnership = partnership_services.get_partnership(request.auth, slug)
    found = services.get_round(request.auth, partnership, number)
    with transaction.atomic():
        services.close_round(request.auth, found)
    return _round_out(request, slug, found)


@router.post(
    f"{P}/rounds/{{number}}/reminders",
    response=RemindOut,
    summary="Remind everyone who has not answered",
)
def remind(request, slug: str, number: int):
    partnership = partnership_services.get_partnership(request.auth, slug)
    found = services.get_round(request.auth, partnership, number)
    link = lambda token: _link(request, token)  # noqa: E731
    with transaction.atomic():
        sent = services.send_reminders(request.auth, found, link_for=link)
    return {"reminded": sent}


@router.get(
    f"{P}/rounds/{{number}}/results",
    response=dict,
    summary="Results of a closed health check (schema carepact.health.report/1)",
)
def results(request, slug: str, number: int):
    partnership = _visible(request, slug)
    found = services.get_round(request.auth, partnership, number)
    return {
        "partnership": {"slug": partnership.slug, "title": partnership.title},
        **services.report_for(found),
    }


def _settings_out(partnership) -> dict:
    found = services.settings_for(partnership)
    return {
        "party_weights": found.party_weights,
        "intended_shares": found.intended_shares,
        "thresholds": found.thresholds,
        "defaults": Config().as_dict(),
    }


@router.get(f"{P}/settings", response=SettingsOut, summary="Weights, agreed shares, thresholds")
def get_settings(request, slug: str):
    return _settings_out(_visible(request, slug))


@router.put(f"{P}/settings", response=SettingsOut, summary="Change the health settings")
def put_settings(request, slug: str, payload: SettingsIn):
    partnership = partnership_services.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.update_settings(request.auth, partnership, **payload.dict())
    return _settings_out(partnership)


@router.get("/health/instruments/{instrument_id}", response=dict, summary="A health instrument")
def instrument(request, instrument_id: str):
    try:
        found = ins.load(instrument_id)
    except ins.InstrumentError as exc:
        raise NotFound(str(exc)) from exc
    return {
        "id": found.id,
        "version": found.version,
        "title": found.title,
        "scale": {str(k): v for k, v in found.scale.items()},
        "missing": dict(found.missing),
        "constructs": [
            {
                "code": c.code,
                "name": c.name,
                "intro": c.intro,
                "about_each_party": c.directional,
                "outcome": c.outcome,
                "items": [
                    {"id": i.id, "text": i.text, "reverse": i.reverse, "pulse": i.pulse}
                    for i in c.items
                ],
                "mistrust": [{"id": i.id, "text": i.text} for i in c.mistrust],
                "balance": None
                if c.balance is None
                else {
                    "id": c.balance.id,
                    "text": c.balance.text,
                    "options": dict(c.balance.options),
                },
                "influence": None
                if c.influence is None
                else {
                    "id": c.influence.id,
                    "text": c.influence.text,
                    "options": dict(c.influence.options),
                },
            }
            for c in found.constructs
        ],
        "open": [{"id": q.id, "text": q.text} for q in found.open],
    }


@router.get("/health/playbook", response=list[dict], summary="What to do about each warning")
def playbook(request):
    return [
        {
            "key": e.key,
            "title": e.title,
            "when": e.when,
            "why": e.why,
            "steps": list(e.steps),
            "in_carepact": e.in_carepact,
        }
        for e in entries().values()
    ]


# -- answering: the link's token is the credential ------------------------------------------


def _state(invitation) -> dict:
    found = invitation.round
    parties = services.parties_of_round(found)
    draft = services.draft_of(invitation)
    instrument = ins.load(found.instrument)
    return {
        "partnership": found.partnership.title,
        "round": found.number,
        "kind": found.kind,
        "instrument": found.instrument,
        "closes_on": found.closes_on,
        "party": invitation.organisation.slug,
        "level": invitation.level,
        "parties": found.parties,
        "steps": list(instrument.steps(found.kind)),
        "questions": instrument.answer_keys(found.kind, parties),
        "answers": dict(draft.answers) if draft else {},
    }


@router.get(
    "/health/respond/{token}",
    response=ResponseState,
    auth=None,
    summary="A response in progress (the link's token is the credential)",
)
def response_state(request, token: str):
    return _state(services.find_invitation(token))


@router.put(
    "/health/respond/{token}/answers",
    response=ResponseState,
    auth=None,
    summary="Save answers (one step, or all) to a response in progress",
)
def save_answers(request, token: str, payload: AnswersIn):
    invitation = services.find_invitation(token)
    answers = {k: "" if v is None else v for k, v in payload.answers.items()}
    with transaction.atomic():
        services.save_answers(invitation, step=payload.step, answers=answers)
    return _state(invitation)


@router.post(
    "/health/respond/{token}/submit",
    response={204: None},
    auth=None,
    summary="Send the response: it can no longer be changed and the link stops working",
)
def submit(request, token: str):
    invitation = services.find_invitation(token)
    with transaction.atomic():
        services.submit_response(invitation)
    return Status(204, None)
