"""The agreement pages: forms that work without JavaScript, structure, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepact.agreements import services
from carepact.agreements.models import Agreement, Proposal
from tests import factories
from tests.integration.agreements.helpers import atomic, draft, mou_clauses, signatories
from tests.integration.test_pages import check_structure

P = "/p/scan-triage/agreements"


def test_start_a_draft_from_the_list_page(world, client_for):
    client = client_for(world.lead)
    response = client.post(
        f"{P}/",
        {
            "kind": "mou",
            "title": "Our MoU",
            "parties": ["northgate", "brightscan"],
            "starter_clauses": "on",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{P}/{agreement.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Project plan and milestones" in page and "Parameters to fill in" in page


def test_a_negotiation_on_the_pages(world, client_for):
    agreement = draft(world, clauses={"term-exit": mou_clauses("x")["term-exit"]})
    atomic(services.open_negotiation, world.lead, agreement)
    partner, lead = client_for(world.partner_admin), client_for(world.lead)
    clause_url = f"{P}/{agreement.pk}/clauses/term-exit/"
    form = partner.get(clause_url).content.decode()
    assert "Propose a change" in form and "Comment for the other parties" in form
    missing_comment = partner.post(
        clause_url,
        {
            "starts_on": "2027-01-04",
            "term": "36 months",
            "review_every": "12 months",
            "notice": "3 months",
            "exit_data": "delete",
        },
    )
    assert missing_comment.status_code == 200 and b"error-summary" in missing_comment.content
    partner.post(
        clause_url,
        {
            "starts_on": "2027-01-04",
            "term": "36 months",
            "review_every": "12 months",
            "notice": "3 months",
            "exit_data": "delete",
            "comment": "Three years.",
        },
    )
    proposal = Proposal.objects.get()
    detail = lead.get(f"{P}/{agreement.pk}/").content.decode()
    assert "Waiting on:</strong> Northgate NHS Trust" in detail
    assert "24 months" in detail and "36 months" in detail
    response = lead.post(
        f"{P}/{agreement.pk}/proposals/{proposal.pk}/respond/", {"answer": "accept"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_the_sign_page_asks_for_the_password_again(world, client_for):
    agreement = draft(world, clauses=mou_clauses("northgate"))
    atomic(services.open_negotiation, world.lead, agreement)
    atomic(services.send_for_signature, world.lead, agreement)
    signatories(world)
    client = client_for(world.lead)
    url = f"{P}/{agreement.pk}/sign/"
    wrong = client.post(url, {"confirm": "on", "password": "wrong"})
    assert wrong.status_code == 200 and b"password is not correct" in wrong.content
    unconfirmed = client.post(url, {"password": factories.PASSWORD})
    assert b"error-summary" in unconfirmed.content
    assert not services.current_version(agreement).signatures.exists()
    done = client.post(url, {"confirm": "on", "password": factories.PASSWORD})
    assert done.status_code == 302
    assert services.current_version(agreement).signatures.count() == 1


def test_sending_an_incomplete_agreement_shows_the_reason(world, client_for):
    agreement = draft(world, clauses={"term-exit": mou_clauses("x")["term-exit"]})
    atomic(services.open_negotiation, world.lead, agreement)
    client = client_for(world.lead)
    page = client.get(f"{P}/{agreement.pk}/").content.decode()
    assert "Not ready for signature." in page and "needs a clause on each of" in page
    assert "Send for signature" not in page
    refused = client.post(f"{P}/{agreement.pk}/send/")
    assert refused.status_code == 409 and b"incomplete" in refused.content


@pytest.fixture
def admin(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    "url",
    [
        "/agreements/library/new/",
        "/agreements/library/ip-joint/versions/new/",
        "/agreements/library/ip-joint/versions/1/edit/",
    ],
)
def test_library_forms_for_administrators(admin, client_for, url):
    response = client_for(admin).get(url)
    assert response.status_code == 200
    check_structure(response.content.decode(), url)


def test_an_administrator_adds_a_version_on_the_page(admin, client_for):
    client = client_for(admin)
    response = client.post(
        "/agreements/library/ip-joint/versions/new/",
        {"parameters": "", "text": "All foreground IP is jointly owned.", "note": "Simpler."},
    )
    assert response.status_code == 302
    page = client.get("/agreements/library/ip-joint/").content.decode()
    assert "Version 2 (newest)" in page and "Simpler." in page


GROWTH = [
    ("confidentiality-mutual", {}, True),
    ("ppi-transparency", {"panel": "patients"}, False),
    ("sops-register", {"procedures": "One", "keeper": "northgate"}, True),
    ("ip-publication", {}, False),
    ("accountability-shared", {"accountable": ["northgate", "brightscan"]}, False),
]


def _grow(world, agreement, rows):
    """More clauses, each proposed by the company; some accepted, the others left open."""
    for key, parameters, accept in rows:
        proposal = atomic(
            services.add_clause,
            world.partner_admin,
            agreement,
            clause_key=key,
            parameters=parameters,
            comment="Add it.",
        )
        if accept:
            atomic(services.respond, world.lead, proposal, answer="accept")


def test_the_agreement_page_does_not_grow_queries_with_the_agreement(world, client_for):
    agreement = draft(world, clauses={"term-exit": mou_clauses("x")["term-exit"]})
    atomic(services.open_negotiation, world.lead, agreement)
    client = client_for(world.lead)
    url = f"{P}/{agreement.pk}/"
    _grow(world, agreement, GROWTH[:2])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, agreement, GROWTH[2:])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), f"{len(small)} queries became {len(large)}"
    assert len(large) <= 40


def test_the_list_page_does_not_grow_queries_with_agreements(world, client_for):
    client = client_for(world.lead)
    draft(world, clauses={"confidentiality-mutual": {}})
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{P}/").status_code == 200
    for i in range(4):
        draft(world, clauses={"confidentiality-mutual": {}}, title=f"Agreement {i}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"{P}/").status_code == 200
    assert len(large) == len(small), f"{len(small)} queries became {len(large)}"
