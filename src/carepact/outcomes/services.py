"""Objectives, KPIs and measurements: define them, record values, judge progress.

Each writing function takes the acting person first, checks access through the
partnership's rules, changes rows and appends its audit event, all in the caller's
transaction. Progress (status, gaps, warnings) is computed by ``carepact.engine.outcomes``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from carepact.accounts.models import Membership, Organisation, User
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine.outcomes import csvimport, equity, periods
from carepact.engine.outcomes.status import Assessment, Status, assess, target_problems
from carepact.outcomes.models import (
    OUTCOME_TYPES,
    Dimension,
    Direction,
    Frequency,
    Kpi,
    KpiType,
    Measurement,
    Objective,
    ObjectiveOwner,
    Source,
)
from carepact.outcomes.rules import joint_accountability
from carepact.partnerships.models import LIFECYCLE, Partnership, Party, Stage
from carepact.partnerships.rules import Action, access_for
from carepact.partnerships.services import people_of

KPI_FIELDS = (
    "name",
    "type",
    "unit",
    "direction",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "frequency",
    "tolerance_percent",
    "data_source",
    "method",
)
STALE_PERIODS = 2


def today() -> date:
    return timezone.localdate(clock.now())


# -- reading ---------------------------------------------------------------------------------


def objectives_of(partnership: Partnership) -> list[Objective]:
    """Objectives with owners and KPIs, ready for a page (no query per objective)."""
    return list(
        partnership.objectives.prefetch_related(
            Prefetch(
                "owners",
                queryset=ObjectiveOwner.objects.select_related("person", "organisation"),
            ),
            Prefetch("kpis", queryset=Kpi.objects.order_by("created_at", "pk")),
        )
    )


def get_objective(actor: User, partnership: Partnership, objective_id: int) -> Objective:
    objective = (
        Objective.objects.visible_to(actor)
        .filter(partnership=partnership, pk=objective_id)
        .prefetch_related(
            Prefetch(
                "owners", queryset=ObjectiveOwner.objects.select_related("person", "organisation")
            )
        )
        .first()
    )
    if objective is None:
        raise NotFound("No such objective in this partnership.")
    return objective


def get_kpi(actor: User, partnership: Partnership, kpi_id: int) -> Kpi:
    kpi = (
        Kpi.objects.visible_to(actor)
        .filter(partnership=partnership, pk=kpi_id)
        .select_related("objective")
        .first()
    )
    if kpi is None:
        raise NotFound("No such KPI in this partnership.")
    return kpi


def owner_candidates(partnership: Partnership) -> list[Membership]:
    """People of the active parties, who may be made accountable for an objective."""
    return people_of(partnership)


def measurements_of(kpi: Kpi) -> list[Measurement]:
    return list(kpi.measurements.select_related("recorded_by", "recorded_for"))


# -- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    series: dict[str, dict[date, float]]  # group → period → value
    gaps: list[equity.Gap]
    widening: equity.Widening | None


@dataclass(frozen=True)
class Alert:
    code: str  # no_outcome_kpi, stale, widening_gap
    level: str  # "warning", or "notice" for one that applies from a later stage
    message: str
    kpi: Kpi | None = None


@dataclass
class KpiProgress:
    kpi: Kpi
    overall: list[Measurement]
    assessment: Assessment
    breakdowns: list[Breakdown]
    overdue: list[date]
    alerts: list[Alert] = field(default_factory=list)

    @property
    def latest(self) -> Measurement | None:
        return self.overall[-1] if self.overall else None


def progress(kpi: Kpi, measurements: list[Measurement], *, as_of: date | None = None):
    """Status, breakdown gaps and alerts of one KPI from its measurements."""
    as_of = as_of or today()
    overall = sorted((m for m in measurements if m.is_overall), key=lambda m: m.period)
    assessment = assess(
        kpi.path(), [(kpi.period_end(m.period), m.value) for m in overall], unit=kpi.unit
    )
    by_dimension: dict[str, dict[str, dict[date, float]]] = defaultdict(lambda: defaultdict(dict))
    for m in measurements:
        if m.dimension:
            by_dimension[m.dimension][m.population_group][m.period] = m.value
    breakdowns = []
    for dimension in Dimension:
        series = by_dimension.get(dimension.value)
        if not series:
            continue
        points = equity.gaps(series, kpi.direction)
        breakdowns.append(
            Breakdown(
                dimension.value,
                dimension.label,
                {g: dict(sorted(v.items())) for g, v in sorted(series.items())},
                points,
                equity.widening(points),
            )
        )
    last = overall[-1].period if overall else timezone.localdate(kpi.created_at)
    overdue = periods.overdue_periods(last, as_of, kpi.frequency)
    result = KpiProgress(kpi, overall, assessment, breakdowns, overdue)
    if len(overdue) >= STALE_PERIODS:
        since = f"since {kpi.period_label(last)}" if overall else "since it was defined"
        result.alerts.append(
            Alert(
                "stale",
                "warning",
                f"“{kpi.name}” has no measurement for {len(overdue)} periods ({since}): "
                f"record {', '.join(kpi.period_label(p) for p in overdue[-3:])}.",
                kpi,
            )
        )
    for breakdown in breakdowns:
        if breakdown.widening:
            sentence = breakdown.widening.sentence(breakdown.label.lower(), kpi.unit)
            result.alerts.append(Alert("widening_gap", "warning", f"“{kpi.name}”: {sentence}", kpi))
    return result


def _partnership_alerts(partnership: Partnership, kpis: list[Kpi]) -> list[Alert]:
    if any(k.type == KpiType.PATIENT_OUTCOME for k in kpis):
        return []
    if partnership.stage == Stage.CLOSED:
        return []
    operating = LIFECYCLE.index(Stage.OPERATING)
    stage_index = LIFECYCLE.index(partnership.stage)
    kinds = " and ".join(sorted({k.get_type_display().lower() for k in kpis}))
    what = f"only {kinds} KPIs" if kpis else "no KPIs"
    if stage_index >= operating:
        return [
            Alert(
                "no_outcome_kpi",
                "warning",
                f"The partnership is {partnership.get_stage_display().lower()} with {what} "
                "and no patient-outcome KPI: partner on patient outcomes, not process "
                "measures. Add a KPI of type patient outcome to an objective.",
            )
        ]
    return [
        Alert(
            "no_outcome_kpi",
            "notice",
            f"The partnership has {what} and no patient-outcome KPI yet. From the operating "
            "stage this becomes a warning: agree now which patient outcome will show the "
            "partnership works.",
        )
    ]


@dataclass
class Overview:
    objectives: list[Objective]
    progress: dict[int, KpiProgress]  # by KPI id
    alerts: list[Alert]

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for item in self.progress.values():
            counts[item.assessment.status.value] += 1
        return counts


def overview(partnership: Partnership, *, as_of: date | None = None) -> Overview:
    """Every objective, every KPI's progress and the partnership's alerts, in few queries."""
    objectives = objectives_of(partnership)
    kpis = [k for o in objectives for k in o.kpis.all()]
    measured: dict[int, list[Measurement]] = defaultdict(list)
    for m in Measurement.objects.filter(kpi__in=kpis).order_by("period", "pk"):
        measured[m.kpi_id].append(m)
    found = {k.pk: progress(k, measured[k.pk], as_of=as_of) for k in kpis}
    alerts = _partnership_alerts(partnership, kpis)
    for item in found.values():
        alerts.extend(item.alerts)
    return Overview(objectives, found, alerts)


def outcome_kpi_count(partnership: Partnership) -> int:
    return partnership.kpis.filter(type=KpiType.PATIENT_OUTCOME).count()


# -- objectives ------------------------------------------------------------------------------


def _clean_owners(partnership: Partnership, owners) -> list[tuple[User, Organisation]]:
    active = set(
        Party.objects.filter(partnership=partnership, status=Party.Status.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    cleaned: list[tuple[User, Organisation]] = []
    problems: list[str] = []
    seen: set[int] = set()
    for person, organisation in owners:
        if organisation.pk not in active:
            problems.append(f"{organisation} is not an active party to this partnership.")
        elif not Membership.objects.filter(user=person, organisation=organisation).exists():
            problems.append(f"{person} is not a member of {organisation}.")
        elif person.pk not in seen:
            seen.add(person.pk)
            cleaned.append((person, organisation))
    if problems:
        raise Invalid("Some owners cannot be accountable here.", errors={"owners": problems})
    decision = joint_accountability(
        [organisation.name for _, organisation in cleaned], active_parties=len(active)
    )
    if not decision:
        raise Invalid(decision.reason, errors={"owners": [decision.reason]})
    return cleaned


def _clean_objective(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise Invalid("Give the objective a title.", errors={"title": ["Required."]})
    if len(title) > 200:
        raise Invalid("Keep the title under 200 characters.", errors={"title": ["Too long."]})
    return title, description


def _owner_summary(owners: list[tuple[User, Organisation]]) -> list[dict]:
    return [{"person": p.email, "organisation": o.name} for p, o in owners]


def create_objective(
    actor: User,
    partnership: Partnership,
    *,
    title: str,
    description: str = "",
    owners: list[tuple[User, Organisation]],
) -> Objective:
    """Define a shared objective; refused unless its owners come from two or more parties."""
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    title, description = _clean_objective(title, description)
    cleaned = _clean_owners(partnership, owners)
    now = clock.now()
    objective = Objective.objects.create(
        partnership=partnership,
        title=title,
        description=description,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    ObjectiveOwner.objects.bulk_create(
        ObjectiveOwner(objective=objective, person=p, organisation=o, since=now) for p, o in cleaned
    )
    audit.record(
        actor,
        action="objective.create",
        obj=objective,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} set the shared objective {title!r}, owned by "
            f"{', '.join(f'{p} ({o})' for p, o in cleaned)}."
        ),
        summary={"title": title, "owners": _owner_summary(cleaned)},
    )
    return objective


def update_objective(
    actor: User,
    objective: Objective,
    *,
    title: str | None = None,
    description: str | None = None,
    owners: list[tuple[User, Organisation]] | None = None,
) -> Objective:
    """Change an objective's words or owners; the owners must still span two parties."""
    partnership = objective.partnership
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    new_title, new_description = _clean_objective(
        objective.title if title is None else title,
        objective.description if description is None else description,
    )
    changed: dict = {}
    if new_title != objective.title:
        changed["title"] = [objective.title, new_title]
    if new_description != objective.description:
        changed["description"] = [objective.description, new_description]
    if owners is not None:
        cleaned = _clean_owners(partnership, owners)
        before = {(o.person_id, o.organisation_id) for o in objective.owners.all()}
        after = {(p.pk, o.pk) for p, o in cleaned}
        if before != after:
            current = list(objective.owners.select_related("person", "organisation"))
            changed["owners"] = [
                [{"person": o.person.email, "organisation": o.organisation.name} for o in current],
                _owner_summary(cleaned),
            ]
            kept = {p.pk for p, o in cleaned if (p.pk, o.pk) in before}
            objective.owners.exclude(person_id__in=kept).delete()
            ObjectiveOwner.objects.bulk_create(
                ObjectiveOwner(objective=objective, person=p, organisation=o, since=clock.now())
                for p, o in cleaned
                if p.pk not in kept
            )
    if not changed:
        return objective
    objective.title, objective.description = new_title, new_description
    objective.updated_at = clock.now()
    objective.save()
    audit.record(
        actor,
        action="objective.update",
        obj=objective,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} changed the {', '.join(changed)} of the objective {new_title!r}.",
        summary={"changed": changed},
    )
    return objective


