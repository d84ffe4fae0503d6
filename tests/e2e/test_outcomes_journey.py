"""Add a shared objective (refused with one party, accepted with two), define a patient
outcome KPI, record values, see the chart and the status, publish the public page with the
other party's opt-in, and read it signed out."""

from datetime import date

from playwright.sync_api import expect

from carepact.accounts.models import OrganisationKind
from carepact.partnerships.models import Party, Role
from tests import factories
from tests.e2e.conftest import shot, sign_in, sign_out


def months_back(n: int) -> date:
    today = date.today()
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def test_objective_kpi_measurements_and_public_page(transactional_db, open_page, browser):
    trust = factories.OrganisationFactory(name="Westbrook NHS Trust", slug="westbrook")
    company = factories.OrganisationFactory(
        name="Clearview Diagnostics", slug="clearview", kind=OrganisationKind.HEALTH_TECH
    )
    tess = factories.member(
        trust, admin=True, email="tess@westbrook.example", full_name="Tess Lead"
    )
    dana = factories.member(
        company, admin=True, email="dana@clearview.example", full_name="Dana Admin"
    )
    partnership = factories.PartnershipFactory(
        title="Stroke imaging network",
        slug="stroke-imaging-network",
        purpose="Faster stroke treatment across the region.",
    )
    factories.PartyFactory(partnership=partnership, organisation=trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=partnership, organisation=company)
    factories.RoleFactory(partnership=partnership, person=tess, organisation=trust, role=Role.LEAD)
    factories.RoleFactory(
        partnership=partnership, person=dana, organisation=company, role=Role.MEMBER
    )

    page = open_page()
    sign_in(page, "tess@westbrook.example", factories.PASSWORD)
    page.get_by_role("link", name="Stroke imaging network").click()
    page.get_by_role("link", name="Outcomes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objectives and outcomes")
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("Title").fill("Treat stroke patients sooner")
    page.get_by_label("Tess Lead — Westbrook NHS Trust").check()
    page.get_by_role("button", name="Add the objective").click()
    expect(page.locator(".error-summary")).to_contain_text("add an owner from another party")
    shot(page, "outcomes-01-one-party-refused")

    page.get_by_label("Dana Admin — Clearview Diagnostics").check()
    page.get_by_role("button", name="Add the objective").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treat stroke patients sooner")
    expect(page.get_by_text("Jointly accountable")).to_be_visible()

    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("Name").fill("Minutes from arrival to thrombolysis")
    page.get_by_label("Type").select_option("patient_outcome")
    page.get_by_label("Unit").fill("minutes")
    page.get_by_label("Direction").select_option("decrease")
    page.get_by_label("Baseline:", exact=True).fill("60")
    page.get_by_label("Baseline date").fill(months_back(3).isoformat())
    page.get_by_label("Target:", exact=True).fill("30")
    page.get_by_label("Target date").fill(months_back(-9).isoformat())
    page.get_by_label("Data source").fill("Sentinel Stroke National Audit Programme")
    page.get_by_label("Method").fill("Median door-to-needle time of patients thrombolysed.")
    page.get_by_role("button", name="Add the KPI").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Minutes from arrival to thrombolysis"
    )

    for months, value in ((3, "58"), (2, "52"), (1, "47")):
        page.get_by_label("Period").fill(f"{months_back(months):%Y-%m}")
        page.get_by_label("Value:", exact=True).fill(value)
        page.get_by_label("Number of people").fill("40")
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(f"Recorded {months_back(months):%b %Y}")
    expect(page.locator(".status-box")).to_contain_text("On track")
    expect(page.locator("#kpi-chart .main-svg").first).to_be_attached()
    expect(page.locator("#kpi-chart .scatterlayer .trace")).to_have_count(2)
    shot(page, "outcomes-02-kpi-chart-and-status")

    page.get_by_role("link", name="Public page").click()
    page.get_by_label("What the partnership does, in plain words").fill(
        "Westbrook and Clearview use brain scans to treat stroke patients sooner."
    )
    page.get_by_label("Value returned to show").select_option("totals")
    page.get_by_role("button", name="Save the page").click()
    expect(page.locator(".messages")).to_contain_text("Every party must now opt in")
    page.get_by_role("button", name="Opt in for Westbrook NHS Trust").click()
    expect(page.locator(".messages")).to_contain_text("Waiting for: Clearview Diagnostics")
    anonymous = browser.new_context(base_url=page.url.split("/p/")[0])
    assert anonymous.new_page().goto("/public/stroke-imaging-network/").status == 404
    sign_out(page)

    other = open_page()
    sign_in(other, "dana@clearview.example", factories.PASSWORD)
    other.goto("/p/stroke-imaging-network/publication/")
    other.get_by_role("button", name="Opt in for Clearview Diagnostics").click()
    expect(other.locator(".messages")).to_contain_text("the public page is published")
    shot(other, "outcomes-03-published")
    sign_out(other)

    public = anonymous.new_page()
    response = public.goto("/public/stroke-imaging-network/")
    assert response.status == 200
    expect(public.get_by_role("heading", level=1)).to_have_text("Stroke imaging network")
    expect(public.get_by_text("use brain scans to treat stroke patients sooner")).to_be_visible()
    expect(
        public.get_by_role("heading", name="Minutes from arrival to thrombolysis")
    ).to_be_visible()
    expect(public.locator(".public-kpi .main-svg").first).to_be_attached()
    expect(public.get_by_role("button", name="Sign out")).to_have_count(0)
    shot(public, "outcomes-04-public-page-signed-out")
    anonymous.close()
