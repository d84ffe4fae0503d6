"""Objectives, KPIs and a year of measurements for both demo partnerships.

The AI pathway measures a patient outcome that is improving (median days from chest X-ray
to lung-cancer diagnosis), broken down by deprivation, where the gap has widened over the
last three months: the page warns about it. The data partnership measures process only, so
it carries the "no patient-outcome KPI" notice (a warning once it reaches operating), and
one of its KPIs has gone unmeasured for three months.

History before a KPI existed is imported from CSV when the KPI is defined; later months are
recorded by hand early in the following month, as a team would.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from carepact.accounts.demo import person
from carepact.core import clock
from carepact.core.demos import DemoContext
from carepact.engine.outcomes.periods import Frequency, next_period, period_start
from carepact.outcomes import services
from carepact.outcomes.models import Source
from carepact.partnerships.models import Partnership

AI_SLUG = "ai-assisted-chest-x-ray-triage-pathway"
DATA_SLUG = "eastmoor-cardiometabolic-data-partnership"


def months_back(today: date, n: int) -> date:
    """The first day of the month ``n`` months before this one."""
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def quarters_back(today: date, n: int) -> date:
    return months_back(period_start(today, Frequency.QUARTERLY), 3 * n)


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def recorded_on(period: date, frequency: str, now: datetime, not_before: datetime) -> datetime:
    """Early in the period after ``period``: after ``not_before``, a little before now."""
    when = moment(next_period(period, frequency) + timedelta(days=4))
    return min(max(when, not_before + timedelta(hours=2)), now - timedelta(hours=2))


def csv_text(rows: list[tuple]) -> str:
    lines = ["period,value,count,dimension,group"]
    for period, value, count, dimension, group in rows:
        lines.append(
            f"{period:%Y-%m},{value},{count if count is not None else ''},{dimension},{group}"
        )
    return "\n".join(lines) + "\n"


# Twelve months, oldest first: the overall median falls from 42 to 31 days.
TIME_TO_DIAGNOSIS = [42, 41.5, 41, 39, 37.5, 36, 35, 34, 33, 32.5, 31.5, 31]
DIAGNOSED = [48, 51, 46, 53, 55, 50, 57, 52, 58, 54, 56, 59]
# Most deprived quintile minus least deprived: narrowing, then widening for three months.
DEPRIVATION_GAP = [9, 8.5, 8, 7, 6.5, 6, 5.5, 5, 5, 6, 7.5, 9]
REPORTED_24H = [55, 58, 63, 71, 76, 80, 83, 86, 88, 89, 90, 91]
EARLY_STAGE = [29, 31, 33, 34]  # quarterly
WELL_INFORMED = [68, 71, 73, 76]  # quarterly
CURATED = [0, 1200, 2900, 4800, 7100, 9800, 12600, 15900, 19400, 22800, 26300, 29800]
ANALYSES = [0, 0, 1, 1, 2, 3, 3, 4]  # stops four months ago: the stale warning


def load(ctx: DemoContext) -> None:
    now = clock.now()
    today = timezone.localdate(now)
    ai = Partnership.objects.get(slug=AI_SLUG)
    data = Partnership.objects.get(slug=DATA_SLUG)
    _ai_pathway(ai, today, now)
    _data_partnership(data, today, now)


def _ai_pathway(ai: Partnership, today: date, now: datetime) -> None:
    northfield, lumen = (p.organisation for p in ai.active_parties())
    sarah, grace = person("sarah.lindqvist"), person("grace.mensah")
    mei, fiona, priya = person("mei.chen"), person("fiona.hart"), person("priya.raman")
    first_month = months_back(today, 12)
    months = [months_back(today, 12 - i) for i in range(12)]
    quarters = [quarters_back(today, 4 - i) for i in range(4)]

    defined = moment(months_back(today, 10) + timedelta(days=6))
    with clock.travel(defined):
        sooner = services.create_objective(
            sarah,
            ai,
            title="Diagnose lung cancer sooner after a suspicious chest X-ray",
            description=(
                "Patients whose chest X-ray suggests lung cancer reach a confirmed diagnosis "
                "weeks sooner, and no group of patients is left behind."
            ),
            owners=[(sarah, northfield), (grace, lumen)],
        )
        clock.tick(timedelta(hours=1))
        days = services.define_kpi(
            sarah,
            sooner,
            name="Median days from chest X-ray to lung-cancer diagnosis",
            type="patient_outcome",
            unit="days",
            direction="decrease",
            baseline=42,
            baseline_date=first_month,
            target=28,
            target_date=months_back(today, -12),
            frequency="monthly",
            tolerance_percent=10,
            data_source="Northfield cancer registry, linked to PACS request dates",
            method=(
                "For patients with a lung-cancer diagnosis confirmed by the MDT in the month: "
                "median of days from the chest X-ray that first raised suspicion to the date "
                "of diagnosis. Breakdown by IMD 2019 quintile of home postcode."
            ),
        )
        early = services.define_kpi(
            sarah,
            sooner,
            name="Lung cancers diagnosed at stage 1 or 2",
            type="patient_outcome",
            unit="%",
            direction="increase",
            baseline=29,
            baseline_date=quarters[0],
            target=40,
            target_date=quarters_back(today, -4),
            frequency="quarterly",
            tolerance_percent=10,
            data_source="Northfield cancer registry (TNM stage at diagnosis)",
            method="Share of lung cancers diagnosed in the quarter that were stage 1 or 2.",
        )
        informed = services.define_kpi(
            fiona,
            sooner,
            name="Patients who felt well informed while waiting for results",
            type="patient_experience",
            unit="%",
            direction="increase",
            baseline=68,
            baseline_date=quarters[0],
            target=80,
            target_date=quarters_back(today, -4),
            frequency="quarterly",
            tolerance_percent=10,
            data_source="Post-diagnosis patient survey (lung cancer nurse specialists)",
            method="Share answering 'always' or 'mostly' to 'I was kept informed'.",
        )
        clock.tick(timedelta(days=1))
        reporting = services.create_objective(
            grace,
            ai,
            title="Report every urgent chest X-ray within 24 hours",
            description=(
                "The AI puts suspicious images first; radiologists report them the same day."
            ),
            owners=[(grace, lumen), (priya, northfield)],
        )
        reported = services.define_kpi(
            grace,
            reporting,
            name="Urgent chest X-rays reported within 24 hours",
            type="process",
            unit="%",
            direction="increase",
            baseline=55,
            baseline_date=first_month,
            target=95,
            target_date=months_back(today, 0),
            frequency="monthly",
            tolerance_percent=10,
            data_source="Lumen triage dashboard joined to RIS report times",
            method="Share of X-rays flagged urgent that had a verified report within 24 hours.",
        )
        # The months before the KPIs existed come from the registry and the dashboard.
        history = [
            (m, TIME_TO_DIAGNOSIS[i], DIAGNOSED[i], "", "") for i, m in enumerate(months[:2])
        ]
        for i, m in enumerate(months[:2]):
            low = TIME_TO_DIAGNOSIS[i] - 4
            history.append((m, low + DEPRIVATION_GAP[i], 12 + i, "deprivation", "IMD quintile 1"))
            history.append((m, low, 10 + i, "deprivation", "IMD quintile 5"))
        services.import_measurements(mei, days, text=csv_text(history), filename="registry.csv")
        services.import_measurements(
            grace,
            reported,
            text=csv_text([(m, REPORTED_24H[i], None, "", "") for i, m in enumerate(months[:2])]),
            filename="dashboard.csv",
        )

    for i, month in enumerate(months[2:], start=2):
        with clock.travel(recorded_on(month, "monthly", now, defined)):
            services.record_measurement(
                sarah, days, period=month, value=TIME_TO_DIAGNOSIS[i], count=DIAGNOSED[i]
            )
            low = TIME_TO_DIAGNOSIS[i] - 4
            for group, value, count in [
                ("IMD quintile 1", low + DEPRIVATION_GAP[i], 11 + i % 4),
                ("IMD quintile 5", low, 10 + i % 3),
            ]:
                services.record_measurement(
                    mei,
                    days,
                    period=month,
                    value=value,
                    count=count,
                    dimension="deprivation",
                    group=group,
                )
            services.record_measurement(
                grace, reported, period=month, value=REPORTED_24H[i], source=Source.API
            )
    for i, quarter in enumerate(quarters):
        with clock.travel(recorded_on(quarter, "quarterly", now, defined)):
            services.record_measurement(sarah, early, period=quarter, value=EARLY_STAGE[i])
            services.record_measurement(fiona, informed, period=quarter, value=WELL_INFORMED[i])


def _data_partnership(data: Partnership, today: date, now: datetime) -> None:
    northfield, eastmoor, helix = (p.organisation for p in data.active_parties())
    james, nadia, ravi = person("james.whitlow"), person("nadia.farouk"), person("ravi.desai")
    mei = person("mei.chen")
    months = [months_back(today, 12 - i) for i in range(12)]
    defined = moment(months_back(today, 3) + timedelta(days=2))
    with clock.travel(defined):
        objective = services.create_objective(
            nadia,
            data,
            title="Build the linked cardiometabolic dataset and first analyses",
            description=(
                "Linked, de-identified records of people living with heart disease and type 2 "
                "diabetes, ready for analysis in the trusted research environment."
            ),
            owners=[(nadia, eastmoor), (james, northfield), (ravi, helix)],
        )
        curated = services.define_kpi(
            mei,
            objective,
            name="Linked records curated for analysis",
            type="process",
            unit="records",
            direction="increase",
            baseline=0,
            baseline_date=months[0],
            target=40000,
            target_date=months_back(today, -6),
            frequency="monthly",
            tolerance_percent=10,
            data_source="Northfield data warehouse curation log",
            method="Patients whose primary and secondary care records are linked and checked.",
        )
        analyses = services.define_kpi(
            nadia,
            objective,
            name="Analyses completed in the trusted research environment",
            type="process",
            unit="analyses",
            direction="increase",
            baseline=0,
            baseline_date=months[0],
            target=12,
            target_date=months_back(today, -6),
            frequency="monthly",
            tolerance_percent=20,
            data_source="Eastmoor TRE project register",
            method="Cumulative count of analyses signed off by the output checkers.",
        )
        services.import_measurements(
            mei,
            curated,
            text=csv_text([(m, CURATED[i], None, "", "") for i, m in enumerate(months[:9])]),
            filename="curation-log.csv",
        )
        services.import_measurements(
            nadia,
            analyses,
            text=csv_text([(m, ANALYSES[i], None, "", "") for i, m in enumerate(months[:8])]),
            filename="tre-register.csv",
        )
    for i, month in enumerate(months[9:], start=9):
        with clock.travel(recorded_on(month, "monthly", now, defined)):
            services.record_measurement(mei, curated, period=month, value=CURATED[i])
