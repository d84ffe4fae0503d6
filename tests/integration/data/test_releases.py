"""Releases as jobs (success, failure, retry), downloads, and a withdrawal traced into past
releases end to end: release, withdraw, obligation, release again, the person is absent,
and pycanon (an independent library) confirms k on every release produced."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.db import transaction

from carepact.consent import registry
from carepact.consent import services as consent
from carepact.core import clock, keys
from carepact.core.errors import Conflict, Denied
from carepact.core.models import AuditEvent
from carepact.data import services
from carepact.data.models import Download, JobStatus, Release, WithdrawalObligation
from carepact.data.services.releases import pseudonym_key
from carepact.engine.release import membership_matches
from carepact.engine.release.synth import write_patients
from tests import factories
from tests.integration.data.conftest import REQUEST, ROWS, atomic

ROOT = Path(__file__).resolve().parents[3]
ORACLE = ROOT / ".venv-oracle" / "bin" / "python"
PYCANON = ROOT / "tests" / "oracle" / "pycanon_check.py"


def worker():
    call_command("worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())


def numbers(data_dir) -> list[str]:
    path = data_dir / "datasets" / "northgate" / "scans.parquet"
    return pq.read_table(path, columns=["nhs_number"]).column(0).to_pylist()


def released(data_dir, release: Release):
    return pq.read_table(data_dir / release.files["output"])


def pseudonyms_of(release: Release, nhs: list[str]) -> set[str]:
    key = pseudonym_key(release.dataset, release.recipient)
    return {keys.keyed_hash(key, n) for n in nhs}


def assert_pycanon_confirms_k(data_dir, release: Release) -> None:
    """pycanon measures the released table's k; it must be at least what was asked."""
    if not ORACLE.exists():
        pytest.skip("the oracle environment is missing: run `make oracle`")
    qi = list(release.report["levels"])
    copy = data_dir / f"release-{release.pk}.oracle.csv"
    pacsv.write_csv(released(data_dir, release).select(qi), str(copy))
    proc = subprocess.run(
        [str(ORACLE), str(PYCANON)],
        input=json.dumps([{"file": str(copy), "qi": qi, "sensitive": []}]),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    measured = json.loads(proc.stdout)[str(copy)]
    assert measured["rows"] == release.released
    assert measured["k"] >= release.report["privacy_model"]["k"]
    assert measured["k"] >= release.k_achieved


# -- jobs ------------------------------------------------------------------------------------


def test_a_release_job_excludes_by_consent_and_keeps_manifest_report_and_membership(
    transactional_db, data_world, dataset, agreement, data_dir
):
    w = data_world.world
    nhs = numbers(data_dir)
    opted_out = nhs[::100]
    with transaction.atomic():
        consent.import_optouts(data_world.steward, w.trust, content="\n".join(opted_out) + "\n")
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    assert release.status == JobStatus.QUEUED
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED, release.error
    folder = data_dir / "releases" / str(release.pk)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(f).name for f in release.files.values()
    )
    table = released(data_dir, release)
    assert table.num_rows == release.released > 0
    assert "nhs_number" not in table.column_names and "pseudonym" in table.column_names
    out_pseudonyms = set(table.column("pseudonym").to_pylist())
    assert not out_pseudonyms & pseudonyms_of(release, opted_out)
    assert release.excluded_by_consent == len(opted_out)
    assert release.consent_exclusions == len(opted_out)
    assert release.k_achieved >= 5
    assert release.manifest["outputs"]["output"]["sha256"]
    assert release.report["rows"]["released"] == release.released
    # The membership index is under the registry key: the registry can find people in it.
    index = data_dir / release.files["membership"]
    in_registry = {registry.patient_hash(w.trust, n): n for n in nhs[1:50]}
    found = membership_matches(index, set(in_registry))
    assert found and len(found) >= len(in_registry) - 10  # suppressed rows are not members
    assert not membership_matches(index, {registry.patient_hash(w.trust, n) for n in opted_out})
    assert release.membership_key_id == registry.registry_key_id(w.trust)
    assert_pycanon_confirms_k(data_dir, release)
    event = AuditEvent.objects.get(action="release.complete")
    stored = json.dumps(
        [
            list(AuditEvent.objects.values_list("message", "summary")),
            release.report,
            release.manifest,
            release.spec,
            release.error,
        ]
    )
    assert not any(n in stored for n in nhs)
    assert event.summary["released"] == release.released