# -- KPIs ------------------------------------------------------------------------------------


def _clean_kpi(fields: dict) -> dict:
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    errors: dict[str, list[str]] = {}
    for name in ("name", "unit", "data_source", "method"):
        if not cleaned.get(name):
            errors[name] = ["Required."]
    limits = {"name": 200, "unit": 60, "data_source": 300}
    for name, limit in limits.items():
        if len(cleaned.get(name) or "") > limit:
            errors[name] = [f"Keep it under {limit} characters."]
    choices = {"type": KpiType, "direction": Direction, "frequency": Frequency}
    for name, enum in choices.items():
        if cleaned.get(name) not in enum.values:
            errors[name] = ["Choose one of the options."]
    for name in ("baseline", "target"):
        value = cleaned.get(name)
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            errors[name] = ["Enter a number."]
        else:
            cleaned[name] = float(value)
    for name in ("baseline_date", "target_date"):
        if not isinstance(cleaned.get(name), date):
            errors[name] = ["Enter a date."]
    tolerance = cleaned.get("tolerance_percent", 10)
    if not isinstance(tolerance, int) or not 0 <= tolerance <= 100:
        errors["tolerance_percent"] = ["A whole number from 0 to 100."]
    cleaned["tolerance_percent"] = tolerance
    if not errors:
        errors.update(
            {
                k: [v]
                for k, v in target_problems(
                    cleaned["baseline"],
                    cleaned["baseline_date"],
                    cleaned["target"],
                    cleaned["target_date"],
                    cleaned["direction"],
                    tolerance / 100,
                ).items()
            }
        )
    if errors:
        raise Invalid("Some details of the KPI need correcting.", errors=errors)
    return cleaned


