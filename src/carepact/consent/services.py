"""The consent registry: look patients up, record choices and withdrawals, import and
export FHIR Consent, import national opt-out lists, and answer who is excluded from a use.

Every function takes the acting person first (``None`` for the command line, which only
an operator with shell access can run), checks access through ``rules``, changes rows and
appends its audit event in the organisation's chain, in the caller's transaction. An NHS
number is hashed as soon as it is read and never stored, logged or audited.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from carepact.accounts.models import HEALTHCARE_KINDS, Membership, Organisation
from carepact.core import audit, clock
from carepact.core.errors import Invalid, NotFound
from carepact.core.keys import keyed_hash
from carepact.engine.policy import purposes as duo
from carepact.partnerships.models import Partnership, Party, Role, RoleAssignment

from . import choices, fhir, hooks, optouts, registry
from .models import ConsentRecord, Decision, ImportBatch, Recipients, Source
from .rules import RegistryAccess, RegistryAction, registry_access


class CommandLine:
    """The actor of ``carepact consent``: an operator at the server's shell."""

    pk = None

    def __str__(self) -> str:
        return "carepact command line"


COMMAND_LINE = CommandLine()


# -- finding a registry ----------------------------------------------------------------------


def get_registry(actor, slug: str) -> tuple[Organisation, RegistryAccess]:
    """The organisation's registry if the actor belongs to it; otherwise 404."""
    organisation = None
    if getattr(actor, "is_authenticated", False):
        organisation = Organisation.objects.filter(slug=slug, memberships__user=actor).first()
    if organisation is None:
        raise NotFound("No such consent registry, or you are not a member of its organisation.")
    return organisation, registry_access(actor, organisation)


def registries_for(actor) -> list[tuple[Organisation, RegistryAccess]]:
    """Registries the actor may manage: their organisations where they are admin or steward."""
    steward_of = set(
        RoleAssignment.objects.filter(person=actor, role=Role.DATA_STEWARD).values_list(
            "organisation_id", flat=True
        )
    )
    found = []
    for membership in Membership.objects.filter(user=actor).select_related("organisation"):
        if membership.is_admin or membership.organisation_id in steward_of:
            organisation = membership.organisation
            found.append((organisation, registry_access(actor, organisation)))
    return found


def default_organisation(slug: str | None = None) -> Organisation:
    """For the command line: the named organisation, or the only NHS or public-health one."""
    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise NotFound(f"No organisation with the slug {slug!r}.")
        return organisation
    candidates = list(Organisation.objects.filter(kind__in=HEALTHCARE_KINDS)[:2])
    if len(candidates) != 1:
        raise Invalid(
            "Name the data-owning organisation with --organisation SLUG: there is "
            + ("no NHS or public-health organisation." if not candidates else "more than one.")
        )
    return candidates[0]


def _check(actor, organisation: Organisation, action: RegistryAction) -> None:
    if actor is COMMAND_LINE:
        return
    registry_access(actor, organisation).check(action)


def _record_audit(actor, organisation, *, action: str, message: str, summary: dict, obj=None):
    audit.record(
        None if actor is COMMAND_LINE else actor,
        action=action,
        obj=obj,
        organisation=organisation,
        message=message,
        summary=summary,
        object_type=None if obj is not None else "consentregistry",
    )


# -- reading ---------------------------------------------------------------------------------


def records_of(organisation: Organisation, patient: str) -> list[ConsentRecord]:
    return list(
        ConsentRecord.objects.filter(organisation=organisation, patient=patient)
        .select_related("partnership", "created_by", "batch")
        .order_by("-recorded_at", "-pk")
    )


def find_patient(actor, organisation: Organisation, *, nhs_number: str) -> str:
    """The registry hash of an NHS number; the look-up itself is audited, the number is not."""
    _check(actor, organisation, RegistryAction.SEARCH)
    patient = registry.patient_hash(organisation, nhs_number)
    found = ConsentRecord.objects.filter(organisation=organisation, patient=patient).count()
    _record_audit(
        actor,
        organisation,
        action="consent.search",
        message=f"{actor} looked a patient up in the consent registry ({found} records).",
        summary={"records_found": found},
    )
    return patient