def test_a_failed_release_leaves_nothing_says_why_and_can_run_again(
    transactional_db, data_world, dataset, agreement, data_dir
):
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    type(dataset).objects.filter(pk=dataset.pk).update(k=10**6)  # more than there are rows
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.FAILED and release.attempts == 1
    assert "k (1000000) is larger than the number of rows" in release.error
    assert release.files == {}
    assert not (data_dir / "releases" / str(release.pk)).exists()
    assert AuditEvent.objects.get(action="release.fail").summary["error"] == release.error
    type(dataset).objects.filter(pk=dataset.pk).update(k=5)
    atomic(services.retry_release, data_world.steward, release)
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED and release.attempts == 2 and not release.error
    assert_pycanon_confirms_k(data_dir, release)


def test_an_unreadable_dataset_fails_without_partial_output(
    transactional_db, data_world, dataset, agreement, data_dir
):
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    (data_dir / "datasets" / "northgate" / "scans.parquet").write_bytes(b"PAR1 broken")
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.FAILED
    assert "read" in release.error
    assert not (data_dir / "releases" / str(release.pk)).exists()
    write_patients(data_dir / "datasets" / "northgate" / "scans.parquet", ROWS, seed=7)
    atomic(services.retry_release, data_world.steward, release)
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED
    with pytest.raises(Conflict, match="Only a failed release"):
        atomic(services.retry_release, data_world.steward, release)


# -- downloads ------------------------------------------------------------------------------


def test_only_the_recipients_named_people_download_until_the_terms_end(
    transactional_db, data_world, dataset, agreement, data_dir
):
    w = data_world.world
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    worker()
    release.refresh_from_db()
    path = atomic(services.download, data_world.researcher, release)
    assert path.read_bytes()[:4] == b"PAR1"
    for outsider, message in (
        (w.partner_member, "named in the approved request"),  # same company, not named
        (data_world.steward, "organisation that receives"),  # the owner's steward
    ):
        with pytest.raises(Denied, match=message):
            atomic(services.download, outsider, release)
    assert Download.objects.filter(release=release).count() == 1
    event = AuditEvent.objects.get(action="release.download")
    assert event.summary["sha256"] == release.manifest["outputs"]["output"]["sha256"]
    Release.objects.filter(pk=release.pk).update(expires_on=clock.now().date().replace(year=2020))
    release.refresh_from_db()
    with pytest.raises(Conflict, match="terms of this release ended"):
        atomic(services.download, data_world.researcher, release)


# -- withdrawal traced into past releases ----------------------------------------------------


