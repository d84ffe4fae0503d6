"""Data governance as JSON: the same services as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.http import FileResponse
from ninja import Router, Schema, Status

from carepact.accounts.models import Organisation, User
from carepact.core.errors import Invalid
from carepact.partnerships import services as partnerships

from . import policies, services
from .models import AccessRequest, Dataset, Release
from .rules import DataAction, data_access
from .services import obligations as obligation_services

router = Router(tags=["data governance"])
P = "/partnerships/{slug}/data"


def _partnership(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    da = data_access(request.auth, partnership)
    da.check(DataAction.VIEW)
    return partnership, da


class RuleOut(Schema):
    id: str
    effect: str
    title: str
    explanation: str


class PolicyOut(Schema):
    dataset: str
    source: str | None
    reference: str | None
    rules: list[RuleOut]
    conditions: list[str]
    cedar: str | None


class DatasetOut(Schema):
    slug: str
    name: str
    owner: str
    description: str
    row_count: int | None
    columns: list[dict]
    patient_id_column: str
    article6: str
    article9: str
    k: int
    l_diversity: int | None
    suppression_limit: float
    approvals_required: int
    profile_status: str
    profile: dict
    draft_permission: str
    draft_modifiers: list[str]

    @staticmethod
    def resolve_owner(obj: Dataset) -> str:
        return obj.owner.slug


class DatasetIn(Schema):
    owner: str
    name: str
    location: str
    patient_id_column: str
    description: str = ""
    article6: str = ""
    article9: str = ""
    k: int = 10
    l_diversity: int | None = None
    suppression_limit: float = 0.05
    approvals_required: int = 1


class ColumnsIn(Schema):
    columns: dict[str, dict]


class TermsIn(Schema):
    permission: str
    modifiers: list[str] = []
    recipients: list[str] = []
    starts_on: date | None = None
    expires_on: date | None = None


class QuestionIn(Schema):
    organisation: str | None = None  # default: the asker's own
    purpose: str
    commercial_use: bool = False
    ethics_reference: str = ""
    project: str = ""


class DecisionOut(Schema):
    allowed: bool
    reasons: list[dict]
    conditions: list[str]


class RequestIn(Schema):
    purpose: str
    lay_summary: str
    public_benefit: str
    columns: list[str] = []
    ethics_reference: str = ""
    project: str = ""
    commercial_use: bool = False
    users: list[str] = []  # e-mail addresses of people of the requesting organisation


class RequestOut(Schema):
    id: int
    dataset: str
    requester: str
    organisation: str
    purpose: str
    columns: list[str]
    lay_summary: str
    public_benefit: str
    ethics_reference: str
    project: str
    commercial_use: bool
    status: str
    decision: dict
    terms_reference: str
    approvals_required: int
    submitted_at: datetime
    decided_at: datetime | None
    reason: str
    waiting_days: float

    @staticmethod
    def resolve_dataset(obj: AccessRequest) -> str:
        return obj.dataset.slug

    @staticmethod
    def resolve_requester(obj: AccessRequest) -> str:
        return obj.requester.email

    @staticmethod
    def resolve_organisation(obj: AccessRequest) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_waiting_days(obj: AccessRequest) -> float:
        return round(services.waiting(obj).total_seconds() / 86400, 1)


class ReviewIn(Schema):
    verdict: str
    note: str = ""


class ReleaseOut(Schema):
    id: int
    dataset: str
    recipient: str
    request: int
    status: str
    attempts: int
    stage: str
    progress: float
    error: str
    rows_in: int | None
    excluded_by_consent: int | None
    suppressed: int | None
    released: int | None
    k_achieved: int | None
    consent_exclusions: int | None
    consent_as_of: datetime | None
    terms_reference: str
    expires_on: date | None
    retired_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    manifest: dict
    report: dict

    @staticmethod
    def resolve_dataset(obj: Release) -> str:
        return obj.dataset.slug

    @staticmethod
    def resolve_recipient(obj: Release) -> str:
        return obj.recipient.slug

    @staticmethod
    def resolve_request(obj: Release) -> int:
        return obj.request_id


class ObligationOut(Schema):
    id: int
    release: int
    dataset: str
    recipient: str
    patients: int
    due_on: date
    state: str
    acknowledged_at: datetime | None
    action: str
    note: str


class AcknowledgeIn(Schema):
    action: str  # deleted | replaced
    note: str = ""


def _organisation(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise Invalid("No organisation with that slug.", errors={"organisation": ["Unknown."]})
    return found


def _policy_out(dataset: Dataset) -> dict:
    found = policies.governing(dataset)
    return {
        "dataset": dataset.slug,
        "source": found.source if found else None,
        "reference": found.reference if found else None,
        "rules": [r.__dict__ for r in found.policy.rules] if found else [],
        "conditions": list(found.policy.conditions) if found else [],
        "cedar": found.policy.text if found else None,
    }


@router.get(f"{P}/datasets", response=list[DatasetOut], summary="The partnership's datasets")
def list_datasets(request, slug: str):
    partnership, _ = _partnership(request, slug)
    return list(services.datasets_of(partnership))


@router.post(f"{P}/datasets", response={201: DatasetOut}, summary="Add a dataset")
def create_dataset(request, slug: str, payload: DatasetIn):
    partnership, _ = _partnership(request, slug)
    fields = payload.dict()
    fields["owner"] = _organisation(fields["owner"])
    with transaction.atomic():
        return Status(201, services.register_dataset(request.auth, partnership, **fields))


@router.get(f"{P}/datasets/{{dataset}}", response=DatasetOut)
def get_dataset(request, slug: str, dataset: str):
    partnership, _ = _partnership(request, slug)
    return services.get_dataset(request.auth, partnership, dataset)


@router.put(f"{P}/datasets/{{dataset}}/columns", response=DatasetOut, summary="Column roles")
def set_columns(request, slug: str, dataset: str, payload: ColumnsIn):
    partnership, _ = _partnership(request, slug)
    found = services.get_dataset(request.auth, partnership, dataset)
    with transaction.atomic():
        return services.set_columns(request.auth, found, columns=payload.columns)


@router.put(f"{P}/datasets/{{dataset}}/terms", response=PolicyOut, summary="Draft the terms")
def draft_terms(request, slug: str, dataset: str, payload: TermsIn):
    partnership, _ = _partnership(request, slug)
    found = services.get_dataset(request.auth, partnership, dataset)
    with transaction.atomic():
        services.draft_terms(request.auth, found, **payload.dict())
    return _policy_out(found)


@router.post(f"{P}/datasets/{{dataset}}/profile", response={202: DatasetOut})
def profile_dataset(request, slug: str, dataset: str):
    partnership, _ = _partnership(request, slug)
    found = services.get_dataset(request.auth, partnership, dataset)
    with transaction.atomic():
        return Status(202, services.request_profile(request.auth, found))


@router.get(f"{P}/policies", response=list[PolicyOut], summary="Every dataset's policies")
def list_policies(request, slug: str):
    partnership, _ = _partnership(request, slug)
    return [_policy_out(d) for d in services.datasets_of(partnership)]


@router.post(
    f"{P}/datasets/{{dataset}}/decide", response=DecisionOut, summary="Ask the policy a question"
)
def decide(request, slug: str, dataset: str, payload: QuestionIn):
    partnership, da = _partnership(request, slug)
    found = services.get_dataset(request.auth, partnership, dataset)
    organisation = (
        _organisation(payload.organisation) if payload.organisation else da.acting_organisation
    )
    answer, _ = policies.ask(
        found,
        action="request",
        organisation=organisation,
        person=request.auth if organisation == da.acting_organisation else None,
        purpose=payload.purpose,
        commercial_use=payload.commercial_use,
        ethics_reference=payload.ethics_reference,
        project=payload.project,
    )
    return answer.as_dict()


@router.post(
    f"{P}/datasets/{{dataset}}/requests", response={201: RequestOut}, summary="Ask for a dataset"
)
def submit_request(request, slug: str, dataset: str, payload: RequestIn):
    partnership, _ = _partnership(request, slug)
    found = services.get_dataset(request.auth, partnership, dataset)
    fields = payload.dict()
    fields["users"] = list(User.objects.filter(email__in=[e.lower() for e in fields["users"]]))
    with transaction.atomic():
        return Status(201, services.submit_request(request.auth, found, **fields))


@router.get(f"{P}/requests", response=list[RequestOut], summary="Access requests")
def list_requests(request, slug: str):
    partnership, _ = _partnership(request, slug)
    return list(services.requests_of(partnership)[:500])


@router.get(f"{P}/requests/{{request_id}}", response=RequestOut)
def get_request(request, slug: str, request_id: int):
    partnership, _ = _partnership(request, slug)
    return services.get_request(request.auth, partnership, request_id)


@router.post(f"{P}/requests/{{request_id}}/reviews", response=RequestOut, summary="Review")
def review_request(request, slug: str, request_id: int, payload: ReviewIn):
    partnership, _ = _partnership(request, slug)
    found = services.get_request(request.auth, partnership, request_id)
    with transaction.atomic():
        services.review_request(request.auth, found, verdict=payload.verdict, note=payload.note)
    return services.get_request(request.auth, partnership, request_id)


@router.get(f"{P}/turnaround", summary="Days to answer requests, by dataset and by party")
def turnaround(request, slug: str):
    partnership, _ = _partnership(request, slug)
    return {
        kind: [t.__dict__ for t in items]
        for kind, items in services.turnaround(partnership).items()
    }


@router.post(
    f"{P}/requests/{{request_id}}/releases", response={201: ReleaseOut}, summary="Release again"
)
def start_release(request, slug: str, request_id: int):
    partnership, _ = _partnership(request, slug)
    found = services.get_request(request.auth, partnership, request_id)
    with transaction.atomic():
        return Status(201, services.start_release(request.auth, found))


@router.get(f"{P}/releases", response=list[ReleaseOut], summary="Releases")
def list_releases(request, slug: str):
    partnership, _ = _partnership(request, slug)
    return list(services.releases_of(partnership)[:500])


@router.get(f"{P}/releases/{{release_id}}", response=ReleaseOut, summary="A release and its report")
def get_release(request, slug: str, release_id: int):
    partnership, _ = _partnership(request, slug)
    return services.get_release(request.auth, partnership, release_id)


@router.post(f"{P}/releases/{{release_id}}/retry", response=ReleaseOut)
def retry_release(request, slug: str, release_id: int):
    partnership, _ = _partnership(request, slug)
    found = services.get_release(request.auth, partnership, release_id)
    with transaction.atomic():
        return services.retry_release(request.auth, found)


@router.get(f"{P}/releases/{{release_id}}/download", summary="Download the released table")
def download(request, slug: str, release_id: int):
    partnership, _ = _partnership(request, slug)
    found = services.get_release(request.auth, partnership, release_id)
    with transaction.atomic():
        path = services.download(request.auth, found)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def _obligation_out(view) -> dict:
    o = view.obligation
    return {
        "id": o.pk,
        "release": o.release_id,
        "dataset": o.release.dataset.slug,
        "recipient": o.recipient.slug,
        "patients": o.patients,
        "due_on": o.due_on,
        "state": view.state,
        "acknowledged_at": o.acknowledged_at,
        "action": o.action,
        "note": o.note,
    }


@router.get(f"{P}/obligations", response=list[ObligationOut], summary="Obligations")
def list_obligations(request, slug: str):
    partnership, _ = _partnership(request, slug)
    return [_obligation_out(v) for v in services.obligations_of(request.auth, partnership)]


@router.post(f"{P}/obligations/{{obligation_id}}/acknowledge", response=ObligationOut)
def acknowledge(request, slug: str, obligation_id: int, payload: AcknowledgeIn):
    partnership, _ = _partnership(request, slug)
    found = services.get_obligation(request.auth, partnership, obligation_id)
    with transaction.atomic():
        services.acknowledge(request.auth, found, action=payload.action, note=payload.note)
    found.refresh_from_db()
    return _obligation_out(
        obligation_services.ObligationView(found, obligation_services.state_of(found), False)
    )


@router.get(
    "/data/catalogue", response=list[DatasetOut], summary="Datasets across your partnerships"
)
def catalogue(request):
    return list(services.catalogue_for(request.auth))