def registry_summary(organisation: Organisation) -> dict:
    records = ConsentRecord.objects.filter(organisation=organisation)
    return {
        "records": records.count(),
        "patients": records.values("patient").distinct().count(),
        "withdrawals": records.filter(decision=Decision.DENY)
        .exclude(source=Source.NATIONAL_OPT_OUT)
        .count(),
        "national_opt_outs": records.filter(source=Source.NATIONAL_OPT_OUT).count(),
    }


def imports_of(organisation: Organisation) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(organisation=organisation).select_related("created_by")


def get_import(actor, organisation: Organisation, batch_id: int) -> ImportBatch:
    _check(actor, organisation, RegistryAction.IMPORT)
    batch = imports_of(organisation).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("No such import in this registry.")
    return batch


def partnerships_of(organisation: Organisation) -> QuerySet[Partnership]:
    """Partnerships in which the organisation is an active party (a choice may name one)."""
    return Partnership.objects.filter(
        parties__organisation=organisation, parties__status=Party.Status.ACTIVE
    ).order_by("title")


# -- recording choices -----------------------------------------------------------------------


def _clean_purposes(values) -> list[str]:
    try:
        return sorted({duo.parse(v).code for v in values or [] if str(v).strip()})
    except duo.PurposeError as exc:
        raise Invalid(str(exc), errors={"purposes": [str(exc)]}) from None


def _partnership(organisation: Organisation, partnership) -> Partnership | None:
    if partnership in (None, ""):
        return None
    slug = partnership.slug if isinstance(partnership, Partnership) else str(partnership)
    found = partnerships_of(organisation).filter(slug=slug).first()
    if found is None:
        raise Invalid(
            f"{organisation} is not a party to a partnership called {slug!r}.",
            errors={"partnership": ["Choose one of the organisation's partnerships."]},
        )
    return found


def _create(
    actor,
    organisation: Organisation,
    *,
    patient: str,
    decision: str,
    purposes=(),
    recipients: str = Recipients.ALL,
    partnership: Partnership | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    recorded_at: datetime | None = None,
    source: str,
    record_id: str | None = None,
    batch: ImportBatch | None = None,
) -> ConsentRecord:
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = ["Choose permit or deny."]
    if recipients not in Recipients.values:
        errors["recipients"] = ["Choose which recipients the choice is about."]
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = ["The period ends before it starts."]
    if errors:
        raise Invalid("The choice needs correcting.", errors=errors)
    record = ConsentRecord(
        organisation=organisation,
        patient=patient,
        key_id=registry.registry_key_id(organisation),
        decision=decision,
        purposes=_clean_purposes(purposes),
        recipients=recipients,
        partnership=partnership,
        period_start=period_start,
        period_end=period_end,
        recorded_at=recorded_at or clock.now(),
        source=source,
        batch=batch,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=clock.now(),
    )
    if record_id:
        record.record_id = record_id
    record.save()
    return record


def _summary(record: ConsentRecord) -> dict:
    return {
        "record": record.record_id,
        "decision": record.decision,
        "purposes": record.purposes,
        "recipients": record.recipients,
        "partnership": record.partnership.slug if record.partnership else None,
        "source": record.source,
    }


