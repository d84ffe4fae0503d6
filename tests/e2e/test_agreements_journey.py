"""Two people from two organisations negotiate one clause of an MoU, agree it, and both sign."""

import re

from django.db import transaction
from playwright.sync_api import expect

from carepact.accounts.models import OrganisationKind
from carepact.agreements import services
from carepact.agreements.models import Agreement
from carepact.agreements.services.library import ensure_starter_library
from carepact.partnerships.models import Party, Role
from tests import factories
from tests.e2e.conftest import shot, sign_in, sign_out
from tests.integration.agreements.helpers import mou_clauses


def _setting():
    ensure_starter_library()  # transactional tests flush the data migrations' rows
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
    partnership = factories.PartnershipFactory(title="Stroke imaging", slug="stroke-imaging")
    factories.PartyFactory(partnership=partnership, organisation=trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=partnership, organisation=company)
    for person, org, roles in (
        (tess, trust, (Role.LEAD, Role.SIGNATORY)),
        (dana, company, (Role.MEMBER, Role.SIGNATORY)),
    ):
        for role in roles:
            factories.RoleFactory(
                partnership=partnership, person=person, organisation=org, role=role
            )
    with transaction.atomic():
        agreement = services.create_agreement(
            tess, partnership, kind="mou", title="Stroke imaging MoU"
        )
        for key, parameters in mou_clauses("westbrook").items():
            services.add_clause(tess, agreement, clause_key=key, parameters=parameters)
        services.open_negotiation(tess, agreement)
    return agreement


def test_two_organisations_negotiate_a_clause_agree_and_sign(transactional_db, open_page):
    agreement = _setting()
    url = f"/p/stroke-imaging/agreements/{agreement.pk}/"

    # Dana, for the company, proposes a longer term.
    dana = open_page()
    sign_in(dana, "dana@clearview.example", factories.PASSWORD)
    dana.get_by_role("link", name="Stroke imaging").click()
    dana.get_by_role("navigation", name="Stroke imaging").get_by_role(
        "link", name="Agreements"
    ).click()
    dana.get_by_role("link", name="Stroke imaging MoU").click()
    expect(dana.get_by_role("heading", level=1)).to_have_text("Stroke imaging MoU")
    expect(dana.locator(".next-step")).to_contain_text("Every required topic is covered")
    dana.get_by_role("link", name=re.compile("^Change of clause 8")).click()
    expect(dana.get_by_role("heading", level=1)).to_have_text("8. Term, review and exit")
    dana.get_by_label("Lasts for").fill("48 months")
    dana.get_by_label("Comment for the other parties").fill(
        "The evaluation of outcomes at one year needs the pilot to run for four years."
    )
    dana.get_by_role("button", name="Send the proposal").click()
    expect(dana.get_by_text("Your proposal is sent")).to_be_visible()
    point = dana.locator("#open-points")
    expect(point).to_contain_text("Waiting on: Westbrook NHS Trust")
    expect(point).to_contain_text("48 months")
    shot(dana, "agreements-01-proposal")
    sign_out(dana)

    # Tess, for the trust, counters with three years.
    tess = open_page()
    sign_in(tess, "tess@westbrook.example", factories.PASSWORD)
    tess.goto(url)
    expect(tess.locator(".next-step")).to_contain_text("1 proposal is still open")
    expect(tess.get_by_role("button", name="Send for signature")).to_have_count(0)
    tess.get_by_role("link", name="Counter with your own proposal").click()
    tess.get_by_label("Lasts for").fill("36 months")
    tess.get_by_label("Comment for the other parties").fill(
        "Three years, with a review at eighteen months."
    )
    tess.get_by_role("button", name="Send the counter-proposal").click()
    expect(tess.locator("#open-points")).to_contain_text("Waiting on: Clearview Diagnostics")
    expect(tess.locator("#open-points")).to_contain_text("round 2")
    shot(tess, "agreements-02-counter")
    sign_out(tess)

    # Dana accepts the counter-proposal; the clause changes.
    sign_in(dana, "dana@clearview.example", factories.PASSWORD)
    dana.goto(url)
    dana.get_by_label("Comment (optional)").fill("Agreed: three years.")
    dana.get_by_role("button", name=re.compile("^Accept")).click()
    expect(dana.get_by_text("Every party has accepted: the clause is changed.")).to_be_visible()
    expect(dana.locator("#clauses")).to_contain_text("lasts for 36 months")
    dana.get_by_role("button", name="Send for signature").click()
    expect(dana.get_by_text("The agreement is out for signature")).to_be_visible()
    dana.get_by_role("link", name="Sign for Clearview Diagnostics").click()
    dana.get_by_label("I have read this version").check()
    dana.get_by_label("Your password").fill("not my password")
    dana.get_by_role("button", name="Sign for Clearview Diagnostics").click()
    expect(dana.locator(".error-summary")).to_contain_text("password is not correct")
    dana.get_by_label("I have read this version").check()
    dana.get_by_label("Your password").fill(factories.PASSWORD)
    dana.get_by_role("button", name="Sign for Clearview Diagnostics").click()
    expect(dana.get_by_text("Waiting for the other parties' signatories")).to_be_visible()
    shot(dana, "agreements-03-first-signature")
    sign_out(dana)

    # Tess signs last: the version is frozen and its hash shown.
    sign_in(tess, "tess@westbrook.example", factories.PASSWORD)
    tess.goto(url)
    tess.get_by_role("link", name="Sign for Westbrook NHS Trust").click()
    expect(tess.get_by_role("heading", level=1)).to_contain_text("Sign version 1")
    tess.get_by_label("I have read this version").check()
    tess.get_by_label("Your password").fill(factories.PASSWORD)
    tess.get_by_role("button", name="Sign for Westbrook NHS Trust").click()
    expect(tess.get_by_text("Every party has now signed")).to_be_visible()
    version = Agreement.objects.get().versions.get()
    assert version.status == "signed" and len(version.hash) == 64
    expect(tess.locator(".message-success").last).to_contain_text(version.hash)
    signatures = tess.locator("#signatures")
    expect(signatures).to_contain_text("Tess Lead")
    expect(signatures).to_contain_text("Dana Admin")
    shot(tess, "agreements-04-signed")

    with tess.expect_download() as download:
        tess.get_by_role("link", name=re.compile("^PDF")).first.click()
    assert download.value.suggested_filename == "stroke-imaging-mou-v1.pdf"
    assert services.verify(Agreement.objects.get(), version).ok
