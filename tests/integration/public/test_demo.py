"""The demo's outcomes, ledger and public page tell the story the issue asks for."""

from django.db import transaction
from django.test import Client

from carepact.core import audit, demos
from carepact.outcomes import services as outcomes
from carepact.partnerships.models import Partnership
from carepact.public import services as public
from carepact.value import services as value

AI = "ai-assisted-chest-x-ray-triage-pathway"
DATA = "eastmoor-cardiometabolic-data-partnership"


# Only the parts this story needs: the whole demo runs in tests/integration/core.
PARTS = {"accounts", "partnerships", "outcomes", "value", "public"}


def test_the_demo_partnerships_outcomes_value_and_public_page(db):
    ctx = demos.DemoContext()
    for label, module in demos.loaders():
        if label in PARTS:
            with transaction.atomic():
                module.load(ctx)
    ai, data = Partnership.objects.get(slug=AI), Partnership.objects.get(slug=DATA)

    ai_view = outcomes.overview(ai)
    days = next(
        item for item in ai_view.progress.values() if item.kpi.name.startswith("Median days")
    )
    values = [m.value for m in days.overall]
    assert len(values) == 12 and values[0] > values[-1]  # a year, improving
    assert days.assessment.status.value == "on_track"
    assert [b.dimension for b in days.breakdowns] == ["deprivation"]
    codes = {a.code for a in ai_view.alerts}
    assert "widening_gap" in codes and "no_outcome_kpi" not in codes

    data_view = outcomes.overview(data)
    assert {k.kpi.type for k in data_view.progress.values()} == {"process"}
    levels = {(a.code, a.level) for a in data_view.alerts}
    assert ("no_outcome_kpi", "notice") in levels  # agreeing: a warning from operating
    assert ("stale", "warning") in levels

    ledger = value.ledger(ai)
    assert len(ledger.contributions) == 6 and len(ledger.benefits) == 6
    assert ledger.returned_to_nhs() == {"GBP": 2_950_000}
    assert value.shapley_view(ai).efficient and value.shapley_view(data).efficient

    assert public.is_published(ai) and not public.is_published(data)
    assert Client().get(f"/public/{AI}/").status_code == 200
    assert Client().get(f"/public/{DATA}/").status_code == 404
    # The consent app provides the patient page; the AI pathway registers no dataset on
    # carepact, so its datasets and releases are not recorded rather than "none".
    shown = Client().get(f"/api/v1/public/partnerships/{AI}").json()
    assert shown["patient_page"] == "/patient/"
    assert 'href="/patient/"' in Client().get(f"/public/{AI}/").content.decode()
    assert not shown["datasets"]["recorded"] and not shown["releases"]["recorded"]
    assert all(report.broken is None for report in audit.verify())