def record_choice(
    actor,
    organisation: Organisation,
    *,
    patient: str | None = None,
    nhs_number: str | None = None,
    decision: str,
    purposes=(),
    recipients: str = Recipients.ALL,
    partnership=None,
    period_start: date | None = None,
    period_end: date | None = None,
    recorded_at: datetime | None = None,
) -> ConsentRecord:
    """Record a choice staff were told of; a deny is a withdrawal and is traced."""
    _check(actor, organisation, RegistryAction.RECORD)
    if patient is None:
        patient = registry.patient_hash(organisation, nhs_number or "")
    elif not registry.is_hash(patient):
        raise Invalid("That is not a patient of this registry.")
    record = _create(
        actor,
        organisation,
        patient=patient,
        decision=decision,
        purposes=purposes,
        recipients=recipients,
        partnership=_partnership(organisation, partnership),
        period_start=period_start,
        period_end=period_end,
        recorded_at=recorded_at,
        source=Source.STAFF,
    )
    _record_audit(
        actor,
        organisation,
        action="consent.withdraw" if record.is_withdrawal else "consent.record",
        obj=record,
        message=f"{actor} recorded a patient's {record.get_decision_display().lower()} "
        f"({record.scope_words()}).",
        summary=_summary(record),
    )
    if record.is_withdrawal:
        hooks.withdrawals_recorded(actor, organisation, [record])
    return record


WITHDRAWAL_SCOPES = {
    "partnership": "from one partnership",
    "commercial": "from use by commercial organisations",
    "all": "from every use of their data",
}


def withdraw(
    actor,
    organisation: Organisation,
    *,
    patient: str,
    scope: str,
    partnership=None,
    source: str = Source.STAFF,
) -> ConsentRecord:
    """A withdrawal: from one partnership, from commercial use, or from everything."""
    if source == Source.STAFF:
        _check(actor, organisation, RegistryAction.RECORD)
    if scope not in WITHDRAWAL_SCOPES:
        raise Invalid("Choose what to withdraw from.", errors={"scope": ["Required."]})
    if scope == "partnership" and not partnership:
        raise Invalid("Choose the partnership.", errors={"partnership": ["Required."]})
    if not registry.is_hash(patient):
        raise Invalid("That is not a patient of this registry.")
    record = _create(
        actor,
        organisation,
        patient=patient,
        decision=Decision.DENY,
        recipients=Recipients.COMMERCIAL if scope == "commercial" else Recipients.ALL,
        partnership=_partnership(organisation, partnership) if scope == "partnership" else None,
        source=source,
    )
    who = "The patient" if source == Source.PATIENT else str(actor)
    _record_audit(
        actor,
        organisation,
        action="consent.withdraw",
        obj=record,
        message=f"{who} withdrew a patient's consent {WITHDRAWAL_SCOPES[scope]} "
        f"({record.scope_words()}).",
        summary=_summary(record),
    )
    hooks.withdrawals_recorded(actor, organisation, [record])
    return record


# -- imports and exports ---------------------------------------------------------------------


