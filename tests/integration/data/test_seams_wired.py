"""The seams, wired: the data and consent apps provide the datasets, releases and patient
page the public page reads, and the recognition of access requests reviewed, from data built
through their own services."""

from __future__ import annotations

import json

from django.test import Client

from carepact.data import services as data
from carepact.data.models import JobStatus
from carepact.outcomes import recognition, seams
from carepact.public import services as public
from carepact.public.rounding import public_count
from tests import factories
from tests.integration.data.conftest import DATASET, REQUEST, atomic
from tests.integration.public.helpers import SETTINGS

PAGE = "/public/scan-triage/"
JSON = "/api/v1/public/partnerships/scan-triage"


def released(data_world, dataset):
    """The dataset profiled, a request approved by the steward, and its release run."""
    data.run_profile(dataset.pk)
    dataset.refresh_from_db()
    asked = atomic(data.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(data.review_request, data_world.steward, asked, verdict="approve")
    data.execute_release(release.pk)
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED, release.error
    return release


def publish_all(data_world):
    w = data_world.world
    atomic(public.save_settings, w.lead, w.partnership, **SETTINGS)
    uni_admin = factories.member(data_world.university, admin=True, email="vc@eastgate.example")
    atomic(public.opt_in, w.lead, w.partnership, organisation=w.trust)
    atomic(public.opt_in, w.partner_admin, w.partnership, organisation=w.company)
    atomic(public.opt_in, uni_admin, w.partnership, organisation=data_world.university)


def test_the_public_page_lists_datasets_and_releases_rounded_and_links_the_patient_page(
    data_world,
    dataset,
    agreement,
):
    w = data_world.world
    release = released(data_world, dataset)
    publish_all(data_world)

    view = Client().get(JSON).json()
    in_dataset = next(
        c["distinct"] for c in dataset.profile["columns"] if c["name"] == "nhs_number"
    )
    out = release.manifest["counts"]["distinct_patients_released"]
    assert in_dataset > 1000 and out > 1000
    assert view["datasets"] == {
        "recorded": True,
        "items": [
            {
                "name": DATASET,
                "description": dataset.description,
                "patients": public_count(in_dataset),
            }
        ],
    }
    assert view["datasets"]["items"][0]["patients"]["rounded"] % 10 == 0
    assert view["releases"] == {
        "recorded": True,
        "items": [
            {
                "date": release.finished_at.date().isoformat(),
                "purpose": "Research on lung cancer (DS:MONDO:0008903)",
                "dataset": DATASET,
                "patients": public_count(out),
            }
        ],
    }
    assert view["patient_page"] == "/patient/"

    page = Client().get(PAGE).content.decode()
    assert DATASET in page and "Research on lung cancer" in page
    assert public_count(out)["text"] in page and public_count(in_dataset)["text"] in page
    assert 'href="/patient/"' in page
    assert "Not yet recorded on carepact." not in page
    assert Client().get("/patient/").status_code == 200  # the link leads somewhere
    # Nothing patient-level, and no exact count that the rounding hid.
    body = json.dumps(view) + page
    for exact in {in_dataset, out} - {
        public_count(in_dataset)["rounded"],
        public_count(out)["rounded"],
    }:
        assert str(exact) not in body and f"{exact:,}" not in body
    for private in (REQUEST["lay_summary"], REQUEST["ethics_reference"], w.partner_admin.email):
        assert private not in body
    assert "nhs_number" not in body and "pseudonym" not in body


def test_a_partnership_without_datasets_reads_not_recorded_and_one_without_releases_none(
    data_world,
    dataset,
):
    w = data_world.world
    reading = seams.read("public.releases", w.partnership)
    assert reading.measured and reading.value == []  # a dataset, nothing released: none
    other = factories.PartnershipFactory()
    assert not seams.read("public.datasets", other).measured  # never "none"
    assert not seams.read("public.releases", other).measured


def test_a_steward_is_credited_with_the_request_they_reviewed(data_world, dataset, agreement):
    w = data_world.world
    asked = atomic(data.submit_request, data_world.researcher, dataset, **REQUEST)
    atomic(data.review_request, data_world.steward, asked, verdict="approve")
    found = recognition.profile(w.lead, data_world.steward)[1]
    reviews = [c for c in found if c.kind == "review_done"]
    assert [(c.label, c.detail, c.kind_label) for c in reviews] == [
        (
            f"Approved the access request from Brightscan AI for “{DATASET}”",
            "round 1, decided the request",
            "Reviews done",
        )
    ]
    rows = {person: counts for person, counts, _ in recognition.by_person(w.partnership)}
    assert rows[data_world.steward]["Reviews done"] == 1
    # Only partnerships the reader can see: the outsider sees none of it.
    assert recognition.profile(w.outsider, data_world.steward)[1] == []
