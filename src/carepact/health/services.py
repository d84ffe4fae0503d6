"""Health checks: open a round, invite everyone, take answers by link, close, report.

Each function takes the acting person first (answering takes the invitation instead: the
link is the credential), checks access through ``rules``, changes rows and appends its
audit event, all in the caller's transaction. Mail goes out after commit. No audit event,
message or error ever names a respondent together with an answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Q

from carepact.accounts.models import INDUSTRY_KINDS, User
from carepact.core import audit, clock, indicators
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine.health import instrument as ins
from carepact.engine.health import report as engine_report
from carepact.engine.health.rules import Config, Indicator
from carepact.engine.health.scoring import LEVEL_LABELS, Respondent
from carepact.health import rules, tokens
from carepact.health.models import (
    LEVEL_FOR_MEMBERSHIP,
    HealthSettings,
    Invitation,
    Response,
    Round,
    SurveyLevel,
)
from carepact.partnerships import services as partnership_services
from carepact.partnerships.models import Partnership, Party, Role, Stage
from carepact.partnerships.rules import access_for

LinkFor = Callable[[str], str]
MAX_OPEN_DAYS = 92
# Each party's share of decisions proposed, agenda items and attendance, from the governance
# workspace: {"decisions_proposed": {slug: share}, "agenda_items": ..., "attendance": ...}.
# Until something provides it, the power panel says "not measured".
BEHAVIOURAL_INDICATOR = "governance_shares"
OPEN_IDS = frozenset(q.id for q in ins.load().open)


# -- reading ---------------------------------------------------------------------------------


def settings_for(partnership: Partnership) -> HealthSettings:
    """The partnership's health settings (defaults, unsaved, when none are set)."""
    found = HealthSettings.objects.filter(partnership=partnership).first()
    return found or HealthSettings(partnership=partnership)


def rounds_of(partnership: Partnership) -> list[Round]:
    return list(
        partnership.health_rounds.annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("responses", filter=Q(responses__submitted=True), distinct=True),
        ).order_by("-number")
    )


def get_round(actor: User, partnership: Partnership, number: int) -> Round:
    found = (
        Round.objects.visible_to(actor)
        .filter(partnership=partnership, number=number)
        .select_related("opened_by", "closed_by")
        .first()
    )
    if found is None:
        raise NotFound("No such health check in this partnership.")
    return found


def open_round_of(partnership: Partnership) -> Round | None:
    return partnership.health_rounds.filter(status=Round.Status.OPEN).first()


def latest_closed(partnership: Partnership, *, kind: str | None = None) -> Round | None:
    found = partnership.health_rounds.filter(status=Round.Status.CLOSED)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-number").first()


def my_invitation(actor: User, partnership: Partnership) -> Invitation | None:
    """The actor's unanswered invitation to the partnership's open round, if any."""
    return (
        Invitation.objects.filter(
            round__partnership=partnership,
            round__status=Round.Status.OPEN,
            person=actor,
            responded=False,
        )
        .select_related("round")
        .first()
    )


def participation(round: Round) -> dict:
    """Invited and answered, by party and level: counts only, safe while the round is open."""
    names = {p["key"]: p["name"] for p in round.parties}
    invited: dict[tuple[str, str], int] = {}
    for row in round.invitations.values("organisation__slug", "level").annotate(n=Count("id")):
        invited[(row["organisation__slug"], row["level"])] = row["n"]
    answered: dict[tuple[str, str], int] = {}
    for row in (
        round.responses.filter(submitted=True).values("party", "level").annotate(n=Count("id"))
    ):
        answered[(row["party"], row["level"])] = row["n"]
    cells = []
    for party in round.parties:
        for level in SurveyLevel:
            n = invited.get((party["key"], level.value), 0)
            if not n:
                continue
            got = answered.get((party["key"], level.value), 0)
            cells.append(
                {
                    "party": party["key"],
                    "party_name": names[party["key"]],
                    "level": level.value,
                    "level_label": LEVEL_LABELS[level.value],
                    "invited": n,
                    "responded": got,
                    "rate": got / n,
                }
            )
    total_invited = sum(c["invited"] for c in cells)
    total = sum(c["responded"] for c in cells)
    return {
        "invited": total_invited,
        "responded": total,
        "rate": total / total_invited if total_invited else None,
        "cells": cells,
    }


