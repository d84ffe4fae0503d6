"""Objectives, KPIs, measurements, warnings and recognition as JSON."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from ninja import Router, Schema, Status

from carepact.accounts.models import Organisation, User
from carepact.core.errors import Invalid
from carepact.engine.outcomes import csvimport
from carepact.outcomes import recognition, services
from carepact.outcomes.models import Frequency, Kpi, Objective, Source
from carepact.partnerships import services as partnerships

router = Router(tags=["objectives and outcomes"])
P = "/partnerships/{slug}"


class OwnerIn(Schema):
    email: str
    organisation: str  # slug of the party organisation the person is accountable for


class OwnerOut(Schema):
    person_id: int
    person: str
    email: str
    organisation: str


class ObjectiveIn(Schema):
    title: str
    description: str = ""
    owners: list[OwnerIn]


class ObjectivePatch(Schema):
    title: str | None = None
    description: str | None = None
    owners: list[OwnerIn] | None = None


class KpiIn(Schema):
    name: str
    type: str
    unit: str
    direction: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    frequency: str = Frequency.MONTHLY
    tolerance_percent: int = 10
    data_source: str
    method: str


class LatestOut(Schema):
    period: date
    period_label: str
    value: float


class KpiOut(Schema):
    id: int
    objective_id: int
    name: str
    type: str
    unit: str
    direction: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    frequency: str
    tolerance_percent: int
    data_source: str
    method: str
    status: str
    status_reason: str
    planned_now: float | None
    latest: LatestOut | None
    warnings: list[str]


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    owners: list[OwnerOut]
    kpis: list[KpiOut]


class MeasurementIn(Schema):
    period: str  # YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD
    value: float
    count: int | None = None
    dimension: str = ""
    group: str = ""
    note: str = ""


class MeasurementOut(Schema):
    id: int
    period: date
    period_label: str
    value: float
    count: int | None
    dimension: str
    group: str
    source: str
    note: str
    recorded_by: str
    recorded_for: str
    recorded_at: datetime


class GapOut(Schema):
    period: date
    gap: float
    best: str
    worst: str


class BreakdownOut(Schema):
    dimension: str
    groups: list[str]
    gaps: list[GapOut]
    widening: bool


class KpiDetailOut(KpiOut):
    measurements: list[MeasurementOut]
    breakdowns: list[BreakdownOut]


class ImportIn(Schema):
    csv: str
    filename: str = ""


class ImportOut(Schema):
    imported: int


class AlertOut(Schema):
    code: str
    level: str
    message: str
    kpi_id: int | None


class CreditOut(Schema):
    person_id: int
    kind: str
    kind_label: str
    label: str
    partnership: str
    at: datetime
    count: int
    detail: str


# -- shaping ---------------------------------------------------------------------------------


def _kpi_out(item: services.KpiProgress) -> dict:
    kpi, assessment = item.kpi, item.assessment
    latest = item.latest
    return {
        **{f: getattr(kpi, f) for f in ("id", "objective_id", *services.KPI_FIELDS)},
        "status": assessment.status.value,
        "status_reason": assessment.reason,
        "planned_now": assessment.planned,
        "latest": {
            "period": latest.period,
            "period_label": kpi.period_label(latest.period),
            "value": latest.value,
        }
        if latest
        else None,
        "warnings": [a.message for a in item.alerts],
    }


def _objective_out(objective: Objective, overview: services.Overview) -> dict:
    return {
        "id": objective.pk,
        "title": objective.title,
        "description": objective.description,
        "owners": [
            {
                "person_id": o.person_id,
                "person": o.person.full_name,
                "email": o.person.email,
                "organisation": o.organisation.slug,
            }
            for o in objective.owners.all()
        ],
        "kpis": [_kpi_out(overview.progress[k.pk]) for k in objective.kpis.all()],
    }


def _measurement_out(kpi: Kpi, m) -> dict:
    return {
        "id": m.pk,
        "period": m.period,
        "period_label": kpi.period_label(m.period),
        "value": m.value,
        "count": m.count,
        "dimension": m.dimension,
        "group": m.population_group,
        "source": m.source,
        "note": m.note,
        "recorded_by": str(m.recorded_by or ""),
        "recorded_for": m.recorded_for.slug if m.recorded_for else "",
        "recorded_at": m.recorded_at,
    }


def _owners(owners: list[OwnerIn]) -> list[tuple[User, Organisation]]:
    pairs, unknown = [], []
    for owner in owners:
        person = User.objects.filter(email=owner.email.strip().lower()).first()
        organisation = Organisation.objects.filter(slug=owner.organisation).first()
        if person is None or organisation is None:
            unknown.append(f"{owner.email} / {owner.organisation}")
        else:
            pairs.append((person, organisation))
    if unknown:
        raise Invalid(
            "Some owners are not known: give each person's e-mail and the slug of their "
            "organisation.",
            errors={"owners": unknown},
        )
    return pairs


def _credit_out(credit: recognition.Credit, titles: dict[int, str]) -> dict:
    return {
        "person_id": credit.person_id,
        "kind": credit.kind,
        "kind_label": credit.kind_label,
        "label": credit.label,
        "partnership": titles.get(credit.partnership_id, ""),
        "at": credit.at,
        "count": credit.weight,
        "detail": credit.detail,
    }


# -- routes ----------------------------------------------------------------------------------


@router.get(f"{P}/objectives", response=list[ObjectiveOut], summary="Shared objectives and KPIs")
def list_objectives(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    overview = services.overview(partnership)
    return [_objective_out(o, overview) for o in overview.objectives]


@router.post(
    f"{P}/objectives",
    response={201: ObjectiveOut},
    summary="Set a shared objective (owners from two or more parties)",
)
def create_objective(request, slug: str, payload: ObjectiveIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        objective = services.create_objective(
            request.auth,
            partnership,
            title=payload.title,
            description=payload.description,
            owners=_owners(payload.owners),
        )
    overview = services.overview(partnership)
    objective = next(o for o in overview.objectives if o.pk == objective.pk)
    return Status(201, _objective_out(objective, overview))


@router.get(f"{P}/objectives/{{objective_id}}", response=ObjectiveOut)
def get_objective(request, slug: str, objective_id: int):
    partnership = partnerships.get_partnership(request.auth, slug)
    services.get_objective(request.auth, partnership, objective_id)
    overview = services.overview(partnership)
    return _objective_out(next(o for o in overview.objectives if o.pk == objective_id), overview)


@router.patch(f"{P}/objectives/{{objective_id}}", response=ObjectiveOut)
def update_objective(request, slug: str, objective_id: int, payload: ObjectivePatch):
    partnership = partnerships.get_partnership(request.auth, slug)
    objective = services.get_objective(request.auth, partnership, objective_id)
    with transaction.atomic():
        services.update_objective(
            request.auth,
            objective,
            title=payload.title,
            description=payload.description,
            owners=_owners(payload.owners) if payload.owners is not None else None,
        )
    overview = services.overview(partnership)
    return _objective_out(next(o for o in overview.objectives if o.pk == objective_id), overview)


@router.post(f"{P}/objectives/{{objective_id}}/kpis", response={201: KpiOut}, summary="Add a KPI")
def define_kpi(request, slug: str, objective_id: int, payload: KpiIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    objective = services.get_objective(request.auth, partnership, objective_id)
    with transaction.atomic():
        kpi = services.define_kpi(request.auth, objective, **payload.dict())
    return Status(201, _kpi_out(services.progress(kpi, [])))


@router.get(f"{P}/kpis", response=list[KpiOut], summary="Every KPI with its status")
def list_kpis(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    overview = services.overview(partnership)
    return [_kpi_out(item) for item in overview.progress.values()]


@router.get(f"{P}/kpis/{{kpi_id}}", response=KpiDetailOut, summary="A KPI, its values and gaps")
def get_kpi(request, slug: str, kpi_id: int):
    partnership = partnerships.get_partnership(request.auth, slug)
    kpi = services.get_kpi(request.auth, partnership, kpi_id)
    measurements = services.measurements_of(kpi)
    item = services.progress(kpi, measurements)
    return {
        **_kpi_out(item),
        "measurements": [_measurement_out(kpi, m) for m in measurements],
        "breakdowns": [
            {
                "dimension": b.dimension,
                "groups": list(b.series),
                "gaps": [
                    {"period": g.period, "gap": g.gap, "best": g.best, "worst": g.worst}
                    for g in b.gaps
                ],
                "widening": b.widening is not None,
            }
            for b in item.breakdowns
        ],
    }


@router.post(
    f"{P}/kpis/{{kpi_id}}/measurements",
    response={201: MeasurementOut},
    summary="Record a value",
)
def record_measurement(request, slug: str, kpi_id: int, payload: MeasurementIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    kpi = services.get_kpi(request.auth, partnership, kpi_id)
    try:
        period = csvimport.parse_period(payload.period, kpi.frequency)
    except csvimport.FieldError as exc:
        raise Invalid("The period cannot be read.", errors={"period": [str(exc)]}) from None
    with transaction.atomic():
        measurement = services.record_measurement(
            request.auth,
            kpi,
            period=period,
            value=payload.value,
            count=payload.count,
            dimension=payload.dimension,
            group=payload.group,
            note=payload.note,
            source=Source.API,
        )
    return Status(201, _measurement_out(kpi, measurement))


@router.post(
    f"{P}/kpis/{{kpi_id}}/measurements/import",
    response={201: ImportOut},
    summary="Import values from CSV text: all rows, or none when any row is bad",
)
def import_measurements(request, slug: str, kpi_id: int, payload: ImportIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    kpi = services.get_kpi(request.auth, partnership, kpi_id)
    with transaction.atomic():
        count = services.import_measurements(
            request.auth, kpi, text=payload.csv, filename=payload.filename
        )
    return Status(201, {"imported": count})


@router.get(f"{P}/outcome-warnings", response=list[AlertOut], summary="Outcome warnings")
def outcome_warnings(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    return [
        {
            "code": a.code,
            "level": a.level,
            "message": a.message,
            "kpi_id": a.kpi.pk if a.kpi else None,
        }
        for a in services.overview(partnership).alerts
    ]


@router.get(f"{P}/recognition", response=list[CreditOut], summary="Who did what in it")
def partnership_recognition(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    titles = {partnership.pk: partnership.title}
    return [
        _credit_out(c, titles) for _, _, items in recognition.by_person(partnership) for c in items
    ]


@router.get(
    "/people/{person_id}/contributions",
    response=list[CreditOut],
    summary="A person's contributions, in the partnerships you can see",
)
def person_contributions(request, person_id: int):
    person = recognition.get_person(request.auth, person_id)
    seen, found = recognition.profile(request.auth, person)
    titles = {p.pk: p.title for p in seen}
    return [_credit_out(c, titles) for c in found]