def test_withdrawal_reaches_past_releases_and_the_next_release_leaves_the_patient_out(
    transactional_db, data_world, dataset, agreement, data_dir, client_for
):
    w = data_world.world
    nhs = numbers(data_dir)
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, first = atomic(services.review_request, data_world.steward, made, verdict="approve")
    worker()
    first.refresh_from_db()
    assert first.status == JobStatus.SUCCEEDED
    assert_pycanon_confirms_k(data_dir, first)
    # Pick two people the release contained.
    hashes = {registry.patient_hash(w.trust, n): n for n in nhs[:200]}
    inside = sorted(membership_matches(data_dir / first.files["membership"], set(hashes)))
    one, two = hashes[inside[0]], hashes[inside[1]]
    assert pseudonyms_of(first, [one]) <= set(
        released(data_dir, first).column("pseudonym").to_pylist()
    )

    # The first withdraws from use by companies (the recipient is a health-tech company).
    atomic(
        consent.record_choice,
        data_world.steward,
        w.trust,
        nhs_number=one,
        decision="deny",
        recipients="commercial",
    )
    obligation = WithdrawalObligation.objects.get()
    assert (obligation.release, obligation.recipient, obligation.patients) == (first, w.company, 1)
    assert obligation.acknowledged_at is None and obligation.due_on > clock.now().date()
    # The second is on a national opt-out list: the same obligation grows.
    atomic(consent.import_optouts, data_world.steward, w.trust, content=f"{two}\n")
    obligation.refresh_from_db()
    assert obligation.patients == 2 and WithdrawalObligation.objects.count() == 1
    # A withdrawal from another partnership does not reach this release.
    third = hashes[inside[2]]
    other = factories.PartnershipFactory(slug="other-p")
    factories.PartyFactory(partnership=other, organisation=w.trust)
    atomic(
        consent.record_choice,
        data_world.steward,
        w.trust,
        nhs_number=third,
        decision="deny",
        partnership=other.slug,
    )
    obligation.refresh_from_db()
    assert obligation.patients == 2
    # Both parties see it, and the indicator counts it.
    from carepact.core.indicators import read

    assert read(w.partnership, "open_obligations").value >= 1
    page = client_for(data_world.researcher).get("/p/scan-triage/data/obligations/")
    assert b"Confirm" in page.content
    events = AuditEvent.objects.filter(action__in=["obligation.create", "obligation.extend"])
    assert events.count() == 2 and not any(
        n in json.dumps(list(events.values_list("message", "summary"))) for n in (one, two)
    )

    # Replacing needs a newer release: release again; the withdrawn people are absent.
    with pytest.raises(Conflict, match="no newer release"):
        atomic(services.acknowledge, data_world.researcher, obligation, action="replaced")
    second = atomic(services.start_release, data_world.steward, made)
    worker()
    second.refresh_from_db()
    assert second.status == JobStatus.SUCCEEDED
    out = set(released(data_dir, second).column("pseudonym").to_pylist())
    assert not out & pseudonyms_of(second, [one, two])
    assert not membership_matches(
        data_dir / second.files["membership"],
        {registry.patient_hash(w.trust, one), registry.patient_hash(w.trust, two)},
    )
    assert second.consent_exclusions >= 2
    assert_pycanon_confirms_k(data_dir, second)

    atomic(
        services.acknowledge,
        data_world.researcher,
        obligation,
        action="replaced",
        note="Replaced in our environment.",
    )
    obligation.refresh_from_db()
    first.refresh_from_db()
    assert obligation.action == "replaced" and first.retired_at is not None
    with pytest.raises(Conflict, match="deleted or replaced"):
        atomic(services.download, data_world.researcher, first)
    # A later withdrawal no longer reaches the retired release, only the new one.
    atomic(
        consent.record_choice,
        data_world.steward,
        w.trust,
        nhs_number=hashes[inside[3]],
        decision="deny",
    )
    assert not WithdrawalObligation.objects.filter(release=first, acknowledged_at__isnull=True)


def test_the_patient_page_lists_the_partnership_that_used_their_data(
    transactional_db, data_world, dataset, agreement, data_dir, client_for
):
    from carepact.consent import patients

    w = data_world.world
    nhs = numbers(data_dir)
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    worker()
    release.refresh_from_db()
    hashes = {registry.patient_hash(w.trust, n): n for n in nhs[:100]}
    patient = sorted(membership_matches(data_dir / release.files["membership"], set(hashes)))[0]
    with transaction.atomic():
        code, _ = patients.issue_code(data_world.steward, w.trust, patient=patient)
    client = client_for(None)
    client.post("/patient/", {"code": code})
    page = client.get("/patient/choices/").content.decode()
    assert "Scan triage" in page and "Brightscan AI" in page and "a company" in page
    client.post("/patient/choices/", {"scope": "commercial"})
    assert WithdrawalObligation.objects.get().recipient == w.company
    page = client.get("/patient/choices/").content.decode()
    assert "You have withdrawn from commercial use" in page
    assert "they must delete or replace it" in page
