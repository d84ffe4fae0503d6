"""Log in, start a partnership, invite a second organisation, accept as its admin, meet the
stage gate (refused with the reason, then passed) and read the audit trail."""

import re

from playwright.sync_api import expect

from carepact.accounts.models import OrganisationKind
from carepact.partnerships.models import Partnership
from tests import factories
from tests.e2e.conftest import shot, sign_in, sign_out


def test_partnership_from_first_sign_in_to_agreeing(transactional_db, open_page):
    trust = factories.OrganisationFactory(name="Westbrook NHS Trust", slug="westbrook")
    company = factories.OrganisationFactory(
        name="Clearview Diagnostics", slug="clearview", kind=OrganisationKind.HEALTH_TECH
    )
    factories.member(trust, admin=True, email="tess@westbrook.example", full_name="Tess Lead")
    factories.member(company, admin=True, email="dana@clearview.example", full_name="Dana Admin")

    page = open_page()
    sign_in(page, "tess@westbrook.example", factories.PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships")
    shot(page, "01-dashboard-empty")

    page.get_by_role("link", name="Start a partnership").click()
    page.get_by_label("Title").fill("Stroke imaging network")
    page.get_by_label("Type of partnership").select_option(label="Hospital–health-tech")
    page.get_by_label("Shared vision").fill(
        "Every stroke patient scanned and treated within the golden hour, across the region."
    )
    page.get_by_role("button", name="Start the partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stroke imaging network")
    expect(page.locator(".stages [aria-current=step]")).to_have_text(re.compile("Scoping"))
    shot(page, "02-partnership-created")

    page.get_by_role("link", name="Invite an organisation").click()
    page.get_by_label("Organisation").select_option(label="Clearview Diagnostics")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Clearview Diagnostics is invited")).to_be_visible()
    sign_out(page)

    other = open_page()
    sign_in(other, "dana@clearview.example", factories.PASSWORD)
    other.get_by_role("link", name="Answer the invitation").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Invitation to Stroke imaging network"
    )
    shot(other, "03-invitation")
    other.get_by_role("button", name="Accept").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Stroke imaging network")
    sign_out(other)

    sign_in(page, "tess@westbrook.example", factories.PASSWORD)
    page.get_by_role("link", name="Stroke imaging network").click()
    page.get_by_role("link", name="All stage moves and history").click()
    page.get_by_label("Move to").select_option("agreeing")
    page.get_by_role("button", name="Move", exact=True).click()
    refusal = page.locator(".error-summary")
    expect(refusal).to_contain_text("cannot move to agreeing yet")
    expect(refusal).to_contain_text("No champion is named")
    shot(page, "04-gate-refused")
    assert Partnership.objects.get().stage == "scoping"

    page.goto("/p/stroke-imaging-network/roles/")
    page.get_by_label("Person").select_option(label="Dana Admin — Clearview Diagnostics (manager)")
    page.get_by_label("Role:", exact=True).select_option(label="Champion")
    page.get_by_role("button", name="Give role").click()
    expect(page.get_by_text("Dana Admin has the new role")).to_be_visible()

    page.goto("/p/stroke-imaging-network/stage/")
    page.get_by_label("Move to").select_option("agreeing")
    page.get_by_label("Note for the record").fill("Champion named, vision agreed.")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("The partnership is now agreeing.")).to_be_visible()
    expect(page.locator(".stages [aria-current=step]")).to_have_text(re.compile("Agreeing"))
    shot(page, "05-agreeing")

    page.get_by_role("link", name="The full audit trail").click()
    expect(page.get_by_text("The trail verifies")).to_be_visible()
    trail = page.locator("table tbody")
    for action in (
        "partnership.create",
        "party.invite",
        "party.accept",
        "role.assign",
        "stage.change",
    ):
        expect(trail).to_contain_text(action)
    page.get_by_label("Action").select_option("party.accept")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(trail).to_contain_text("Dana Admin accepted the invitation")
    shot(page, "06-audit")
