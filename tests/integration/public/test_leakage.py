"""Nothing reaches the public that is not on the whitelist, and nothing before publication.

The partnership here is set up to leak: every private field holds a PRIVATE- marker. The
tests walk the public page and its JSON, signed in and not, before and after publication.
"""

import json

import pytest
from django.db import transaction
from django.test import Client

from carepact.core.indicators import Reading
from carepact.outcomes import seams
from carepact.public import services
from carepact.public.models import Publication
from carepact.public.transparency import FIELDS, KPI_FIELDS
from tests import factories
from tests.integration.public.helpers import PRIVATE, leaky, publish

PAGE = "/public/scan-triage/"
JSON = "/api/v1/public/partnerships/scan-triage"


def clients(world):
    found = {"anonymous": Client()}
    for name in ("outsider", "observer", "lead", "partner_admin"):
        client = Client()
        client.force_login(getattr(world, name), backend="carepact.accounts.backends.EmailBackend")
        found[name] = client
    return found


def assert_hidden(world):
    for name, client in clients(world).items():
        assert client.get(PAGE).status_code == 404, name
        response = client.get(JSON)
        assert response.status_code == 404, name
        assert response["Content-Type"] == "application/problem+json"
        assert "scan-triage" not in client.get("/public/").content.decode()
        listed = client.get("/api/v1/public/partnerships").json()
        assert [p["slug"] for p in listed] == [], name


def test_an_unpublished_page_is_404_to_everyone_and_listed_nowhere(world):
    leaky(world)
    assert_hidden(world)  # written, nobody opted in
    with transaction.atomic():
        services.opt_in(world.lead, world.partnership, organisation=world.trust)
    assert_hidden(world)  # one of two parties opted in
    assert Client().get("/public/no-such-partnership/").status_code == 404  # same as absent


def test_the_json_holds_exactly_the_whitelisted_fields(world):
    leaky(world)
    publish(world)
    view = Client().get(JSON).json()
    assert tuple(view) == FIELDS
    assert all(tuple(kpi) == KPI_FIELDS for kpi in view["outcome_kpis"])
    assert [p["name"] for p in view["parties"]] == ["Northgate NHS Trust", "Brightscan AI"]
    assert set(view["parties"][0]) == {"name", "kind"}
    assert view["value_returned"]["returned_to_nhs"] == [
        {"currency": "GBP", "minor": 2_500_000, "formatted": "£25,000.00"}
    ]
    assert [i["kind"] for i in view["value_returned"]["items"]] == [
        "Milestone payment to the NHS party"
    ]
    assert view["datasets"] == {"recorded": False, "items": []}


def test_no_private_field_reaches_the_page_or_the_json(world):
    leaky(world)
    publish(world)
    for name, client in clients(world).items():
        for url in (PAGE, JSON, "/public/", "/api/v1/public/partnerships"):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            body = response.content.decode()
            for what, marker in PRIVATE.items():
                assert marker not in body, (name, url, what)
            # (a signed-in reader sees their own name in the header, and only that)
            own = {
                "lead": "Lee Lead",
                "partner_admin": "Ada Admin",
                "observer": "Olu Observer",
            }.get(name)
            people = {"Lee Lead", "Ada Admin", "Olu Observer"} - {own}
            for secret in (
                *people,
                "PRIVATE",
                "lead@northgate.example",
                "£12,345.67",
                "987654",
                "9,876.54",
                "47.125",  # a breakdown value
                "77.875",  # a value based on fewer than 10 people
            ):
                assert secret not in body, (name, url, secret)


def test_the_public_page_shows_what_it_should(world):
    leaky(world)
    publish(world)
    page = Client().get(PAGE).content.decode()
    for words in (
        "Scan triage",
        "We use chest X-rays to find lung cancer sooner.",
        "Northgate NHS Trust",
        "Days from X-ray to diagnosis",
        "38.5 days",
        "£25,000.00",
        "Tell the radiology department",
        "https://www.nhs.uk/your-nhs-data-matters/",
        "Not yet recorded on carepact.",
    ):
        assert words in page, words


