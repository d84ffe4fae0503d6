"""Access table for the outcomes pages and API (see tests/integration/test_access_table.py)."""

from datetime import date

from carepact.outcomes.models import Kpi, Measurement, Objective, ObjectiveOwner

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}"


def place(world) -> dict:
    p = world.partnership
    objective = Objective.objects.create(partnership=p, title="Find lung cancer sooner")
    ObjectiveOwner.objects.create(objective=objective, person=world.lead, organisation=world.trust)
    ObjectiveOwner.objects.create(
        objective=objective, person=world.partner_admin, organisation=world.company
    )
    kpi = Kpi.objects.create(
        partnership=p,
        objective=objective,
        name="Days from X-ray to diagnosis",
        type="patient_outcome",
        unit="days",
        direction="decrease",
        baseline=40,
        baseline_date=date(2026, 1, 1),
        target=28,
        target_date=date(2027, 1, 1),
        frequency="monthly",
        data_source="Cancer registry",
        method="Median.",
    )
    Measurement.objects.create(
        partnership=p,
        kpi=kpi,
        period=date(2026, 1, 1),
        value=39,
        source="hand",
        recorded_by=world.lead,
        recorded_for=world.trust,
    )
    return {
        "objective_id": objective.pk,
        "kpi_id": kpi.pk,
        # a person the lead and the observer share a partnership with; the outsider does not
        "person_id": world.partner_admin.pk,
    }


OBJECTIVE = {**SLUG}
KPI_BODY = {
    "name": "Stage at diagnosis",
    "type": "patient_outcome",
    "unit": "%",
    "direction": "increase",
    "baseline": 30,
    "baseline_date": "2026-01-01",
    "target": 40,
    "target_date": "2027-01-01",
    "data_source": "Registry",
    "method": "Share at stage 1 or 2.",
}
OWNERS = [
    {"email": "lead@northgate.example", "organisation": "northgate"},
    {"email": "admin@brightscan.example", "organisation": "brightscan"},
]


def _objective(p):
    return {**SLUG, "objective_id": p["objective_id"]}


def _kpi(p):
    return {**SLUG, "kpi_id": p["kpi_id"]}


PAGES = {
    "outcomes:index": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    "outcomes:objective_new": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "outcomes:objective": (_objective, {"GET": (302, 404, 200, 200)}, None),
    "outcomes:objective_edit": (
        _objective,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "outcomes:kpi_new": (
        _objective,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "outcomes:kpi": (_kpi, {"GET": (302, 404, 200, 200), "POST": (302, 404, 403, 200)}, {}),
    "outcomes:kpi_import": (
        _kpi,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "outcomes:recognition": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    "outcomes:my_contributions": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "outcomes:person_contributions": (
        lambda p: {"person_id": p["person_id"]},
        {"GET": (302, 404, 200, 200)},
        None,
    ),
}

API = {
    f"GET {P}/objectives": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/objectives": (
        lambda p: SLUG,
        {"title": "Fewer emergency admissions", "owners": OWNERS},
        (401, 404, 403, 201),
    ),
    f"GET {P}/objectives/{{objective_id}}": (_objective, None, (401, 404, 200, 200)),
    f"PATCH {P}/objectives/{{objective_id}}": (
        _objective,
        {"title": "Find lung cancer much sooner"},
        (401, 404, 403, 200),
    ),
    f"POST {P}/objectives/{{objective_id}}/kpis": (_objective, KPI_BODY, (401, 404, 403, 201)),
    f"GET {P}/kpis": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"GET {P}/kpis/{{kpi_id}}": (_kpi, None, (401, 404, 200, 200)),
    f"POST {P}/kpis/{{kpi_id}}/measurements": (
        _kpi,
        {"period": "2026-02", "value": 37.5, "count": 44},
        (401, 404, 403, 201),
    ),
    f"POST {P}/kpis/{{kpi_id}}/measurements/import": (
        _kpi,
        {"csv": "period,value\n2026-03,36\n2026-04,35\n"},
        (401, 404, 403, 201),
    ),
    f"GET {P}/outcome-warnings": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"GET {P}/recognition": (lambda p: SLUG, None, (401, 404, 200, 200)),
    "GET /people/{person_id}/contributions": (
        lambda p: {"person_id": p["person_id"]},
        None,
        (401, 404, 200, 200),
    ),
}
