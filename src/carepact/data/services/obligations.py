"""Withdrawal traced into past releases: when patients withdraw, every past release whose
membership index holds them, and whose use their choices now exclude, gets an obligation
on its recipient to delete or replace it by a date. The recipient confirms; what is late is
flagged to both parties. The next release leaves them out (the registry says so)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from carepact.accounts.models import User
from carepact.consent import choices as consent_choices
from carepact.consent import registry as consent_registry
from carepact.consent import services as consent
from carepact.consent.hooks import Usage
from carepact.consent.models import ConsentRecord
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine.release import membership_matches
from carepact.partnerships.models import Partnership

from .. import policies
from ..models import JobStatus, Release, WithdrawalObligation
from ..rules import DataAction, data_access
from .releases import is_commercial

DAYS_TO_ACT = 30
ACTIONS = {"deleted": "deleted every copy", "replaced": "replaced it with a newer release"}


def traceable_releases(organisation) -> QuerySet[Release]:
    """Releases of the organisation's datasets still held by their recipients, indexed under
    the registry's current key (older keys cannot be matched)."""
    return Release.objects.filter(
        dataset__owner=organisation,
        status=JobStatus.SUCCEEDED,
        retired_at__isnull=True,
        membership_key_id=consent_registry.registry_key_id(organisation),
    ).select_related("dataset", "recipient", "request", "partnership")


def members(release: Release, patients: set[str]) -> set[str]:
    """The patients (registry hashes) among ``patients`` that the release contained."""
    index = Path(settings.DATA_DIR) / release.files.get("membership", "")
    if not patients or not index.is_file():
        return set()
    return membership_matches(index, patients)


def _use(release: Release) -> consent_choices.Use:
    return consent_choices.Use(
        release.partnership_id,
        is_commercial(release.recipient),
        release.request.purpose,
        policies.today(),
    )


def trace_withdrawals(actor, organisation, records: list[ConsentRecord]):
    """The consent registry's hook: obligations for every past release the withdrawals reach."""
    patients = {r.patient for r in records}
    if not patients:
        return []
    by_patient = consent.choices_by_patient(organisation, patients)
    created = []
    for release in traceable_releases(organisation):
        use = _use(release)
        affected = {
            p
            for p in members(release, patients)
            if consent_choices.excluded(by_patient.get(p, []), use)
        }
        if affected:
            ids = [r.record_id for r in records if r.patient in affected]
            created.append(_oblige(actor, release, ids))
    return created


def _oblige(actor, release: Release, record_ids: list[str]) -> WithdrawalObligation:
    obligation = release.obligations.filter(acknowledged_at__isnull=True).first()
    now = clock.now()
    if obligation is None:
        obligation = WithdrawalObligation(
            partnership=release.partnership,
            release=release,
            recipient=release.recipient,
            due_on=policies.today() + timedelta(days=DAYS_TO_ACT),
            created_at=now,
        )
    obligation.consent_records = sorted({*obligation.consent_records, *record_ids})
    obligation.patients = (
        ConsentRecord.objects.filter(
            organisation=release.dataset.owner, record_id__in=obligation.consent_records
        )
        .values("patient")
        .distinct()
        .count()
    )
    extending = obligation.pk is not None
    obligation.save()
    audit.record(
        actor if getattr(actor, "pk", None) else None,
        action="obligation.extend" if extending else "obligation.create",
        obj=obligation,
        partnership=release.partnership,
        organisation=release.dataset.owner,
        message=(
            f"A withdrawal reaches the release of {release.dataset} held by {release.recipient}: "
            f"it must be deleted or replaced by {obligation.due_on:%-d %B %Y} "
            f"({obligation.patients} patient{'s' if obligation.patients != 1 else ''} withdrew)."
        ),
        summary={
            "release": release.pk,
            "recipient": release.recipient.slug,
            "patients": obligation.patients,
            "due_on": obligation.due_on.isoformat(),
            "consent_records": record_ids,
        },
    )
    return obligation