def report_for(round: Round) -> dict:
    """The round's results; only a closed round has them (an open one would leak answers).

    The survey's figures are those computed when the round closed (or when the settings
    last changed); the structural facts S1-S6, rule R10 and the behavioural shares are read
    now, since they describe the partnership rather than the answers.
    """
    if round.is_open:
        raise Conflict(
            "Results appear when the health check closes: a figure that changed as each "
            "person answered would show what that person said."
        )
    partnership = round.partnership
    before = (
        partnership.health_rounds.filter(status=Round.Status.CLOSED, number__lt=round.number)
        .order_by("-number")
        .first()
    )
    found = settings_for(partnership)
    return engine_report.refresh_structure(
        round.report,
        {k: _indicator(v) for k, v in structural_now(partnership).items()},
        previous={k: _indicator(v) for k, v in before.structural.items()} if before else None,
        config=options_for(found, round).config,
        behavioural=_indicator(_reading(partnership, BEHAVIOURAL_INDICATOR)),
    )


# -- settings --------------------------------------------------------------------------------


def _numbers(raw: Mapping[str, Any], allowed: set[str], field: str) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    errors: list[str] = []
    for key, value in (raw or {}).items():
        if key not in allowed:
            errors.append(f"{key} is not a party to this partnership.")
            continue
        if value in ("", None):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors.append(f"Enter a number for {key}.")
            continue
        if not 0 <= number <= 100:
            errors.append(f"{key}: enter a number from 0 to 100.")
            continue
        cleaned[key] = number
    if cleaned and sum(cleaned.values()) <= 0:
        errors.append("At least one party needs more than zero.")
    if errors:
        raise Invalid("Some health settings need correcting.", errors={field: errors})
    return cleaned


def update_settings(
    actor: User,
    partnership: Partnership,
    *,
    party_weights: Mapping[str, Any] | None = None,
    intended_shares: Mapping[str, Any] | None = None,
    thresholds: Mapping[str, Any] | None = None,
) -> HealthSettings:
    """Change how results are weighted and read; every closed round's report is recomputed."""
    access = access_for(actor, partnership)
    rules.check(access, rules.HealthAction.CONFIGURE)
    slugs = {p.organisation.slug for p in partnership_services.parties_of(partnership)}
    found = settings_for(partnership)
    before = {
        "party_weights": found.party_weights,
        "intended_shares": found.intended_shares,
        "thresholds": found.thresholds,
    }
    if party_weights is not None:
        found.party_weights = _numbers(party_weights, slugs, "party_weights")
    if intended_shares is not None:
        found.intended_shares = _numbers(intended_shares, slugs, "intended_shares")
    if thresholds is not None:
        cleaned = {k: v for k, v in thresholds.items() if v not in ("", None)}
        _, errors = Config().with_overrides(cleaned)
        if errors:
            raise Invalid(
                "Some thresholds need correcting.",
                errors={"thresholds": [f"{k}: {v}" for k, v in errors.items()]},
            )
        defaults = Config().as_dict()
        found.thresholds = {
            k: (int(v) if k == "cluster" else float(v))
            for k, v in cleaned.items()
            if float(v) != defaults[k]
        }
    after = {
        "party_weights": found.party_weights,
        "intended_shares": found.intended_shares,
        "thresholds": found.thresholds,
    }
    if after == before and found.pk:
        return found
    found.updated_at, found.updated_by = clock.now(), actor
    found.save()
    for closed in partnership.health_rounds.filter(status=Round.Status.CLOSED).order_by("number"):
        closed.report = _build_report(closed, found)
        closed.save(update_fields=["report"])
    audit.record(
        actor,
        action="health.settings",
        obj=found,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} changed how the partnership's health results are weighted and read.",
        summary={"before": before, "after": after},
    )
    return found


# -- rounds ----------------------------------------------------------------------------------


def _party_snapshot(partnership: Partnership) -> list[dict]:
    return [
        {
            "key": p.organisation.slug,
            "name": p.organisation.name,
            "industry": p.organisation.kind in INDUSTRY_KINDS,
        }
        for p in partnership_services.parties_of(partnership)
        if p.status == Party.Status.ACTIVE
    ]


