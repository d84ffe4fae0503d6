"""A researcher asks for data and hears the policy; the data steward approves; the release
runs as a job; the researcher downloads it; a patient in it withdraws; the researcher
meets the obligation to delete it."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
from django.core.management import call_command
from playwright.sync_api import expect

from carepact.consent import registry
from carepact.data import services
from carepact.data.models import Release, WithdrawalObligation
from carepact.engine.release import membership_matches
from carepact.engine.release.synth import write_patients
from carepact.partnerships.models import Role
from tests import factories
from tests.e2e.conftest import shot, sign_in, sign_out
from tests.integration.agreements.helpers import dsa_clauses
from tests.integration.data.conftest import DATASET, atomic, columns_marked, sign_dsa


def worker():
    call_command("worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())


def test_request_approve_release_download_withdraw_obligation(
    transactional_db, open_page, settings, tmp_path, world
):
    settings.DATA_DIR = tmp_path
    path = tmp_path / "datasets" / "northgate" / "scans.parquet"
    write_patients(path, 3000, seed=7)
    steward = factories.member(world.trust, email="sue@northgate.example", full_name="Sue Steward")
    factories.RoleFactory(
        partnership=world.partnership,
        person=steward,
        organisation=world.trust,
        role=Role.DATA_STEWARD,
    )
    dataset = atomic(
        services.register_dataset,
        steward,
        world.partnership,
        owner=world.trust,
        name=DATASET,
        location="northgate/scans.parquet",
        patient_id_column="nhs_number",
        k=5,
        suppression_limit=0.1,
    )
    atomic(services.set_columns, steward, dataset, columns=columns_marked(dataset))
    sign_dsa(world, dsa_clauses(world.trust.slug, [world.company.slug]))
    data = f"/p/{world.partnership.slug}/data/"

    # The researcher asks, first for too wide a purpose, then within the agreement.
    page = open_page()
    sign_in(page, "admin@brightscan.example", factories.PASSWORD)
    page.goto(data)
    page.get_by_role("link", name=DATASET).click()
    page.get_by_role("link", name="Ask for this data").click()
    page.get_by_label("Purpose (DUO)").select_option("HMB")
    page.get_by_label("What you will do, in plain words").fill(
        "Find which chest X-rays show lung cancer so that they are reported first."
    )
    page.get_by_label("How the public will benefit").fill(
        "People with lung cancer are diagnosed sooner, at a curable stage."
    )
    page.get_by_role("button", name="Send the request").click()
    refusal = page.locator(".decision-refused")
    expect(refusal).to_contain_text("The policy does not allow this.")
    expect(refusal).to_contain_text("lung cancer")
    expect(refusal).to_contain_text("Ethics approval is required")
    shot(page, "data-01-request-refused")
    page.get_by_label("Purpose (DUO)").select_option("DS:MONDO:0008903")
    page.get_by_label("Ethics approval reference").fill("IRAS 123456")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".decision-allowed")).to_contain_text("The policy allows this.")
    expect(page.get_by_text("Publication required")).to_be_visible()
    shot(page, "data-02-request-allowed")
    sign_out(page)

    # The data steward approves; the release is queued, then run by the worker.
    sign_in(page, "sue@northgate.example", factories.PASSWORD)
    page.goto(f"{data}requests/")
    page.get_by_role("link", name=DATASET).first.click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Release #")
    expect(page.get_by_text("Waiting for a worker")).to_be_visible()
    shot(page, "data-03-release-queued")
    worker()
    # The page refreshes itself while the release waits or runs (no JavaScript needed).
    expect(page.get_by_text("k achieved")).to_be_visible(timeout=20_000)
    expect(page.locator("#release-rows")).to_be_attached()
    shot(page, "data-04-release-done")
    release = Release.objects.get()

    # A patient in the release withdraws from commercial use, told to staff.
    numbers = pq.read_table(path, columns=["nhs_number"]).column(0).to_pylist()[:200]
    hashes = {registry.patient_hash(world.trust, n): n for n in numbers}
    inside = sorted(membership_matches(tmp_path / release.files["membership"], set(hashes)))
    page.get_by_role("link", name="Consent registry").click()
    page.get_by_role("link", name=world.trust.name).click()
    page.get_by_label("NHS number").fill(hashes[inside[0]])
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A patient's choices")
    expect(page.locator("table").first).to_contain_text(world.partnership.title)
    page.get_by_label("From use by commercial organisations, in every partnership").check()
    page.get_by_role("button", name="Record the withdrawal").click()
    expect(page.get_by_text("The withdrawal is recorded")).to_be_visible()
    shot(page, "data-05-withdrawal")
    sign_out(page)

    # The researcher downloads, then sees the obligation and meets it.
    sign_in(page, "admin@brightscan.example", factories.PASSWORD)
    page.goto(f"{data}releases/{release.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data").click()
    assert download.value.suggested_filename.endswith(".parquet")
    page.goto(data)
    page.get_by_role("link", name="Obligations").click()
    expect(page.locator("table")).to_contain_text("open")
    shot(page, "data-06-obligation")
    page.get_by_role("link", name="Confirm").click()
    page.get_by_label("Deleted every copy of the release").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("the obligation is recorded as met")).to_be_visible()
    shot(page, "data-07-obligation-met")
    assert WithdrawalObligation.objects.get().action == "deleted"
