"""The patient's own page: reached with a one-time code staff give them, no account needed.

Staff look the patient up and issue a code; only the code's SHA-256 is stored. The code
works once, within three days. Redeeming it opens a visit of thirty minutes in the
browser's session, during which the patient sees the partnerships that received their
data and can withdraw from one of them, or from commercial use. A wrong, used or expired
code gets the same answer as a code that never existed (404), and a client that guesses
wrong too often is made to wait.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from carepact.accounts.models import Organisation
from carepact.core import audit, clock
from carepact.core.errors import Invalid, NotFound, Throttled

from . import hooks, registry, services
from .models import CodeGuess, ConsentRecord, PatientCode, Source
from .rules import RegistryAction, registry_access

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no I, L, O, U, 0 or 1 to misread
CODE_LENGTH = 12
CODE_LIFETIME = timedelta(days=3)
VISIT_LIFETIME = timedelta(minutes=30)
GUESS_WINDOW = timedelta(minutes=15)
MAX_WRONG_GUESSES = 10
SESSION_KEY = "carepact_patient_visit"


class PatientActor:
    """The patient, acting on their page (audit events name no one)."""

    pk = None

    def __str__(self) -> str:
        return "a patient, with a one-time code"


PATIENT = PatientActor()


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(f"carepact-patient-code:{normalise(code)}".encode()).hexdigest()


def _client_key(client: str | None) -> str:
    return hashlib.sha256(f"patient-code-client:{client or 'unknown'}".encode()).hexdigest()


def display(code: str) -> str:
    code = normalise(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_code(actor, organisation: Organisation, *, patient: str) -> tuple[str, PatientCode]:
    """A new one-time code for the patient; the code is returned once and never stored."""
    registry_access(actor, organisation).check(RegistryAction.ISSUE_CODE)
    if not registry.is_hash(patient):
        raise Invalid("That is not a patient of this registry.")
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = clock.now()
    issued = PatientCode.objects.create(
        organisation=organisation,
        patient=patient,
        code_hash=_hash(code),
        created_by=actor,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    audit.record(
        actor,
        action="consent.code_issue",
        obj=issued,
        organisation=organisation,
        message=f"{actor} gave a patient a one-time code for their page.",
        summary={"expires_at": issued.expires_at.isoformat()},
    )
    return display(code), issued


@dataclass(frozen=True)
class Visit:
    organisation_id: int
    patient: str
    until: datetime

    def as_session(self) -> dict:
        return {
            "organisation": self.organisation_id,
            "patient": self.patient,
            "until": self.until.isoformat(),
        }


def redeem(code: str, *, client: str | None) -> Visit | None:
    """Use a code. None for a wrong, used or expired one (the guess is counted), so the
    caller can commit the count before answering 404; Throttled after too many."""
    now = clock.now()
    client_key = _client_key(client)
    wrong = CodeGuess.objects.filter(client=client_key, at__gt=now - GUESS_WINDOW).count()
    if wrong >= MAX_WRONG_GUESSES:
        raise Throttled(
            "Too many codes that did not work. Wait fifteen minutes and try again, or ask the "
            "staff who gave you the code for a new one."
        )
    found = (
        PatientCode.objects.select_for_update()
        .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=now)
        .select_related("organisation")
        .first()
        if len(normalise(code)) == CODE_LENGTH
        else None
    )
    if found is None:
        CodeGuess.objects.create(client=client_key, at=now)
        CodeGuess.objects.filter(at__lt=now - GUESS_WINDOW * 4).delete()
        return None
    found.used_at = now
    found.save(update_fields=["used_at"])
    audit.record(
        PATIENT,
        action="consent.code_use",
        obj=found,
        organisation=found.organisation,
        message="A patient opened their page with a one-time code.",
        summary={},
    )
    return Visit(found.organisation_id, found.patient, now + VISIT_LIFETIME)


def visit_from(session: dict | None) -> tuple[Visit, Organisation]:
    """The visit in the session, if it is still open; otherwise 404."""
    data = session or {}
    try:
        until = datetime.fromisoformat(data["until"])
        visit = Visit(int(data["organisation"]), str(data["patient"]), until)
    except (KeyError, TypeError, ValueError):
        raise NotFound(
            "This page needs a code from the staff who look after your records."
        ) from None
    organisation = Organisation.objects.filter(pk=visit.organisation_id).first()
    if until <= clock.now() or organisation is None or not registry.is_hash(visit.patient):
        raise NotFound(
            "Your visit has ended. Ask the staff who look after your records for a new code."
        )
    return visit, organisation


@dataclass(frozen=True)
class PatientView:
    organisation: Organisation
    usage: list[hooks.Usage]
    partnerships: list  # the organisation's partnerships one may withdraw from
    choices: list[ConsentRecord]
    withdrawn_commercial: bool
    withdrawn_from: set[int]  # partnership ids


def view(visit: Visit, organisation: Organisation) -> PatientView:
    records = services.records_of(organisation, visit.patient)
    denies = [r for r in records if r.decision == "deny"]
    return PatientView(
        organisation=organisation,
        usage=hooks.usage_of(organisation, visit.patient),
        partnerships=list(services.partnerships_of(organisation)),
        choices=records,
        withdrawn_commercial=any(
            r.recipients == "commercial" and r.partnership_id is None and not r.purposes
            for r in denies
        ),
        withdrawn_from={r.partnership_id for r in denies if r.partnership_id and not r.purposes},
    )


def withdraw(visit: Visit, organisation: Organisation, *, scope: str, partnership: str = ""):
    """The patient withdraws from one partnership or from commercial use."""
    if scope not in ("partnership", "commercial"):
        raise Invalid("Choose what to withdraw from.", errors={"scope": ["Required."]})
    return services.withdraw(
        PATIENT,
        organisation,
        patient=visit.patient,
        scope=scope,
        partnership=partnership or None,
        source=Source.PATIENT,
    )
