"""Record a meeting with a decision and an action, and see the portfolio pick it up."""

from datetime import timedelta

from playwright.sync_api import expect

from carepact.accounts.models import OrganisationKind
from carepact.core import clock
from carepact.partnerships.models import Party, Role
from tests import factories
from tests.e2e.conftest import shot, sign_in


def test_meeting_decision_action_and_the_portfolio(transactional_db, open_page):
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
    p = factories.PartnershipFactory(title="Stroke imaging network", slug="stroke")
    factories.PartyFactory(partnership=p, organisation=trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=p, organisation=company)
    factories.RoleFactory(partnership=p, person=tess, organisation=trust, role=Role.LEAD)
    factories.RoleFactory(partnership=p, person=dana, organisation=company, role=Role.MEMBER)

    page = open_page()
    sign_in(page, "tess@westbrook.example", factories.PASSWORD)
    page.goto("/organisations/westbrook/portfolio/")
    expect(page.get_by_role("table")).to_contain_text("no signals")

    page.goto("/p/stroke/governance/bodies/")
    page.get_by_label("Name").fill("Joint board")
    page.get_by_role("button", name="Set up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint board")

    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_label("Title").fill("Kick-off board")
    yesterday = clock.now().date() - timedelta(days=1)
    page.get_by_label("Held on").fill(yesterday.isoformat())
    page.get_by_label("Agenda item 1:", exact=True).fill("Go-live date")
    page.get_by_label("Agenda item 1 proposed by").select_option(label="Clearview Diagnostics")
    page.get_by_label("Tess Lead — Westbrook NHS Trust").check()
    page.get_by_label("Dana Admin — Clearview Diagnostics").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kick-off board")
    expect(page.get_by_text("put forward by Clearview Diagnostics")).to_be_visible()

    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("What was decided").fill("Go live on the first of the month")
    page.get_by_label("At meeting").select_option(index=1)
    page.get_by_label("Proposed by").select_option(label="Dana Admin — Clearview Diagnostics")
    page.get_by_label("Decided on").fill(yesterday.isoformat())
    page.get_by_label("Westbrook NHS Trust: position").select_option("against")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".error-summary")).to_contain_text("record its reason")
    page.get_by_label("Westbrook NHS Trust: reason or note").fill("The safety case is not signed.")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("The decision is on the record.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("The safety case is not signed.")
    shot(page, "governance-decisions")

    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_label("What is to be done").fill("Sign the clinical safety case")
    page.get_by_label("Owner").select_option(label="Dana Admin — Clearview Diagnostics")
    page.get_by_label("Due on").fill((yesterday - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("table")).to_contain_text("overdue")

    page.goto("/organisations/westbrook/portfolio/")
    table = page.get_by_role("table")
    expect(table).to_contain_text("1 overdue action(s)")
    expect(table).to_contain_text("watch")
    shot(page, "portfolio")