def test_value_is_shown_as_the_parties_chose(world):
    leaky(world)
    with transaction.atomic():
        services.save_settings(
            world.lead,
            world.partnership,
            **{**services_settings(world), "show_value": "none", "show_kpis": False},
        )
    publish(world)
    view = Client().get(JSON).json()
    assert view["value_returned"] == {
        "shown": "none",
        "returned_to_nhs": [],
        "items": [],
        "counts": {},
    }
    assert view["outcome_kpis"] == []
    assert "£25,000.00" not in Client().get(PAGE).content.decode()


def services_settings(world):
    publication = Publication.objects.get(partnership=world.partnership)
    return {name: getattr(publication, name) for name in services.SETTINGS}


def test_patient_counts_from_the_data_app_are_rounded(world):
    leaky(world)
    publish(world)
    datasets = [
        {"name": "Chest X-rays", "description": "Images and reports", "patients": 18_437},
        {"name": "Rare findings", "description": "", "patients": 7},
        {"name": "Unknown", "description": "", "patients": None},
    ]
    seams.register("public.datasets", lambda p: Reading(datasets))
    seams.register("public.patient_page", lambda p: Reading("/patients/scan-triage/"))
    try:
        view = Client().get(JSON).json()
        page = Client().get(PAGE).content.decode()
    finally:
        seams.unregister("public.datasets")
        seams.unregister("public.patient_page")
    assert [d["patients"] for d in view["datasets"]["items"]] == [
        {"text": "about 18,440", "rounded": 18440},
        {"text": "fewer than 10", "rounded": None},
        {"text": "not recorded", "rounded": None},
    ]
    assert "18437" not in page and "18,437" not in page and "about 18,440" in page
    assert view["patient_page"] == "/patients/scan-triage/"
    assert 'href="/patients/scan-triage/"' in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "http://plain.example"])
def test_a_patient_page_link_is_a_site_path_or_https_only(world, url):
    leaky(world)
    publish(world)
    seams.register("public.patient_page", lambda p: Reading(url))
    try:
        assert Client().get(JSON).json()["patient_page"] is None
    finally:
        seams.unregister("public.patient_page")


def test_withdrawal_a_new_party_or_a_change_takes_the_page_down(world):
    leaky(world)
    publish(world)
    assert Client().get(PAGE).status_code == 200
    with transaction.atomic():
        services.withdraw(world.partner_admin, world.partnership, organisation=world.company)
    assert_hidden(world)

    with transaction.atomic():
        services.opt_in(world.partner_admin, world.partnership, organisation=world.company)
    assert Client().get(PAGE).status_code == 200
    newcomer = factories.PartyFactory(partnership=world.partnership)  # joins: not opted in
    assert Client().get(PAGE).status_code == 404
    newcomer.delete()
    assert Client().get(PAGE).status_code == 200

    with transaction.atomic():
        services.save_settings(
            world.lead, world.partnership, **{**services_settings(world), "contact": "Ask us"}
        )
    assert_hidden(world)
    assert not Publication.objects.get(partnership=world.partnership).opt_ins.exists()


def test_a_value_based_on_fewer_than_10_people_is_withheld_even_from_the_status(world):
    leaky(world)
    publish(world)
    view = Client().get(JSON).json()
    small = next(k for k in view["outcome_kpis"] if k["name"] == "Gap in days by sex")
    assert small["series"] == [] and small["latest"] is None and small["status"] == "No data"


def test_the_json_is_the_same_dictionary_the_page_is_drawn_from(world):
    leaky(world)
    publish(world)
    view = Client().get(JSON).json()
    page = Client().get(PAGE).content.decode()
    for kpi in view["outcome_kpis"]:
        assert kpi["name"] in page
    # the chart's data block is built from the public series only
    assert (
        json.dumps([p["value"] for p in view["outcome_kpis"][0]["series"]])
        == "[41.25, 39.75, 38.5]"
    )