def _invitation_mail(invitation: Invitation, link: str, *, reminder: bool) -> tuple:
    round = invitation.round
    partnership = round.partnership
    what = (
        "one statement for each of the 14 factors (about 3 minutes)"
        if round.kind == Round.Kind.PULSE
        else "about 50 statements on 14 factors, and two open questions (12 to 15 minutes)"
    )
    subject = (
        f"Reminder: health check of {partnership}"
        if reminder
        else f"Health check of {partnership}: your view, anonymously"
    )
    body = (
        f"{'A reminder: ' if reminder else ''}the partnership '{partnership}' asks everyone in "
        f"every party how the partnership is working, from trust and shared goals to voice "
        f"and value. It asks {what}.\n\n"
        f"Answer here, without signing in (the link is yours alone and works once, until "
        f"{round.closes_on:%d %B %Y}):\n{link}\n\n"
        "Your answers are stored without your name, with only your organisation and level, "
        "and no result is ever shown for a group of fewer than five people. Your answers "
        "are saved as you go, so you can stop and come back through the same link.\n"
    )
    return subject, body, None, [invitation.person.email]


def _send(messages: list[tuple]) -> None:
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages))


def open_round(
    actor: User,
    partnership: Partnership,
    *,
    kind: str = Round.Kind.FULL,
    closes_on: date,
    link_for: LinkFor | None = None,
) -> Round:
    """Open a health check and invite every member of every party, each with their own link."""
    access = access_for(actor, partnership)
    rules.check(access, rules.HealthAction.MANAGE)
    if partnership.stage == Stage.CLOSED:
        raise Conflict("This partnership is closed: it has no more health checks.")
    if open_round_of(partnership):
        raise Conflict("A health check is already open: close it before opening another.")
    errors = {}
    if kind not in Round.Kind.values:
        errors["kind"] = ["Choose a full health check or a pulse."]
    today = clock.now().date()
    if not isinstance(closes_on, date) or closes_on <= today:
        errors["closes_on"] = ["Choose a closing date after today."]
    elif closes_on > today + timedelta(days=MAX_OPEN_DAYS):
        errors["closes_on"] = [f"Keep a health check open for at most {MAX_OPEN_DAYS} days."]
    if errors:
        raise Invalid("The health check needs correcting.", errors=errors)
    parties = _party_snapshot(partnership)
    if len(parties) < 2:
        raise Conflict(
            "A health check compares the parties' views: it needs at least two organisations "
            "that have joined."
        )
    number = (
        partnership.health_rounds.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    round = Round.objects.create(
        partnership=partnership,
        number=number,
        kind=kind,
        instrument=ins.DEFAULT_INSTRUMENT,
        opened_by=actor,
        opened_at=clock.now(),
        closes_on=closes_on,
        parties=parties,
    )
    invitations, seen = [], set()
    for membership in partnership_services.people_of(partnership):
        if membership.user_id in seen or not membership.user.is_active:
            continue
        seen.add(membership.user_id)
        invitations.append(
            Invitation(
                round=round,
                person=membership.user,
                organisation=membership.organisation,
                level=LEVEL_FOR_MEMBERSHIP[membership.level],
                nonce=secrets.token_urlsafe(18),
            )
        )
    Invitation.objects.bulk_create(invitations)
    audit.record(
        actor,
        action="health.round_open",
        obj=round,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} opened health check {number} ({round.get_kind_display().lower()}), "
            f"closing {closes_on:%d %b %Y}; {len(invitations)} people invited."
        ),
        summary={
            "number": number,
            "kind": kind,
            "closes_on": closes_on.isoformat(),
            "invited": len(invitations),
        },
    )
    if link_for is not None:
        sent = Invitation.objects.filter(round=round).select_related("person", "round")
        _send([_invitation_mail(i, link_for(tokens.link_token(i)), reminder=False) for i in sent])
    return round