def define_kpi(actor: User, objective: Objective, **fields) -> Kpi:
    """Add a KPI to an objective: what is measured, from where, how, and the target."""
    partnership = objective.partnership
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise Invalid(f"Unknown KPI field(s): {', '.join(sorted(unknown))}.")
    cleaned = _clean_kpi(fields)
    now = clock.now()
    kpi = Kpi.objects.create(
        partnership=partnership,
        objective=objective,
        created_by=actor,
        created_at=now,
        updated_at=now,
        **cleaned,
    )
    audit.record(
        actor,
        action="kpi.create",
        obj=kpi,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} added the {kpi.get_type_display().lower()} KPI {kpi.name!r} to the "
            f"objective {objective.title!r}."
        ),
        summary={
            "objective": objective.title,
            **{
                k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in cleaned.items()
                if k != "method"
            },
        },
    )
    return kpi


# -- measurements ----------------------------------------------------------------------------


def _check_new(kpi: Kpi, period: date, dimension: str, group: str) -> None:
    if Measurement.objects.filter(
        kpi=kpi, period=period, dimension=dimension, population_group__iexact=group
    ).exists():
        where = f" for {group}" if dimension else ""
        raise Conflict(
            f"{kpi.period_label(period)}{where} already has a value for this KPI: values are "
            "kept as recorded, so check which one is right before recording another."
        )