def _digest(content: bytes | str) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def import_fhir(actor, organisation: Organisation, *, content: bytes | str, filename: str = ""):
    """Import FHIR R4 Consent resources; each is taken, skipped (already here) or refused.

    Raises Invalid, having imported nothing, when the file is not FHIR at all.
    """
    _check(actor, organisation, RegistryAction.IMPORT)
    text = content
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("The file is not UTF-8 text, so it cannot be FHIR JSON.") from None
    try:
        entries = fhir.read_entries(text)
    except fhir.NotFhir as exc:
        raise Invalid(str(exc), errors={"file": [str(exc)]}) from None
    key_id = registry.registry_key_id(organisation)
    slugs = {p.slug: p for p in partnerships_of(organisation)}
    existing = set(
        ConsentRecord.objects.filter(organisation=organisation).values_list("record_id", flat=True)
    )
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=ImportBatch.Kind.FHIR,
        filename=filename[:255],
        sha256=_digest(content),
        entries=len(entries),
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=clock.now(),
    )
    created: list[ConsentRecord] = []
    for entry in entries:
        if entry.problem:
            batch.rejections.append({"at": entry.position, "reason": entry.problem})
            continue
        try:
            read = fhir.read_consent(entry.resource)
            if read.patient_hash and read.hash_key_id != key_id:
                raise ValueError("the patient is hashed under another registry's key")
            if read.partnership and read.partnership not in slugs:
                raise ValueError(
                    f"{organisation} is not a party to a partnership called {read.partnership!r}"
                )
        except ValueError as exc:
            batch.rejections.append({"at": entry.position, "reason": str(exc)})
            continue
        if read.record_id in existing:
            batch.skips.append({"at": entry.position, "reason": "already in the registry"})
            continue
        existing.add(read.record_id)
        patient = read.patient_hash or registry.patient_hash(organisation, read.nhs_number)
        created.append(
            _create(
                actor,
                organisation,
                patient=patient,
                decision=read.decision,
                purposes=read.purposes,
                recipients=read.recipients,
                partnership=slugs.get(read.partnership) if read.partnership else None,
                period_start=read.period_start,
                period_end=read.period_end,
                recorded_at=read.recorded_at,
                source=read.source,
                record_id=read.record_id,
                batch=batch,
            )
        )
    batch.imported, batch.skipped = len(created), len(batch.skips)
    batch.rejected = len(batch.rejections)
    batch.save()
    withdrawals = [r for r in created if r.is_withdrawal]
    _record_audit(
        actor,
        organisation,
        action="consent.import_fhir",
        obj=batch,
        message=f"{actor} imported {batch.imported} FHIR Consent resources "
        f"({batch.rejected} rejected, {batch.skipped} already present).",
        summary={
            "file": batch.filename,
            "sha256": batch.sha256,
            "imported": batch.imported,
            "rejected": batch.rejected,
            "skipped": batch.skipped,
            "withdrawals": len(withdrawals),
        },
    )
    if withdrawals:
        hooks.withdrawals_recorded(actor, organisation, withdrawals)
    return batch


def export_fhir(actor, organisation: Organisation, *, ndjson: bool = False) -> tuple[str, int]:
    """The whole registry as FHIR R4 Consent: a collection Bundle, or NDJSON."""
    _check(actor, organisation, RegistryAction.EXPORT)
    key_id = registry.registry_key_id(organisation)
    records = (
        ConsentRecord.objects.filter(organisation=organisation, key_id=key_id)
        .select_related("partnership")
        .order_by("recorded_at", "pk")
    )
    resources = [
        fhir.to_resource(
            r, key_id=key_id, partnership_slug=r.partnership.slug if r.partnership else None
        )
        for r in records
    ]
    _record_audit(
        actor,
        organisation,
        action="consent.export_fhir",
        message=f"{actor} exported the consent registry as FHIR ({len(resources)} resources).",
        summary={"resources": len(resources), "format": "ndjson" if ndjson else "bundle"},
    )
    if ndjson:
        return fhir.ndjson(resources), len(resources)
    return json.dumps(fhir.bundle(resources, timestamp=clock.now()), indent=1), len(resources)


def import_optouts(actor, organisation: Organisation, *, content: bytes | str, filename: str = ""):
    """Import a national data opt-out list: each valid NHS number becomes a deny of every
    use, unless the patient is already opted out; bad lines are reported, not imported."""
    _check(actor, organisation, RegistryAction.IMPORT)
    try:
        parsed = optouts.read_optouts(content)
    except optouts.NotAList as exc:
        raise Invalid(str(exc), errors={"file": [str(exc)]}) from None
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=ImportBatch.Kind.OPT_OUTS,
        filename=filename[:255],
        sha256=_digest(content),
        entries=parsed.entries,
        rejections=parsed.rejections,
        skips=parsed.skips,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=clock.now(),
    )
    key = registry.registry_key(organisation)
    hashed = [(line, keyed_hash(key, number)) for line, number in parsed.numbers]
    opted_out = _currently_opted_out(organisation, {h for _, h in hashed})
    now, key_id = clock.now(), registry.registry_key_id(organisation)
    fresh = []
    for line, patient in hashed:
        if patient in opted_out:
            batch.skips.append({"at": f"line {line}", "reason": "already opted out"})
        else:
            fresh.append(
                ConsentRecord(
                    organisation=organisation,
                    patient=patient,
                    key_id=key_id,
                    decision=Decision.DENY,
                    recorded_at=now,
                    source=Source.NATIONAL_OPT_OUT,
                    batch=batch,
                    created_by=actor if getattr(actor, "pk", None) else None,
                    created_at=now,
                )
            )
    # A national list can hold many thousands of numbers: insert them in batches.
    created = ConsentRecord.objects.bulk_create(fresh, batch_size=1000)
    batch.imported, batch.skipped = len(created), len(batch.skips)
    batch.rejected = len(batch.rejections)
    batch.save()
    _record_audit(
        actor,
        organisation,
        action="consent.import_optouts",
        obj=batch,
        message=f"{actor} imported a national data opt-out list: {batch.imported} opted out, "
        f"{batch.rejected} lines rejected, {batch.skipped} skipped.",
        summary={
            "file": batch.filename,
            "sha256": batch.sha256,
            "imported": batch.imported,
            "rejected": batch.rejected,
            "skipped": batch.skipped,
        },
    )
    if created:
        hooks.withdrawals_recorded(actor, organisation, created)
    return batch


