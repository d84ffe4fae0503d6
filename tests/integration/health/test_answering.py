"""Answering by link: no password, saved as you go, single use, and never joined to the person."""

import hashlib
import json

import pytest
from django.db import connection, transaction

from carepact.core.errors import Invalid, NotFound
from carepact.core.models import AuditEvent
from carepact.health import services, tokens
from carepact.health.models import Invitation, Response
from tests.integration.health.conftest import link, uniform
from tests.integration.test_pages import check_structure


@pytest.fixture
def invitation(crowd):
    found = crowd.open()
    return found.invitations.select_related("organisation", "person", "round").get(
        person=crowd.world.partner_member
    )


def test_the_link_opens_the_form_without_signing_in(invitation, client_for):
    page = client_for(None).get(f"/health/respond/{link(invitation)}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "answering as <strong>Brightscan AI</strong>, manager" in html
    check_structure(html, "respond start")


def test_each_screen_saves_and_moves_on_without_javascript(invitation, client_for):
    client, token = client_for(None), link(invitation)
    page = client.get(f"/health/respond/{token}/C2/")
    check_structure(page.content.decode(), "respond C2")
    assert "About Brightscan AI (your own organisation)" in page.content.decode()
    response = client.post(
        f"/health/respond/{token}/C2/",
        {
            "C2_1__northgate": "2",
            "C2_2__northgate": "dk",
            "M_1__northgate": "4",
            "C2_1__brightscan": "5",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/{token}/C3/")
    saved = services.draft_of(invitation).answers
    assert saved == {
        "C2.1@northgate": 2,
        "C2.2@northgate": "dk",
        "M.1@northgate": 4,
        "C2.1@brightscan": 5,
    }
    # Saving the screen again replaces its answers: one cleared, one changed.
    client.post(f"/health/respond/{token}/C2/", {"C2_1__northgate": "3"})
    assert services.draft_of(invitation).answers == {"C2.1@northgate": 3}
    again = client.get(f"/health/respond/{token}/C2/").content.decode()
    assert 'name="C2_1__northgate" value="3" id="id_C2_1__northgate_2" checked' in again


def test_save_and_go_back(invitation, client_for):
    client, token = client_for(None), link(invitation)
    response = client.post(f"/health/respond/{token}/C3/", {"C3_1": "4", "back": "1"})
    assert response["Location"].endswith(f"/{token}/C2/")


def test_an_answer_outside_the_scale_is_refused_on_the_page(invitation, client_for):
    response = client_for(None).post(f"/health/respond/{link(invitation)}/C1/", {"C1_1": "7"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert services.draft_of(invitation) is None


def test_the_whole_form_on_one_page(invitation, client_for):
    client, token = client_for(None), link(invitation)
    page = client.get(f"/health/respond/{token}/all/").content.decode()
    check_structure(page, "respond all")
    assert page.count("<fieldset") == 42 + 6 + 4 + 1 + 2  # statements, about-party, M, B, I
    response = client.post(f"/health/respond/{token}/all/", {"C1_1": "4", "O1": "Good meetings."})
    assert response["Location"].endswith(f"/{token}/review/")


def test_sending_stores_the_answers_under_a_pseudonym_and_ends_the_link(invitation, client_for):
    client, token = client_for(None), link(invitation)
    client.post(f"/health/respond/{token}/C1/", {"C1_1": "4", "C1_2": "5"})
    review = client.get(f"/health/respond/{token}/review/")
    check_structure(review.content.decode(), "review")
    response = client.post(f"/health/respond/{token}/review/")
    assert response.status_code == 302 and response["Location"] == "/health/thanks/"
    stored = Response.objects.get()
    assert stored.submitted and stored.draft_key is None
    assert stored.party == "brightscan" and stored.level == "manager"
    assert stored.respondent == tokens.respondent_token(
        invitation.round.partnership_id, invitation.person_id
    )
    unkeyed = f"{invitation.round.partnership_id}:{invitation.person_id}".encode()
    assert stored.respondent != hashlib.sha256(unkeyed).hexdigest()  # needs the secret key
    assert Invitation.objects.get(pk=invitation.pk).responded
    assert client.get(f"/health/respond/{token}/").status_code == 404  # single use
    event = AuditEvent.objects.get(action="health.response")
    assert event.actor_id is None and event.organisation_id is None
    assert event.summary == {"number": 1}
    assert "Max Member" not in event.message and "brightscan" not in json.dumps(event.summary)


def test_nothing_in_the_database_joins_a_response_to_a_person(crowd):
    """The response table has no column that points at a person or an invitation."""
    columns = {c.name for c in connection.introspection.get_table_description(
        connection.cursor(), Response._meta.db_table
    )}  # fmt: skip
    assert columns == {
        "id",
        "round_id",
        "party",
        "level",
        "respondent",
        "draft_key",
        "answers",
        "submitted",
    }
    assert {f.name for f in Invitation._meta.get_fields()} >= {"responded"}
    assert not {"submitted_at", "created_at", "updated_at"} & columns  # no time to join on


def test_the_respondent_token_pairs_rounds_but_not_partnerships(crowd, world):
    first = crowd.open()
    invitation = first.invitations.get(person=world.lead)
    crowd.answer(invitation, uniform(first, 4))
    crowd.close(first)
    second = crowd.open()
    crowd.answer(second.invitations.get(person=world.lead), uniform(second, 3))
    tokens_seen = set(Response.objects.values_list("respondent", flat=True))
    assert len(tokens_seen) == 1
    assert tokens.respondent_token(first.partnership_id + 1, world.lead.pk) not in tokens_seen


def test_a_link_stops_working_when_the_round_closes(crowd, invitation):
    token = link(invitation)
    crowd.close(invitation.round)
    with pytest.raises(NotFound, match="closed"):
        services.find_invitation(token)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "1.abc~badsignature", "999999.nonce"],
)
def test_a_forged_or_unknown_link_is_not_found(db, token, client_for):
    with pytest.raises(NotFound):
        services.find_invitation(token)


def test_a_link_for_another_nonce_is_refused(invitation):
    forged = tokens.link_token(Invitation(pk=invitation.pk, nonce="someone-else"))
    with pytest.raises(NotFound):
        services.find_invitation(forged)


def test_an_empty_response_cannot_be_sent(invitation):
    with pytest.raises(Invalid, match="at least one"), transaction.atomic():
        services.submit_response(invitation)


def test_answering_through_the_api(invitation, client_for):
    client, token = client_for(None), link(invitation)
    state = client.get(f"/api/v1/health/respond/{token}").json()
    assert state["party"] == "brightscan" and state["level"] == "manager"
    assert "C2.1@northgate" in state["questions"] and state["answers"] == {}
    saved = client.put(
        f"/api/v1/health/respond/{token}/answers",
        json.dumps({"step": "C1", "answers": {"C1.1": 4, "C1.2": "dk", "C1.3": None}}),
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["answers"] == {"C1.1": 4, "C1.2": "dk"}
    bad = client.put(
        f"/api/v1/health/respond/{token}/answers",
        json.dumps({"answers": {"C1.1": 9}}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "C1.1" in bad.json()["errors"]
    assert client.post(f"/api/v1/health/respond/{token}/submit").status_code == 204
    assert client.get(f"/api/v1/health/respond/{token}").status_code == 404


def test_a_signed_in_member_reaches_their_own_link(invitation, client_for, world):
    response = client_for(world.partner_member).get("/p/scan-triage/health/answer/")
    assert response.status_code == 302
    assert response["Location"] == f"/health/respond/{link(invitation)}/"


def test_a_pulse_is_one_screen(crowd, client_for):
    found = crowd.open(kind="pulse")
    invitation = found.invitations.get(person=crowd.world.lead)
    token = link(invitation)
    page = client_for(None).get(f"/health/respond/{token}/pulse/").content.decode()
    check_structure(page, "pulse")
    assert page.count("<fieldset") == 14 + 2  # 12 anchors, and C2 and C7 about both parties
    response = client_for(None).post(f"/health/respond/{token}/pulse/", {"C1_1": "4"})
    assert response["Location"].endswith("/review/")
