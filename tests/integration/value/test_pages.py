"""The value pages: forms that refuse with reasons, the fairness chart, the Shapley form."""

from carepact.value.models import Benefit, CoalitionValues, Contribution
from tests.integration.test_pages import check_structure


def test_recording_a_contribution_on_the_page(world, client_for):
    client = client_for(world.partner_admin)
    page = client.get("/p/scan-triage/value/contributions/new/").content.decode()
    # a member may record for their own party only: the choice offers nothing else
    assert "Brightscan AI" in page and "Northgate NHS Trust" not in page
    response = client.post(
        "/p/scan-triage/value/contributions/new/",
        {
            "organisation": world.company.pk,
            "kind": "staff_time",
            "description": "Engineers",
            "contributed_on": "2026-02-01",
            "currency": "GBP",
            "fte_months": "4",
            "rate": "9000",
        },
    )
    assert response.status_code == 302
    assert Contribution.objects.get().amount_minor == 3_600_000


def test_a_benefit_form_with_shares_that_do_not_add_up(world, client_for):
    client = client_for(world.lead)
    data = {
        "kind": "publication",
        "description": "Paper",
        "realised_on": "2026-05-01",
        f"share_{world.trust.pk}": "50",
        f"share_{world.company.pk}": "30",
    }
    response = client.post("/p/scan-triage/value/benefits/new/", data)
    assert response.status_code == 200 and "they must add up to 100%" in response.content.decode()
    data[f"share_{world.company.pk}"] = "50"
    assert client.post("/p/scan-triage/value/benefits/new/", data).status_code == 302
    assert Benefit.objects.get().shares.count() == 2


def test_coalition_values_through_the_page_and_the_fairness_view(world, client_for):
    client = client_for(world.lead)
    page = client.get("/p/scan-triage/value/fairness/coalitions/").content.decode()
    check_structure(page, "coalitions")
    assert "Value of Northgate NHS Trust + Brightscan AI" in page
    response = client.post(
        "/p/scan-triage/value/fairness/coalitions/",
        {"basis": "Five-year value", "unit": "£k", "c0": "15", "c1": "40", "c2": "180"},
    )
    assert response.status_code == 302
    assert CoalitionValues.objects.get().values == {
        "brightscan": "15",
        "northgate": "40",
        "northgate+brightscan": "180",
    }
    fairness = client.get("/p/scan-triage/value/fairness/").content.decode()
    check_structure(fairness, "fairness")
    assert "102.5" in fairness and "77.5" in fairness
    assert "add up to the value of all parties together, 180" in fairness