def send_reminders(actor: User, round: Round, *, link_for: LinkFor | None = None) -> int:
    """Remind everyone who has not answered; nobody learns who they are."""
    access = access_for(actor, round.partnership)
    rules.check(access, rules.HealthAction.MANAGE)
    if not round.is_open:
        raise Conflict("This health check has closed: there is nobody left to remind.")
    pending = list(round.invitations.filter(responded=False).select_related("person", "round"))
    now = clock.now()
    round.invitations.filter(responded=False).update(reminded_at=now)
    round.reminders_sent += 1
    round.last_reminded_at = now
    round.save(update_fields=["reminders_sent", "last_reminded_at"])
    audit.record(
        actor,
        action="health.remind",
        obj=round,
        partnership=round.partnership,
        organisation=access.acting_organisation,
        message=f"{actor} sent a reminder about health check {round.number} to "
        f"{len(pending)} {'person' if len(pending) == 1 else 'people'} who had not answered.",
        summary={"number": round.number, "reminded": len(pending)},
    )
    if link_for is not None:
        _send([_invitation_mail(i, link_for(tokens.link_token(i)), reminder=True) for i in pending])
    return len(pending)


def _reading(partnership: Partnership, name: str) -> dict:
    if name not in indicators.CATALOGUE:
        found = indicators.NOT_MEASURED
    else:
        found = indicators.read(partnership, name)
    return {"measured": found.measured, "value": found.value, "detail": found.detail}


def structural_now(partnership: Partnership) -> dict:
    """S1-S6 as the rest of carepact reports them now (S7 is the round's own response rate)."""
    clinical = partnership.roles.filter(role=Role.CLINICAL_CHAMPION).exists()
    return {
        "S1": _reading(partnership, "champion_named"),
        "S2": _reading(partnership, "industry_sponsors_named"),
        "S3": {
            "measured": True,
            "value": clinical,
            "detail": "a clinical champion is named (protected time is not recorded yet)"
            if clinical
            else "no clinical champion is named",
        },
        "S4": _reading(partnership, "board_meetings_90_days"),
        "S5": _reading(partnership, "contracting_days"),
        "S6": _reading(partnership, "patient_outcome_kpis"),
    }


def _indicator(raw: Mapping[str, Any]) -> Indicator:
    return Indicator(bool(raw.get("measured")), raw.get("value"), raw.get("detail", ""))


def wave_of(round: Round) -> engine_report.Wave:
    """The round as the engine reads it: submitted answers by token, party and level only."""
    invited: dict[tuple[str, str], int] = {}
    for row in round.invitations.values("organisation__slug", "level").annotate(n=Count("id")):
        invited[(row["organisation__slug"], row["level"])] = row["n"]
    respondents = tuple(
        Respondent(r.respondent, r.party, r.level, r.answers)
        for r in round.responses.filter(submitted=True).order_by("respondent")
    )
    when = (round.closed_at or clock.now()).date()
    return engine_report.Wave(
        number=round.number,
        kind=round.kind,
        instrument_id=round.instrument,
        when=when,
        parties=tuple(
            engine_report.PartyInfo(p["key"], p["name"], p.get("industry", False))
            for p in round.parties
        ),
        respondents=respondents,
        invited=invited,
        structural={k: _indicator(v) for k, v in (round.structural or {}).items()},
        status=round.status,
    )


def options_for(found: HealthSettings, round: Round) -> engine_report.Options:
    config, _ = Config().with_overrides(found.thresholds or {})
    return engine_report.Options(
        weights=found.party_weights or {},
        intended=found.intended_shares or {},
        config=config,
        behavioural=_indicator(round.behavioural) if round.behavioural else None,
    )


def _build_report(round: Round, found: HealthSettings | None = None) -> dict:
    found = found or settings_for(round.partnership)
    history = round.partnership.health_rounds.filter(
        status=Round.Status.CLOSED, number__lt=round.number
    ).order_by("number")
    return engine_report.build(
        wave_of(round), [wave_of(r) for r in history], options_for(found, round)
    )