def record_measurement(
    actor: User,
    kpi: Kpi,
    *,
    period: date,
    value: float,
    count: int | None = None,
    dimension: str = "",
    group: str = "",
    note: str = "",
    source: str = Source.HAND,
) -> Measurement:
    """Record one value for one period, overall or for one population group."""
    partnership = kpi.partnership
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    if not isinstance(period, date):
        errors["period"] = ["Enter the period as a date."]
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        errors["value"] = ["Enter a number."]
    if count is not None and (not isinstance(count, int) or count < 0):
        errors["count"] = ["A whole number of people, 0 or more."]
    dimension, group, note = (dimension or "").strip(), (group or "").strip(), note or ""
    if dimension and dimension not in Dimension.values:
        errors["dimension"] = ["Choose age band, sex, ethnicity or deprivation."]
    if dimension and not group:
        errors["group"] = ["Name the population group this value is for."]
    if group and not dimension:
        errors["dimension"] = ["Say which breakdown the group belongs to."]
    if len(group) > csvimport.MAX_GROUP:
        errors["group"] = [f"Keep it under {csvimport.MAX_GROUP} characters."]
    if len(note) > csvimport.MAX_NOTE:
        errors["note"] = [f"Keep it under {csvimport.MAX_NOTE} characters."]
    if source not in Source.values:
        errors["source"] = ["Unknown source."]
    if errors:
        raise Invalid("The measurement needs correcting.", errors=errors)
    start = periods.period_start(period, kpi.frequency)
    _check_new(kpi, start, dimension, group)
    measurement = Measurement.objects.create(
        partnership=partnership,
        kpi=kpi,
        period=start,
        value=float(value),
        count=count,
        dimension=dimension,
        population_group=group,
        source=source,
        note=note.strip(),
        recorded_by=actor,
        recorded_for=access.acting_organisation,
        recorded_at=clock.now(),
    )
    where = f" for {group} ({Dimension(dimension).label.lower()})" if dimension else ""
    audit.record(
        actor,
        action="measurement.record",
        obj=measurement,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} recorded {kpi.name!r} for {kpi.period_label(start)}{where}"
            f" ({Source(source).label.lower()})."
        ),
        summary={
            "kpi": kpi.name,
            "period": start.isoformat(),
            "value": float(value),
            "count": count,
            "dimension": dimension,
            "group": group,
            "source": source,
        },
    )
    return measurement


