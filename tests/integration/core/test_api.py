"""The API's own behaviour: tokens, CSRF on sessions, problem bodies, the OpenAPI document."""

import json

from django.db import transaction
from django.test import Client

from carepact.accounts import services as accounts


def token_for(user) -> str:
    with transaction.atomic():
        return accounts.create_token(user, name="test").raw


def test_bearer_token_authenticates(world):
    client = Client()
    response = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token_for(world.lead)}"}
    )
    assert response.status_code == 200
    assert response.json()["email"] == world.lead.email
    assert response.json()["memberships"][0]["organisation"] == "northgate"


def test_a_token_write_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/partnerships/scan-triage/glossary",
        json.dumps({"term": "Scan", "definition": "A chest X-ray."}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(world.lead)}"},
    )
    assert response.status_code == 201


def test_a_session_write_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead, backend="carepact.accounts.backends.EmailBackend")
    response = client.post(
        "/api/v1/partnerships/scan-triage/glossary",
        json.dumps({"term": "Scan", "definition": "A chest X-ray."}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not world.partnership.glossary.exists()


def test_revoked_or_unknown_token_is_401_with_a_hint(world):
    client = Client()
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cp_nonsense"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_validation_errors_are_a_problem_body_naming_the_fields(world, client_for):
    response = client_for(world.lead).post(
        "/api/v1/partnerships", json.dumps({"title": 5}), content_type="application/json"
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "Invalid input"
    assert "organisation" in problem["errors"] and "type" in problem["errors"]


def test_service_validation_reaches_the_api_with_field_errors(world, client_for):
    response = client_for(world.lead).post(
        "/api/v1/partnerships",
        json.dumps({"organisation": "northgate", "title": "X", "type": "merger"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"type": ["Choose the type of partnership."]}


def test_denial_carries_its_reason(world, client_for):
    response = client_for(world.observer).patch(
        "/api/v1/partnerships/scan-triage",
        json.dumps({"title": "Mine"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        response.json()["detail"] == "Only a partnership lead can change the partnership's details."
    )


def test_gate_refusal_lists_the_reasons(world, client_for):
    response = client_for(world.lead).post(
        "/api/v1/partnerships/scan-triage/stage",
        json.dumps({"to": "agreeing"}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "No champion is named" in response.json()["detail"]


def test_stage_options_list_the_checklist(world, client_for):
    body = client_for(world.observer).get("/api/v1/partnerships/scan-triage/stage").json()
    forward = next(o for o in body["options"] if o["forward"])
    assert forward["stage"] == "agreeing" and forward["ready"] is False
    assert {i["key"]: i["met"] for i in forward["checklist"]} == {
        "vision": True,
        "two_parties": True,
        "champion": False,
    }


def test_openapi_document_is_served_and_describes_the_routes(world, client_for):
    response = client_for(None).get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "carepact API"
    assert "/api/v1/partnerships/{slug}/audit" in schema["paths"]


def test_audit_filter_by_action(world, client_for):
    client = client_for(world.lead)
    client.post(
        "/api/v1/partnerships/scan-triage/glossary",
        json.dumps({"term": "A", "definition": "a"}),
        content_type="application/json",
    )
    client.patch(
        "/api/v1/partnerships/scan-triage",
        json.dumps({"purpose": "p"}),
        content_type="application/json",
    )
    events = client.get("/api/v1/partnerships/scan-triage/audit?action=glossary.propose").json()
    assert [e["action"] for e in events] == ["glossary.propose"]
    assert len(events[0]["hash"]) == 64