def usage_of(organisation, patient: str) -> list[Usage]:
    """The consent registry's usage look-up: releases whose membership holds the patient."""
    choices = consent.choices_by_patient(organisation, {patient}).get(patient, [])
    found = []
    for release in traceable_releases(organisation).order_by("finished_at"):
        if members(release, {patient}):
            found.append(
                Usage(
                    partnership_id=release.partnership_id,
                    partnership=release.partnership.title,
                    dataset=release.dataset.name,
                    recipient=release.recipient.name,
                    commercial=is_commercial(release.recipient),
                    released_at=release.finished_at,
                    excluded_now=consent_choices.excluded(choices, _use(release)),
                )
            )
    return found


# -- reading and acknowledging ---------------------------------------------------------------


@dataclass(frozen=True)
class ObligationView:
    obligation: WithdrawalObligation
    state: str  # met | overdue | due_soon | open
    can_acknowledge: bool


def state_of(obligation: WithdrawalObligation, on: date | None = None) -> str:
    today = on or policies.today()
    if obligation.acknowledged_at:
        return "met"
    if obligation.due_on < today:
        return "overdue"
    if (obligation.due_on - today).days <= 7:
        return "due_soon"
    return "open"


def obligations_of(actor: User, partnership: Partnership) -> list[ObligationView]:
    da = data_access(actor, partnership)
    da.check(DataAction.VIEW)
    today = policies.today()
    items = WithdrawalObligation.objects.filter(partnership=partnership).select_related(
        "release", "release__dataset", "recipient", "acknowledged_by"
    )
    return [
        ObligationView(
            o,
            state_of(o, today),
            not o.acknowledged_at and da.can(DataAction.ACKNOWLEDGE, recipient_id=o.recipient_id),
        )
        for o in items.order_by("acknowledged_at", "due_on", "pk")
    ]


def get_obligation(actor: User, partnership: Partnership, obligation_id: int):
    found = (
        WithdrawalObligation.objects.visible_to(actor)
        .filter(partnership=partnership, pk=obligation_id)
        .select_related("release", "release__dataset", "release__dataset__owner", "recipient")
        .first()
    )
    if found is None:
        raise NotFound("No such obligation in this partnership.")
    return found


def acknowledge(actor: User, obligation: WithdrawalObligation, *, action: str, note: str = ""):
    """The recipient confirms the release is deleted, or replaced by a newer one."""
    data_access(actor, obligation.partnership).check(
        DataAction.ACKNOWLEDGE, recipient_id=obligation.recipient_id
    )
    if action not in ACTIONS:
        raise Invalid("Say whether you deleted or replaced it.", errors={"action": ["Required."]})
    if obligation.acknowledged_at:
        raise Conflict("This obligation is already met.")
    release = obligation.release
    if action == "replaced":
        newer = Release.objects.filter(
            dataset=release.dataset,
            recipient=release.recipient,
            status=JobStatus.SUCCEEDED,
            finished_at__gt=obligation.created_at,
        ).exists()
        if not newer:
            raise Conflict(
                "There is no newer release to replace it with yet: ask the data steward to "
                "release the data again, or delete this release."
            )
    now = clock.now()
    obligation.acknowledged_at, obligation.acknowledged_by = now, actor
    obligation.action, obligation.note = action, (note or "").strip()
    obligation.save()
    release.retired_at = now
    release.save(update_fields=["retired_at"])
    audit.record(
        actor,
        action="obligation.acknowledge",
        obj=obligation,
        partnership=obligation.partnership,
        organisation=obligation.recipient,
        message=f"{actor} ({obligation.recipient}) confirmed they {ACTIONS[action]}: the "
        f"release of {release.dataset}"
        + (" (late)" if now.date() > obligation.due_on else "")
        + ".",
        summary={"release": release.pk, "action": action, "due_on": obligation.due_on.isoformat()},
    )
    return obligation