def _chunked(rows, patients, fields, size: int = 2000):
    """``rows.filter(patient__in=patients)`` in chunks: databases cap a query's parameters."""
    ordered = sorted(patients)
    for start in range(0, len(ordered), size):
        yield from rows.filter(patient__in=ordered[start : start + size]).values_list(*fields)


def _currently_opted_out(organisation: Organisation, patients: set[str]) -> set[str]:
    """Patients whose latest choice covering everything is a national opt-out."""
    latest: dict[str, tuple] = {}
    rows = _chunked(
        ConsentRecord.objects.filter(organisation=organisation, partnership__isnull=True),
        patients,
        ("patient", "recorded_at", "pk", "source", "decision", "purposes", "recipients"),
    )
    for patient, at, pk, source, decision, purposes, recipients in rows:
        if purposes or recipients != Recipients.ALL:
            continue
        if patient not in latest or (at, pk) > latest[patient][:2]:
            latest[patient] = (at, pk, source, decision)
    return {
        p
        for p, (_, _, source, decision) in latest.items()
        if source == Source.NATIONAL_OPT_OUT and decision == Decision.DENY
    }


# -- who is excluded from a use --------------------------------------------------------------


def _choice(row, order: int) -> choices.Choice:
    decision, purposes, recipients, partnership_id, start, end, at = row
    return choices.Choice(
        decision=decision,
        purposes=tuple(purposes or ()),
        recipients=recipients,
        partnership_id=partnership_id,
        period_start=start,
        period_end=end,
        recorded_at=at,
        order=order,
    )


def choices_by_patient(organisation: Organisation, patients: set[str] | None = None):
    """{patient hash: [Choice, ...]} under the registry's current key."""
    rows = ConsentRecord.objects.filter(
        organisation=organisation, key_id=registry.registry_key_id(organisation)
    )
    fields = (
        "pk",
        "patient",
        "decision",
        "purposes",
        "recipients",
        "partnership_id",
        "period_start",
        "period_end",
        "recorded_at",
    )
    found = rows.values_list(*fields) if patients is None else _chunked(rows, patients, fields)
    grouped: dict[str, list[choices.Choice]] = defaultdict(list)
    for pk, patient, *rest in found:
        grouped[patient].append(_choice(rest, pk))
    return grouped


@dataclass(frozen=True)
class Exclusions:
    patients: frozenset[str]  # registry hashes to leave out
    key_id: str
    as_of: datetime
    records: int  # choices read


def exclusions_for(organisation: Organisation, use: choices.Use) -> Exclusions:
    """Every patient the registry says must be left out of this use, as of now."""
    as_of = clock.now()
    grouped = choices_by_patient(organisation)
    excluded = frozenset(p for p, cs in grouped.items() if choices.excluded(cs, use))
    return Exclusions(
        excluded,
        registry.registry_key_id(organisation),
        as_of,
        sum(len(cs) for cs in grouped.values()),
    )
