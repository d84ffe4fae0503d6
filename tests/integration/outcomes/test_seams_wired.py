"""The seams, wired: the agreements app provides the agreed benefit shares the value page
reads and the recognition of clauses negotiated and agreements signed, from agreements built
through its services. (The data and consent apps: tests/integration/data/test_seams_wired.py.)"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepact.agreements import services as agreements
from carepact.agreements.services.drafting import ordered_clauses
from carepact.agreements.services.library import ensure_starter_library
from carepact.core.indicators import Reading
from carepact.outcomes import recognition, seams
from carepact.value import services as value
from tests import factories
from tests.integration.agreements.helpers import atomic, draft, mou_clauses, signatories, signed

REVENUE = "benefit-sharing-revenue"


def with_revenue_share(world, share: str) -> dict:
    clauses = mou_clauses(world.trust.slug)
    clauses[REVENUE] = {"nhs_party": world.trust.slug, "share": share}
    return clauses


# -- value.agreed_benefit_shares (agreements) ------------------------------------------------


def test_the_fairness_view_uses_the_signed_agreements_benefit_shares(world, client_for):
    atomic(ensure_starter_library)
    unsigned = draft(world, clauses=with_revenue_share(world, "30"), title="Draft MoU")
    assert not value.fairness_view(world.partnership).agreed.measured  # a draft sets nothing
    assert unsigned.versions.get().status == "draft"

    made = signed(world, clauses=with_revenue_share(world, "15"), title="Scan triage MoU")
    version = made.versions.get()
    view = value.fairness_view(world.partnership)
    assert view.agreed.measured and view.agreed_problem == ""
    assert view.agreed.value == {"northgate": 0.15, "brightscan": 0.85}
    numbers = [c.pk for c in ordered_clauses(version)]
    clause = version.clauses.get(family="benefit-sharing")
    day = version.signed_at.date()
    assert view.agreed.detail == (
        f"from clause {numbers.index(clause.pk) + 1} (benefit sharing) of “Scan triage MoU” "
        f"version 1, signed {day.day} {day:%b %Y}"
    )

    atomic(  # so the fairness page has a currency to show the agreed share in
        value.record_benefit,
        world.lead,
        world.partnership,
        kind="nhs_milestone",
        description="Milestone paid to the trust",
        amount="1000",
        currency="GBP",
        valuation_method="As invoiced.",
        realised_on=day,
        shares={world.trust: 100},
    )
    page = client_for(world.lead).get("/p/scan-triage/value/fairness/").content.decode()
    assert "of “Scan triage MoU” version 1" in page or "of &ldquo;Scan triage MoU" in page
    assert "not yet recorded" not in page
    assert "85%" in page and "15%" in page and "against agreed" in page


def test_benefits_in_kind_set_no_shares(world):
    atomic(ensure_starter_library)
    clauses = mou_clauses(world.trust.slug)
    clauses["benefit-sharing-in-kind"] = {
        "nhs_party": world.trust.slug,
        "free_use": "3 years",
        "discount": "40",
    }
    signed(world, clauses=clauses)
    reading = seams.read("value.agreed_benefit_shares", world.partnership)
    assert not reading.measured and reading.value is None
    assert value.fairness_view(world.partnership).agreed.detail == "not yet recorded"


# -- recognition (agreements) ----------------------------------------------------------------


def propose_a_share(world, title: str, share: str, *, answer: str, comment: str = ""):
    """A draft with a 10% revenue share; the company asks for ``share``; the trust answers."""
    made = draft(world, clauses=with_revenue_share(world, "10"), title=title)
    atomic(agreements.open_negotiation, world.lead, made)
    asked = atomic(
        agreements.propose,
        world.partner_admin,
        made,
        family="benefit-sharing",
        parameters={"share": share},
        comment=comment,
    )
    atomic(agreements.respond, world.lead, asked, answer=answer, comment="Answered.")
    return made


def negotiate_the_share(world):
    """The company asks for a different share, the trust accepts, both sign."""
    atomic(ensure_starter_library)
    return propose_a_share(
        world,
        "Scan triage MoU",
        "12.5",
        answer="accept",
        comment="Twelve and a half per cent is what our investors can carry.",
    )


def test_a_person_is_credited_with_the_clause_they_negotiated(world, client_for):
    made = negotiate_the_share(world)
    assert recognition.awaited_kinds() == []

    theirs = recognition.profile(world.lead, world.partner_admin)[1]
    negotiated = [c for c in theirs if c.kind == "clause_negotiated"]
    assert [c.label for c in negotiated] == [
        "Proposed a change to benefit sharing in “Scan triage MoU” for Brightscan AI"
    ]
    assert negotiated[0].kind_label == "Clauses negotiated"
    assert negotiated[0].partnership_id == world.partnership.pk
    mine = [c.label for c in recognition.profile(world.lead, world.lead)[1]]
    assert (
        "Accepted Brightscan AI's proposal on benefit sharing in “Scan triage MoU” for "
        "Northgate NHS Trust"
    ) in mine

    page = client_for(world.lead).get(f"/people/{world.partner_admin.pk}/contributions/")
    body = page.content.decode()
    assert "Proposed a change to benefit sharing" in body
    assert "not yet recorded here" not in body
    rows = {person: counts for person, counts, _ in recognition.by_person(world.partnership)}
    assert rows[world.partner_admin]["Clauses negotiated"] == 1
    assert rows[world.lead]["Clauses negotiated"] == 1
    recognition_page = client_for(world.lead).get("/p/scan-triage/recognition/")
    assert "not yet recorded here" not in recognition_page.content.decode()

    # Signing credits the signatories, and the accepted share is the one in force.
    signatories(world)
    atomic(agreements.send_for_signature, world.lead, made)
    atomic(agreements.sign, world.lead, made, password=factories.PASSWORD)
    atomic(agreements.sign, world.partner_admin, made, password=factories.PASSWORD)
    signatures = [
        c for c in recognition.profile(world.lead, world.lead)[1] if c.kind == "agreement_signed"
    ]
    assert [c.label for c in signatures] == [
        "Signed version 1 of “Scan triage MoU” for Northgate NHS Trust"
    ]
    assert signatures[0].kind_label == "Agreements signed"
    assert value.fairness_view(world.partnership).agreed.value == {
        "northgate": 0.125,
        "brightscan": 0.875,
    }


def test_recognition_queries_do_not_grow_with_people_or_clauses(world, client_for):
    negotiate_the_share(world)
    client = client_for(world.lead)
    urls = ["/p/scan-triage/recognition/", f"/people/{world.partner_admin.pk}/contributions/"]
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as counted:
            assert client.get(url).status_code == 200
        small[url] = len(counted)
    for n in range(3):  # more people, more agreements, more proposals and answers
        factories.member(world.company, email=f"extra{n}@brightscan.example")
        propose_a_share(world, f"Addendum {n}", "11", answer="reject", comment="One more.")
    for url in urls:
        with CaptureQueriesContext(connection) as counted:
            assert client.get(url).status_code == 200
        assert len(counted) == small[url], f"{url}: {small[url]} queries became {len(counted)}"


def test_a_registered_provider_still_wins_over_a_declared_one(world):
    seams.register("public.patient_page", lambda p: Reading("/elsewhere/"))
    try:
        assert seams.read("public.patient_page", world.partnership).value == "/elsewhere/"
    finally:
        seams.unregister("public.patient_page")
    assert seams.read("public.patient_page", world.partnership).value == "/patient/"
