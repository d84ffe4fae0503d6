"""The demo tells the data and consent story the issue asks for: Northfield's synthetic
extract offered in the Eastmoor partnership, a national opt-out list with bad lines and
choices imported as FHIR, a signed data-sharing agreement, Eastmoor's approved request with
a completed (and downloaded) release that left the opted-out patients out, Helix's request
waiting for review, and a withdrawal that leaves Eastmoor an open obligation."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from carepact.accounts.demo import organisation, person
from carepact.agreements import services as agreements
from carepact.consent import registry
from carepact.consent import services as consent
from carepact.consent.choices import Use
from carepact.consent.demo import ROWS, demo_numbers
from carepact.consent.models import ConsentRecord, ImportBatch
from carepact.core.indicators import read
from carepact.data import policies, services
from carepact.data.demo import DATA, DATASET
from carepact.data.models import AccessRequest, Download, JobStatus, Release, WithdrawalObligation
from carepact.data.services.releases import is_commercial
from carepact.engine.release import membership_matches
from carepact.partnerships.models import Partnership


@pytest.fixture
def demo(transactional_db, data_dir):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    return Partnership.objects.get(slug=DATA)


def test_the_demo_data_and_consent_story(demo, data_dir, client_for):
    northfield = organisation("northfield")
    eastmoor, helix = organisation("university-of-eastmoor"), organisation("helix")
    mei, nadia = person("mei.chen"), person("nadia.farouk")
    numbers = demo_numbers()
    assert len(numbers) == ROWS

    # The dataset: registered, profiled, its columns marked, its terms from a signed DSA.
    (dataset,) = services.datasets_of(demo)
    assert (dataset.name, dataset.owner) == (DATASET, northfield)
    assert dataset.row_count == ROWS and dataset.profile_status == JobStatus.SUCCEEDED
    assert set(dataset.columns_with("quasi_identifier")) == {"age", "sex", "postcode", "ethnicity"}
    assert dataset.columns_with("direct_identifier")  # the NHS number never leaves
    terms = agreements.check_release_allowed(demo, dataset=DATASET, recipient=eastmoor)
    assert terms.permission.code == "HMB" and {eastmoor.slug, helix.slug} <= set(terms.recipients)
    assert [d.name for d in services.catalogue_for(mei)] == [DATASET]

    # The registry: the national opt-out list (2%, three bad lines) and FHIR choices.
    optouts = ImportBatch.objects.get(organisation=northfield, kind="opt_outs")
    assert (optouts.imported, optouts.rejected) == (ROWS // 50, 3)
    assert all("check digit" in r["reason"] for r in optouts.rejections)
    fhir = ImportBatch.objects.get(organisation=northfield, kind="fhir")
    assert (fhir.imported, fhir.rejected) == (45, 0)
    summary = consent.registry_summary(northfield)
    assert summary["national_opt_outs"] == ROWS // 50
    assert summary["withdrawals"] == 40 + 1  # no to companies, and the one who withdrew
    assert not ConsentRecord.objects.filter(patient__in=numbers[:1000]).exists()  # hashed

    # The approved request and its completed release, downloaded by the requester.
    (approved,) = AccessRequest.objects.filter(
        partnership=demo, status=AccessRequest.Status.APPROVED
    )
    assert (approved.organisation, approved.requester) == (eastmoor, nadia)
    (release,) = Release.objects.filter(request=approved)
    assert release.status == JobStatus.SUCCEEDED, release.error
    assert release.recipient == eastmoor and not is_commercial(eastmoor)
    assert release.k_achieved >= dataset.k and release.released > 0
    # Left out: everyone on the opt-out list except the five who consented to this
    # partnership; a "no to companies" does not reach a university's release.
    assert release.consent_exclusions == ROWS // 50 - 5
    assert release.excluded_by_consent == ROWS // 50 - 5
    table = pq.read_table(data_dir / release.files["output"])
    assert table.num_rows == release.released and "nhs_number" not in table.column_names
    assert Download.objects.filter(release=release, person=nadia).count() == 1
    index = data_dir / release.files["membership"]
    opted_out = {registry.patient_hash(northfield, n) for n in numbers[::50][5:]}
    assert not membership_matches(index, opted_out)
    consented = {registry.patient_hash(northfield, n) for n in numbers[::50][:5]}
    assert membership_matches(index, consented)  # let back in by their later consent

    # The pending request: Helix's, waiting for Northfield's review.
    (pending,) = AccessRequest.objects.filter(
        partnership=demo, status=AccessRequest.Status.SUBMITTED
    )
    assert pending.organisation == helix and not pending.releases.exists()
    assert services.waiting(pending).days >= 4
    assert read(demo, "open_access_requests").value == 1
    assert read(demo, "releases").value == 1

    # The withdrawal after the release: one patient, an open obligation on Eastmoor.
    (obligation,) = WithdrawalObligation.objects.filter(partnership=demo)
    assert (obligation.release, obligation.recipient, obligation.patients) == (release, eastmoor, 1)
    assert obligation.acknowledged_at is None
    (withdrawal,) = ConsentRecord.objects.filter(
        organisation=northfield, partnership=demo, decision="deny"
    )
    assert membership_matches(index, {withdrawal.patient})
    now = consent.exclusions_for(
        northfield, Use(demo.pk, False, approved.purpose, policies.today())
    )
    assert withdrawal.patient in now.patients  # the next release leaves them out
    assert ": 1 after withdrawals," in read(demo, "open_obligations").detail

    # The pages tell the same story to both sides.
    steward = client_for(mei).get(f"/p/{DATA}/data/").content.decode()
    assert DATASET in steward
    requests = client_for(nadia).get(f"/p/{DATA}/data/requests/").content.decode()
    assert "Waiting for review" in requests and "answered in 2 days" in requests
    obligations = client_for(nadia).get(f"/p/{DATA}/data/obligations/").content.decode()
    assert "Confirm" in obligations
    registry_page = client_for(mei).get(f"/consent/{northfield.slug}/").content.decode()
    assert f"{ROWS // 50:,}" in registry_page  # national opt-outs