class ImportRejected(Invalid):
    """A CSV file with bad rows: nothing was imported; ``rows`` lists every problem."""

    def __init__(self, rows: list[csvimport.RowError]):
        self.rows = rows
        super().__init__(
            f"Nothing was imported: the file has {len(rows)} problem"
            f"{'s' if len(rows) != 1 else ''}. Correct them and upload the whole file again.",
            errors={f"line {e.line}, {e.column}": [e.problem] for e in rows[:200]},
        )


def import_measurements(actor: User, kpi: Kpi, *, text: str, filename: str = "") -> int:
    """Import a CSV file of measurements: all of it, or nothing when any row is bad."""
    partnership = kpi.partnership
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    rows, problems = csvimport.parse(text, kpi.frequency)
    existing = {
        (period, dimension, group.lower())
        for period, dimension, group in kpi.measurements.values_list(
            "period", "dimension", "population_group"
        )
    }
    for row in rows:
        if (row.period, row.dimension, row.group.lower()) in existing:
            problems.append(
                csvimport.RowError(
                    row.line,
                    "period",
                    f"{kpi.period_label(row.period)} already has a value for this group",
                )
            )
    if problems:
        raise ImportRejected(sorted(problems, key=lambda e: (e.line, e.column)))
    now = clock.now()
    Measurement.objects.bulk_create(
        Measurement(
            partnership=partnership,
            kpi=kpi,
            period=row.period,
            value=row.value,
            count=row.count,
            dimension=row.dimension,
            population_group=row.group,
            source=Source.CSV,
            note=row.note,
            recorded_by=actor,
            recorded_for=access.acting_organisation,
            recorded_at=now,
        )
        for row in rows
    )
    first, last = min(r.period for r in rows), max(r.period for r in rows)
    audit.record(
        actor,
        action="measurement.import",
        obj=kpi,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} imported {len(rows)} measurement{'s' if len(rows) != 1 else ''} of "
            f"{kpi.name!r} ({kpi.period_label(first)} to {kpi.period_label(last)}) from a CSV "
            "file."
        ),
        summary={
            "kpi": kpi.name,
            "rows": len(rows),
            "first_period": first.isoformat(),
            "last_period": last.isoformat(),
            "file": filename[:200],
        },
    )
    return len(rows)


def outcome_kpis(partnership: Partnership) -> list[Kpi]:
    """The KPIs patients would recognise as results (outcome, experience, equity)."""
    return list(partnership.kpis.filter(type__in=OUTCOME_TYPES).select_related("objective"))
