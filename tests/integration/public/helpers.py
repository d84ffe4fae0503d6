"""A partnership set up to leak: every private field holds a marker the public must not see."""

from datetime import date

from django.db import transaction

from carepact.outcomes import services as outcomes
from carepact.partnerships import services as partnerships
from carepact.public import services
from carepact.value import services as ledger

PRIVATE = {
    "vision": "PRIVATE-VISION shared only between the parties",
    "objective": "PRIVATE-OBJECTIVE-DESCRIPTION",
    "method": "PRIVATE-METHOD of calculation",
    "source": "PRIVATE-SOURCE warehouse table",
    "note": "PRIVATE-NOTE about the March figure",
    "process": "PRIVATE-PROCESS-KPI images read",
    "group": "PRIVATE-GROUP quintile",
    "contribution": "PRIVATE-CONTRIBUTION engineers",
    "valuation": "PRIVATE-VALUATION day rates",
    "revenue": "PRIVATE-REVENUE licence sold",
    "term": "PRIVATE-TERM",
}


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


SETTINGS = {
    "summary": "We use chest X-rays to find lung cancer sooner.",
    "how_to_opt_out": "Tell the radiology department, or register a National Data Opt-out.",
    "contact": "dpo@northgate.example",
    "show_value": "items",
    "show_kpis": True,
}


def leaky(world):
    """Fill scan-triage with private details and public ones, and write its page."""
    p = world.partnership
    p.vision = PRIVATE["vision"]
    p.save()
    objective = atomic(
        outcomes.create_objective,
        world.lead,
        p,
        title="Diagnose lung cancer sooner",
        description=PRIVATE["objective"],
        owners=[(world.lead, world.trust), (world.partner_admin, world.company)],
    )
    base = {
        "unit": "days",
        "direction": "decrease",
        "baseline": 42.0,
        "baseline_date": date(2026, 1, 1),
        "target": 28.0,
        "target_date": date(2027, 1, 1),
        "frequency": "monthly",
        "data_source": PRIVATE["source"],
        "method": PRIVATE["method"],
    }
    outcome = atomic(
        outcomes.define_kpi,
        world.lead,
        objective,
        name="Days from X-ray to diagnosis",
        type="patient_outcome",
        **base,
    )
    atomic(
        outcomes.define_kpi, world.lead, objective, name=PRIVATE["process"], type="process", **base
    )
    small = atomic(
        outcomes.define_kpi, world.lead, objective, name="Gap in days by sex", type="equity", **base
    )
    for month, value in ((1, 41.25), (2, 39.75), (3, 38.5)):
        atomic(
            outcomes.record_measurement,
            world.lead,
            outcome,
            period=date(2026, month, 1),
            value=value,
            count=120,
            note=PRIVATE["note"],
        )
    atomic(
        outcomes.record_measurement,
        world.lead,
        outcome,
        period=date(2026, 3, 1),
        value=47.125,
        dimension="deprivation",
        group=PRIVATE["group"],
    )
    atomic(  # a value based on 7 people: withheld from the public
        outcomes.record_measurement,
        world.lead,
        small,
        period=date(2026, 1, 1),
        value=77.875,
        count=7,
    )
    atomic(
        ledger.record_contribution,
        world.lead,
        p,
        organisation=world.trust,
        kind="data",
        description=PRIVATE["contribution"],
        amount="1234567",
        valuation_method=PRIVATE["valuation"],
        contributed_on=date(2026, 1, 1),
    )
    atomic(
        ledger.record_benefit,
        world.lead,
        p,
        kind="revenue",
        description=PRIVATE["revenue"],
        amount="987654",
        currency="GBP",
        valuation_method=PRIVATE["valuation"],
        realised_on=date(2026, 3, 1),
        shares={world.company: 100},
    )
    atomic(
        ledger.record_benefit,
        world.lead,
        p,
        kind="nhs_milestone",
        description="Milestone paid when a second trust adopted the pathway",
        amount="25000",
        currency="GBP",
        valuation_method=PRIVATE["valuation"],
        realised_on=date(2026, 4, 1),
        shares={world.trust: 100},
    )
    atomic(partnerships.propose_term, world.lead, p, term=PRIVATE["term"], definition="x")
    atomic(services.save_settings, world.lead, p, **SETTINGS)


def publish(world):
    atomic(services.opt_in, world.lead, world.partnership, organisation=world.trust)
    atomic(services.opt_in, world.partner_admin, world.partnership, organisation=world.company)
