"""Shared set-up for the outcomes tests: an objective owned by both parties and a KPI."""

from datetime import date

from django.db import transaction

from carepact.outcomes import services


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


KPI = {
    "name": "Median days from X-ray to diagnosis",
    "type": "patient_outcome",
    "unit": "days",
    "direction": "decrease",
    "baseline": 42.0,
    "baseline_date": date(2026, 1, 1),
    "target": 28.0,
    "target_date": date(2027, 1, 1),
    "frequency": "monthly",
    "tolerance_percent": 10,
    "data_source": "Cancer registry",
    "method": "Median days from the first suspicious X-ray to the MDT diagnosis.",
}


def objective(world, **kwargs):
    return atomic(
        services.create_objective,
        world.lead,
        world.partnership,
        title=kwargs.get("title", "Diagnose lung cancer sooner"),
        description="Weeks sooner, for everyone.",
        owners=[(world.lead, world.trust), (world.partner_admin, world.company)],
    )


def kpi(world, the_objective=None, **fields):
    return atomic(
        services.define_kpi, world.lead, the_objective or objective(world), **{**KPI, **fields}
    )