def close_round(actor: User | None, round: Round) -> Round:
    """Close a round: unfinished answers are discarded and the results are computed, once.

    ``actor`` None is the platform closing a round on its closing date
    (``carepact health close-due``); anyone else must be a lead.
    """
    organisation = None
    if actor is not None:
        access = access_for(actor, round.partnership)
        rules.check(access, rules.HealthAction.MANAGE)
        organisation = access.acting_organisation
    if not round.is_open:
        raise Conflict("This health check is already closed.")
    discarded, _ = round.responses.filter(submitted=False).delete()
    round.status = Round.Status.CLOSED
    round.closed_at, round.closed_by = clock.now(), actor
    round.structural = structural_now(round.partnership)
    round.behavioural = _reading(round.partnership, BEHAVIOURAL_INDICATOR)
    round.save()
    round.report = _build_report(round)
    round.save(update_fields=["report"])
    counts = participation(round)
    audit.record(
        actor,
        action="health.round_close",
        obj=round,
        partnership=round.partnership,
        organisation=organisation,
        message=(
            f"{actor or 'The platform, on the closing date,'} closed health check "
            f"{round.number}: {counts['responded']} of {counts['invited']} people answered."
        ),
        summary={
            "number": round.number,
            "invited": counts["invited"],
            "responded": counts["responded"],
            "unfinished_discarded": discarded,
        },
    )
    return round


def close_due(*, today: date | None = None) -> list[Round]:
    """Rounds past their closing date (for ``carepact health close-due``)."""
    today = today or clock.now().date()
    return list(
        Round.objects.filter(status=Round.Status.OPEN, closes_on__lt=today).select_related(
            "partnership", "opened_by"
        )
    )


# -- answering -------------------------------------------------------------------------------

LINK_PROBLEM = (
    "This health-check link does not work: it may be mistyped, already used, or its health "
    "check may have closed."
)


def find_invitation(token: str) -> Invitation:
    """The open, unanswered invitation a link stands for; 404 for anything else."""
    parsed = tokens.parse_link(token)
    if parsed is None:
        raise NotFound(LINK_PROBLEM)
    pk, nonce = parsed
    invitation = (
        Invitation.objects.filter(pk=pk, nonce=nonce)
        .select_related("round__partnership", "organisation")
        .first()
    )
    if invitation is None:
        raise NotFound(LINK_PROBLEM)
    if invitation.responded:
        raise NotFound("This link has been used: your answers are recorded. Thank you.")
    round = invitation.round
    if not round.is_open or round.closes_on < clock.now().date():
        raise NotFound("This health check has closed: answers can no longer be given.")
    return invitation


def draft_of(invitation: Invitation) -> Response | None:
    return Response.objects.filter(draft_key=tokens.draft_key(invitation)).first()


def parties_of_round(round: Round) -> list[str]:
    return [p["key"] for p in round.parties]


def save_answers(
    invitation: Invitation, *, step: str | None, answers: Mapping[str, Any]
) -> Response:
    """Save one screen of answers (``step`` None: the whole form) to the response in progress.

    Answers to the screen's questions that are not sent are cleared, so a screen saved
    again shows what was last chosen. Drafts are not audited: a trail of timed saves would
    itself say who was answering when.
    """
    round = invitation.round
    instrument = ins.load(round.instrument)
    parties = parties_of_round(round)
    if step is not None and step not in instrument.steps(round.kind):
        raise NotFound("No such page in this health check.")
    cleaned, errors = ins.clean_answers(instrument, round.kind, parties, answers, step=step)
    if errors:
        raise Invalid(
            "Some answers need correcting.", errors={key: [msg] for key, msg in errors.items()}
        )
    draft = draft_of(invitation)
    if draft is None:
        draft = Response(
            round=round,
            party=invitation.organisation.slug,
            level=invitation.level,
            respondent=tokens.respondent_token(round.partnership_id, invitation.person_id),
            draft_key=tokens.draft_key(invitation),
        )
    keys = set(instrument.answer_keys(round.kind, parties, step))
    kept = {k: v for k, v in (draft.answers or {}).items() if k not in keys}
    draft.answers = {**kept, **cleaned}
    draft.save()
    return draft


def submit_response(invitation: Invitation) -> None:
    """Record the response: the link to the invitation is erased and the link stops working."""
    draft = draft_of(invitation)
    scored = [k for k in (draft.answers if draft else {}) if k not in OPEN_IDS]
    if draft is None or not scored:
        raise Invalid("Answer at least one statement before sending your response.")
    draft.draft_key = None
    draft.submitted = True
    draft.save(update_fields=["draft_key", "submitted"])
    invitation.responded = True
    invitation.save(update_fields=["responded"])
    round = invitation.round
    audit.record(
        None,
        action="health.response",
        object_type="round",
        partnership=round.partnership,
        message=f"A response to health check {round.number} was recorded.",
        summary={"number": round.number},
    )
