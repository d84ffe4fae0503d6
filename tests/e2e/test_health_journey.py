"""A lead opens a health check; three people from two parties answer through their e-mailed
links (one on a phone-sized screen, screen by screen); the lead closes it and reads results
that show the trust's scores and hold back the company's single answer."""

import re

from django.core import mail
from django.db import transaction
from playwright.sync_api import expect

from carepact.accounts.models import Level, OrganisationKind
from carepact.health import services
from carepact.health.models import Response, Round
from carepact.partnerships.models import Party, Role
from tests import factories
from tests.e2e.conftest import shot, sign_in


def link_for(email: str) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    return re.search(r"(/health/respond/\S+/)", message.body).group(1)


def test_health_check_from_opening_to_results(transactional_db, open_page, live_server):
    trust = factories.OrganisationFactory(name="Westbrook NHS Trust", slug="westbrook")
    company = factories.OrganisationFactory(
        name="Clearview Diagnostics", slug="clearview", kind=OrganisationKind.HEALTH_TECH
    )
    partnership = factories.PartnershipFactory(title="Stroke imaging network", slug="stroke")
    factories.PartyFactory(partnership=partnership, organisation=trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=partnership, organisation=company)
    lead = factories.member(
        trust, admin=True, email="tess@westbrook.example", full_name="Tess Lead"
    )
    factories.RoleFactory(partnership=partnership, person=lead, organisation=trust, role=Role.LEAD)
    for i in range(4):
        factories.member(trust, email=f"nurse{i}@westbrook.example", level=Level.CLINICIAN)
    factories.member(company, admin=True, email="dana@clearview.example", full_name="Dana Admin")
    factories.member(company, email="eli@clearview.example", level=Level.SPECIALIST)

    page = open_page()
    sign_in(page, "tess@westbrook.example", factories.PASSWORD)
    page.goto("/p/stroke/health/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership health")
    page.get_by_role("link", name="Open a health check").click()
    page.get_by_label("Full health check").check()
    page.get_by_role("button", name="Open and send the invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health check 1")
    expect(page.get_by_text("is open: everyone in every party has their own link")).to_be_visible()
    shot(page, "health-01-round-open")
    assert len(mail.outbox) == 7

    # 1. The lead answers on one page, from the link in her e-mail (no password needed).
    own = open_page()
    own.goto(link_for("tess@westbrook.example"))
    expect(own.get_by_text("answering as Westbrook NHS Trust")).to_be_visible()
    own.get_by_role("link", name="or answer everything on one page").click()
    for legend in (
        "The partners agree on what this partnership is for.",
        "Our objectives are specific enough that we will know whether we met them, and each "
        "one has owners in more than one organisation.",
        "I know who is responsible for what in this partnership.",
    ):
        own.get_by_role("group", name=legend).get_by_label("Agree", exact=True).check()
    own.get_by_role("group", name="Westbrook NHS Trust (your own organisation)").get_by_label(
        "A fair amount"
    ).check()
    own.get_by_label("What is working best in this partnership?").fill("Shared on-call rota.")
    own.get_by_role("button", name="Save and check").click()
    expect(own.get_by_role("heading", level=1)).to_have_text("Check and send your answers")
    own.get_by_role("button", name="Send my answers").click()
    expect(own.get_by_role("heading", level=1)).to_contain_text("Thank you")

    # 2. The company's administrator answers on a phone, one factor per screen.
    phone = open_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(link_for("dana@clearview.example"))
    phone.get_by_role("link", name="Start").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("1 of 15: Shared vision")
    phone.get_by_role(
        "group", name="The partners agree on what this partnership is for."
    ).get_by_label("Disagree", exact=True).check()
    shot(phone, "health-02-phone-screen")
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("2 of 15: Trust and openness")
    about_trust = phone.locator(".question-group", has_text="About Westbrook NHS Trust")
    about_trust.get_by_role(
        "group", name="This organisation does what it says it will do for the partnership."
    ).get_by_label("Strongly disagree").check()
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("3 of 15")
    phone.get_by_role("link", name="Check and send").click()
    expect(phone.locator("tbody tr").first).to_contain_text("1 of 3")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Thank you")

    # 3. A nurse answers two screens; the link then stops working once it is sent.
    nurse = open_page()
    nurse_link = link_for("nurse0@westbrook.example")
    nurse.goto(nurse_link + "C1/")
    nurse.get_by_role(
        "group", name="The partners agree on what this partnership is for."
    ).get_by_label("Strongly agree").check()
    nurse.get_by_role("group", name=re.compile("^Leaders, managers and specialists")).get_by_label(
        "Neither agree nor disagree"
    ).check()
    nurse.get_by_role("button", name="Save and continue").click()
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("2 of 15")
    nurse.goto(nurse_link + "review/")
    nurse.get_by_role("button", name="Send my answers").click()
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Thank you")
    nurse.goto(nurse_link)
    expect(nurse.get_by_role("heading", level=1)).to_have_text("Not found")

    # Three more nurses answer (through the same service the pages use), so that the trust
    # has five answers and its figures can be shown; the company stays at one.
    found = Round.objects.get()
    for invitation in found.invitations.filter(person__email__startswith="nurse").exclude(
        person__email="nurse0@westbrook.example"
    )[:3]:
        with transaction.atomic():
            services.save_answers(invitation, step="C1", answers={"C1.1": "4", "C1.2": "4"})
            services.submit_response(invitation)
    assert Response.objects.filter(submitted=True).count() == 6

    page.reload()
    rates = page.locator("table.participation")
    expect(rates.locator("tfoot")).to_contain_text("6")
    expect(page.get_by_text("Results are not shown while the round is open")).to_be_visible()
    page.get_by_role("button", name="Close and see the results").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Health check 1: results")
    expect(page.get_by_text("Clearview Diagnostics: 1 response, fewer than 5")).to_be_visible()
    scores = page.locator("table.scores")
    expect(scores.locator("thead")).to_contain_text("Westbrook NHS Trust")
    expect(scores.locator("thead")).not_to_contain_text("Clearview Diagnostics")
    c1 = scores.locator("tbody tr").first
    expect(c1).to_contain_text("C1 Shared vision and goals")
    expect(c1.locator(".score").first).to_have_text(re.compile(r"^[1-5]\.\d\d$"))  # five answered
    expect(page.locator("#health-profile .main-svg").first).to_be_attached()
    expect(page.locator("#health-heatmap .main-svg").first).to_be_attached()
    expect(page.get_by_text("Shared on-call rota.")).to_have_count(0)  # one comment: held back
    shot(page, "health-03-results")
    csv_link = page.get_by_role("link", name="Download the figures (CSV)")
    expect(csv_link).to_be_visible()
    expect(csv_link).to_have_attribute("href", re.compile(r"/health/rounds/1/results\.csv$"))
