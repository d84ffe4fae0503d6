"""The consent registry as JSON: the same services as the pages.

An NHS number travels only in request bodies (never in a path or a query string, which
end up in logs) and comes back only as the registry's keyed hash.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status

from carepact.core.errors import NotFound

from . import hooks, patients, registry, services
from .models import ConsentRecord, ImportBatch
from .rules import RegistryAction

router = Router(tags=["consent"])
R = "/consent/{slug}"


class RegistryOut(Schema):
    organisation: str
    name: str
    key_id: str
    allowed_actions: list[str]
    records: int
    patients: int
    withdrawals: int
    national_opt_outs: int


class SearchIn(Schema):
    nhs_number: str


class RecordOut(Schema):
    record_id: str
    patient: str
    decision: str
    purposes: list[str]
    recipients: str
    partnership: str | None
    period_start: date | None
    period_end: date | None
    recorded_at: datetime
    source: str

    @staticmethod
    def resolve_partnership(obj: ConsentRecord) -> str | None:
        return obj.partnership.slug if obj.partnership else None


class UsageOut(Schema):
    partnership: str
    dataset: str
    recipient: str
    commercial: bool
    released_at: datetime
    excluded_now: bool


class PatientOut(Schema):
    patient: str
    records: list[RecordOut]
    usage: list[UsageOut]


class ChoiceIn(Schema):
    nhs_number: str | None = None
    patient: str | None = None  # the registry hash, instead of the number
    decision: str
    purposes: list[str] = []
    recipients: str = "all"
    partnership: str | None = None
    period_start: date | None = None
    period_end: date | None = None


class WithdrawIn(Schema):
    scope: str  # partnership | commercial | all
    partnership: str | None = None


class FileIn(Schema):
    content: str
    filename: str = ""


class ImportOut(Schema):
    id: int
    kind: str
    filename: str
    sha256: str
    entries: int
    imported: int
    rejected: int
    skipped: int
    rejections: list[dict]
    skips: list[dict]
    created_at: datetime


class CodeOut(Schema):
    code: str
    expires_at: datetime
    address: str


def _registry(request, slug: str, action: RegistryAction):
    organisation, access = services.get_registry(request.auth, slug)
    access.check(action)
    return organisation, access


@router.get(f"{R}", response=RegistryOut, summary="A consent registry and its counts")
def get_registry(request, slug: str):
    organisation, access = _registry(request, slug, RegistryAction.SEARCH)
    return {
        "organisation": organisation.slug,
        "name": organisation.name,
        "key_id": registry.registry_key_id(organisation),
        "allowed_actions": sorted(access.allowed),
        **services.registry_summary(organisation),
    }


def _patient_out(organisation, patient: str) -> dict:
    return {
        "patient": patient,
        "records": services.records_of(organisation, patient),
        "usage": [
            {**use.__dict__, "partnership": use.partnership}
            for use in hooks.usage_of(organisation, patient)
        ],
    }


@router.post(f"{R}/search", response=PatientOut, summary="Find a patient by NHS number")
def search(request, slug: str, payload: SearchIn):
    organisation, _ = _registry(request, slug, RegistryAction.SEARCH)
    with transaction.atomic():
        patient = services.find_patient(request.auth, organisation, nhs_number=payload.nhs_number)
    return _patient_out(organisation, patient)


@router.get(f"{R}/patients/{{patient}}", response=PatientOut, summary="A patient's choices")
def get_patient(request, slug: str, patient: str):
    organisation, _ = _registry(request, slug, RegistryAction.SEARCH)
    if not registry.is_hash(patient):
        raise NotFound("No such patient in this registry.")
    return _patient_out(organisation, patient)


@router.post(f"{R}/choices", response={201: RecordOut}, summary="Record a choice")
def record_choice(request, slug: str, payload: ChoiceIn):
    organisation, _ = _registry(request, slug, RegistryAction.RECORD)
    with transaction.atomic():
        record = services.record_choice(request.auth, organisation, **payload.dict())
    return Status(201, record)


@router.post(
    f"{R}/patients/{{patient}}/withdraw", response={201: RecordOut}, summary="Record a withdrawal"
)
def withdraw(request, slug: str, patient: str, payload: WithdrawIn):
    organisation, _ = _registry(request, slug, RegistryAction.RECORD)
    with transaction.atomic():
        record = services.withdraw(
            request.auth,
            organisation,
            patient=patient,
            scope=payload.scope,
            partnership=payload.partnership,
        )
    return Status(201, record)


@router.post(
    f"{R}/patients/{{patient}}/codes",
    response={201: CodeOut},
    summary="A one-time code for the patient's page",
)
def issue_code(request, slug: str, patient: str):
    organisation, _ = _registry(request, slug, RegistryAction.ISSUE_CODE)
    with transaction.atomic():
        code, issued = patients.issue_code(request.auth, organisation, patient=patient)
    return Status(
        201,
        {
            "code": code,
            "expires_at": issued.expires_at,
            "address": request.build_absolute_uri(reverse("consent:patient")),
        },
    )


@router.get(f"{R}/imports", response=list[ImportOut], summary="Imports into the registry")
def list_imports(request, slug: str):
    organisation, _ = _registry(request, slug, RegistryAction.IMPORT)
    return list(services.imports_of(organisation)[:100])


def _import(request, slug: str, payload: FileIn, service) -> ImportBatch:
    organisation, _ = _registry(request, slug, RegistryAction.IMPORT)
    with transaction.atomic():
        return service(
            request.auth, organisation, content=payload.content, filename=payload.filename
        )


@router.post(
    f"{R}/imports/fhir", response={201: ImportOut}, summary="Import FHIR R4 Consent resources"
)
def import_fhir(request, slug: str, payload: FileIn):
    return Status(201, _import(request, slug, payload, services.import_fhir))


@router.post(
    f"{R}/imports/opt-outs", response={201: ImportOut}, summary="Import a national opt-out list"
)
def import_optouts(request, slug: str, payload: FileIn):
    return Status(201, _import(request, slug, payload, services.import_optouts))


@router.get(f"{R}/imports/{{batch_id}}", response=ImportOut, summary="One import's results")
def get_import(request, slug: str, batch_id: int):
    organisation, _ = _registry(request, slug, RegistryAction.IMPORT)
    return services.get_import(request.auth, organisation, batch_id)


@router.get(f"{R}/export", summary="The registry as FHIR R4 Consent (Bundle or NDJSON)")
def export_fhir(request, slug: str, format: str = "bundle"):
    organisation, _ = _registry(request, slug, RegistryAction.EXPORT)
    ndjson = format == "ndjson"
    with transaction.atomic():
        text, _ = services.export_fhir(request.auth, organisation, ndjson=ndjson)
    if ndjson:
        return HttpResponse(text, content_type="application/fhir+ndjson")
    return HttpResponse(text, content_type="application/fhir+json")
