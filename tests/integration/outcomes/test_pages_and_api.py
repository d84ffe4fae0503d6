"""The outcomes pages and API: forms, chart, import report, problem bodies."""

import json
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepact.core import clock
from carepact.outcomes import services
from carepact.outcomes.models import Measurement, Objective
from tests.integration.outcomes.helpers import atomic, kpi, objective
from tests.integration.test_pages import check_structure


def memberships(world):
    return {m.user: str(m.pk) for m in services.owner_candidates(world.partnership)}


def test_adding_an_objective_through_the_page(world, client_for):
    ids = memberships(world)
    client = client_for(world.lead)
    response = client.post(
        "/p/scan-triage/outcomes/objectives/new/",
        {"title": "Fewer missed cancers", "owners": [ids[world.lead]]},
    )
    assert response.status_code == 200  # refused: one party only, with the reason on the form
    assert "add an owner from another party" in response.content.decode()
    assert not Objective.objects.exists()
    response = client.post(
        "/p/scan-triage/outcomes/objectives/new/",
        {"title": "Fewer missed cancers", "owners": [ids[world.lead], ids[world.partner_admin]]},
    )
    made = Objective.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/objectives/{made.pk}/")


def test_recording_a_value_on_the_kpi_page_and_seeing_chart_and_status(world, client_for):
    made = kpi(world)
    client = client_for(world.partner_admin)
    url = f"/p/scan-triage/outcomes/kpis/{made.pk}/"
    response = client.post(url, {"period": "2026-01", "value": "39.5", "count": "41"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    check_structure(page, "kpi page")
    assert 'data-chart-source="kpi-chart-data"' in page
    assert "Planned path to target" in page and "Status:" in page
    assert Measurement.objects.get().recorded_by == world.partner_admin
    again = client.post(url, {"period": "2026-01", "value": "38"})
    assert again.status_code == 200 and "already has a value" in again.content.decode()


def test_the_import_page_lists_every_bad_row(world, client_for):
    made = kpi(world)
    upload = SimpleUploadedFile(
        "values.csv", b"period,value\n2026-01,41\n2026-02,forty\n2026-13,39\n", "text/csv"
    )
    response = client_for(world.lead).post(
        f"/p/scan-triage/outcomes/kpis/{made.pk}/import/", {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: the file has 2 problems" in page
    assert "<td>3</td><td>value</td>" in page and "<td>4</td><td>period</td>" in page
    assert not Measurement.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_on_the_form(world, client_for):
    made = kpi(world)
    upload = SimpleUploadedFile("values.csv", "period,value\n2026-01,4½\n".encode("latin-1"))
    response = client_for(world.lead).post(
        f"/p/scan-triage/outcomes/kpis/{made.pk}/import/", {"file": upload}
    )
    assert "not UTF-8" in response.content.decode()


def test_import_through_the_api_reports_bad_rows_as_a_problem_body(world, client_for):
    made = kpi(world)
    response = client_for(world.lead).post(
        f"/api/v1/partnerships/scan-triage/kpis/{made.pk}/measurements/import",
        json.dumps({"csv": "period,value\n2026-01,41\n2026-02,\n"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == {"line 3, value": ["is empty"]}
    assert "Nothing was imported" in problem["detail"]


def test_the_api_refuses_a_single_party_objective_with_the_reason(world, client_for):
    response = client_for(world.lead).post(
        "/api/v1/partnerships/scan-triage/objectives",
        json.dumps(
            {
                "title": "Ours",
                "owners": [{"email": "lead@northgate.example", "organisation": "northgate"}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "at least two parties" in response.json()["detail"]


# The KPI runs from 42 days on 1 Jan 2026 to 28 on 1 Jan 2027, lower is better, with an
# at-risk band of 10% of the way: 1.4 days. January's value describes 31 Jan, when the plan
# is 42 − 14 × 30/365 = 40.85 days.
@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (40, "on_track", "is on or ahead of the planned 40.85 days."),
        (41, "at_risk", "by 0.15, within the at-risk band of 1.4."),
        (43, "off_track", "by 2.15, more than the at-risk band of 1.4."),
    ],
)
def test_the_api_answers_status_and_warnings(world, client_for, value, status, reason):
    made = kpi(world)
    with clock.travel(datetime(2026, 4, 15, 12, tzinfo=UTC)):
        atomic(services.record_measurement, world.lead, made, period=date(2026, 1, 1), value=value)
        client = client_for(world.observer)
        found = client.get(f"/api/v1/partnerships/scan-triage/kpis/{made.pk}").json()
        warnings = client.get("/api/v1/partnerships/scan-triage/outcome-warnings").json()
    assert found["latest"]["value"] == value and found["status"] == status
    assert found["status_reason"].startswith(f"The latest value, {value} days (as at 31 Jan 2026)")
    assert found["status_reason"].endswith(reason)
    assert found["planned_now"] == pytest.approx(42 - 14 * 30 / 365)
    assert found["measurements"][0]["recorded_by"] == "Lee Lead"
    # On 15 April, February and March are complete and unmeasured: the KPI is stale. It
    # measures a patient outcome, so there is no "no patient-outcome KPI" warning.
    stale = (
        "“Median days from X-ray to diagnosis” has no measurement for 2 periods "
        "(since Jan 2026): record Feb 2026, Mar 2026."
    )
    assert warnings == [{"code": "stale", "level": "warning", "message": stale, "kpi_id": made.pk}]
    assert found["warnings"] == [stale]


def test_the_outcomes_page_does_not_grow_queries_with_kpis(world, client_for):
    client = client_for(world.lead)
    first = objective(world)
    kpi(world, first)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/p/scan-triage/outcomes/").status_code == 200
    for n in range(4):
        more = objective(world, title=f"Objective {n}")
        made = kpi(world, more, name=f"KPI {n}")
        atomic(services.record_measurement, world.lead, made, period=date(2026, 1, 1), value=40)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/p/scan-triage/outcomes/").status_code == 200
    assert len(large) == len(small), f"{len(small)} queries became {len(large)}"
