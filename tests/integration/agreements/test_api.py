"""The agreements API: a negotiation from first draft to signature, as JSON."""

import io
import json

import pypdf
import pytest
from docx import Document as WordDocument

from tests import factories
from tests.integration.agreements.helpers import dsa_clauses, mou_clauses, signatories, signed

BASE = "/api/v1/partnerships/scan-triage/agreements"


def call(client, method, path, body=None):
    return client.generic(
        method, path, json.dumps(body) if body is not None else "", content_type="application/json"
    )


def test_from_first_draft_to_signature_through_the_api(world, client_for):
    signatories(world)
    lead, partner = client_for(world.lead), client_for(world.partner_admin)
    created = call(lead, "POST", BASE, {"kind": "mou", "title": "API MoU"})
    assert created.status_code == 201
    body = created.json()
    url = f"{BASE}/{body['id']}"
    assert body["version"]["status"] == "draft" and not body["completeness"]["complete"]
    assert {g["topic"] for g in body["completeness"]["missing"]} >= {"objectives", "sops"}
    for key, parameters in mou_clauses("northgate").items():
        response = call(lead, "POST", f"{url}/clauses", {"clause": key, "parameters": parameters})
        assert response.status_code == 201, response.content
    assert response.json()["completeness"]["complete"]
    assert call(lead, "POST", f"{url}/negotiate").json()["version"]["status"] == "negotiating"

    proposed = call(
        partner,
        "POST",
        f"{url}/proposals",
        {"family": "term-exit", "parameters": {"term": "48 months"}, "comment": "Four years."},
    )
    assert proposed.status_code == 201
    proposal = proposed.json()
    assert proposal["waiting_on"] == ["northgate"] and proposal["organisation"] == "brightscan"
    assert "24 months → 48 months" in proposal["summary"]
    refused = call(lead, "POST", f"{url}/send")
    assert refused.status_code == 409 and "still open" in refused.json()["detail"]

    countered = call(
        lead,
        "POST",
        f"{url}/proposals/{proposal['id']}/counter",
        {"parameters": {"term": "36 months"}, "comment": "Three years, then review."},
    )
    assert countered.status_code == 201 and countered.json()["round"] == 2
    counter_id = countered.json()["id"]
    accepted = call(partner, "POST", f"{url}/proposals/{counter_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    sent = call(partner, "POST", f"{url}/send")
    assert sent.status_code == 200 and sent.json()["version"]["status"] == "signing"
    wrong = call(lead, "POST", f"{url}/sign", {"password": "guess"})
    assert wrong.status_code == 422 and wrong.json()["errors"]["password"]
    assert call(lead, "POST", f"{url}/sign", {"password": factories.PASSWORD}).status_code == 200
    final = call(partner, "POST", f"{url}/sign", {"password": factories.PASSWORD}).json()
    assert final["version"]["status"] == "signed" and len(final["version"]["sha256"]) == 64
    assert [s["signed_by"] for s in final["signatures"]] == ["Lee Lead", "Ada Admin"]
    assert final["analytics"]["rounds"] == 2
    term = next(c for c in final["clauses"] if c["family"] == "term-exit")
    assert term["parameters"]["term"] == {"value": 36, "unit": "months"}
    assert term["parameters_in_words"]["term"] == "36 months"

    listed = call(lead, "GET", BASE).json()
    assert listed[0]["sha256"] == final["version"]["sha256"] and listed[0]["signed_version"] == 1


def test_exports_through_the_api(world, client_for):
    agreement = signed(world)
    client = client_for(world.observer)
    url = f"{BASE}/{agreement.pk}/versions/1/export"
    word = client.get(url, {"format": "docx"})
    assert (
        word.status_code == 200
        and 'filename="scan-triage-mou-v1.docx"' in word["Content-Disposition"]
    )
    assert WordDocument(io.BytesIO(word.content)).paragraphs[0].text == "Scan triage MoU"
    pdf = client.get(url, {"format": "pdf"})
    assert "Scan triage MoU" in pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    md = client.get(url)
    assert md["Content-Type"].startswith("text/markdown") and b"# Scan triage MoU" in md.content
    bad = client.get(url, {"format": "odt"})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"


def test_diff_and_amendment_through_the_api(world, client_for):
    agreement = signed(world)
    lead = client_for(world.lead)
    url = f"{BASE}/{agreement.pk}"
    assert call(lead, "GET", f"{url}/versions/1/diff").status_code == 409
    amended = call(lead, "POST", f"{url}/amendments", {"reason": "Extend."})
    assert amended.status_code == 201 and amended.json()["version"]["amends"] == 1
    proposal = call(
        lead,
        "POST",
        f"{url}/proposals",
        {"family": "term-exit", "parameters": {"term": "36 months"}, "comment": "Extend."},
    ).json()
    call(client_for(world.partner_admin), "POST", f"{url}/proposals/{proposal['id']}/accept")
    diff = call(lead, "GET", f"{url}/versions/2/diff").json()
    changed = [c for c in diff["clauses"] if c["change"] == "changed"]
    assert [c["family"] for c in changed] == ["term-exit"]
    assert changed[0]["parameters"] == [
        {"name": "term", "label": "Lasts for", "before": "24 months", "after": "36 months"}
    ]
    assert "+8.1" in diff["unified"]


def test_data_use_terms_and_obligations_as_json(world, client_for):
    mou = signed(world)
    dsa = signed(
        world, kind="data_sharing", clauses=dsa_clauses("northgate", ["brightscan"]), title="DSA"
    )
    client = client_for(world.observer)
    not_dsa = client.get(f"{BASE}/{mou.pk}/terms")
    assert not_dsa.status_code == 409
    terms = client.get(f"{BASE}/{dsa.pk}/terms").json()
    assert terms["recipients"] == ["brightscan"] and terms["expires_on"] == "2028-12-31"
    assert {m["code"] for m in terms["modifiers"]} == {"GS", "IRB", "PUB", "RTN"}
    in_force = client.get("/api/v1/partnerships/scan-triage/data-use-terms").json()
    assert [t["agreement_id"] for t in in_force] == [dsa.pk]
    obligations = client.get("/api/v1/partnerships/scan-triage/obligations").json()
    assert {o["owner"] for o in obligations} == {"brightscan"}
    first = obligations[0]
    met = call(
        client_for(world.partner_admin),
        "POST",
        f"/api/v1/partnerships/scan-triage/obligations/{first['id']}/met",
        {"note": "Done."},
    )
    assert met.status_code == 200 and met.json()["state"] == "met"


def test_library_through_the_api(world, client_for):
    clauses = client_for(world.lead).get("/api/v1/clauses", {"topic": "ip"}).json()
    assert {c["key"] for c in clauses} >= {"ip-joint", "ip-publication"}
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    response = call(
        client_for(admin),
        "POST",
        "/api/v1/clauses",
        {
            "key": "ip-open-source",
            "family": "ip-ownership",
            "topic": "ip",
            "title": "Intellectual property",
            "alternative": "Released as open source",
            "parameters": [{"name": "licence", "type": "text", "label": "Licence"}],
            "text": "Foreground software is released under {{ licence }}.",
        },
    )
    assert response.status_code == 201 and response.json()["versions"][0]["number"] == 1
    bad = call(
        client_for(admin),
        "POST",
        "/api/v1/clauses/ip-open-source/versions",
        {"text": "{{ nothing }}"},
    )
    assert bad.status_code == 422 and "text" in bad.json()["errors"]


@pytest.mark.parametrize("organisation", ["northgate", None])
def test_portfolio_through_the_api(world, client_for, organisation):
    signed(world)
    params = {"organisation": organisation} if organisation else {}
    body = client_for(world.lead).get("/api/v1/agreements/portfolio", params).json()
    assert body["organisation"] == "northgate" and body["signed"] == 1
    other = client_for(world.outsider).get(
        "/api/v1/agreements/portfolio", {"organisation": "northgate"}
    )
    assert other.status_code == 404
