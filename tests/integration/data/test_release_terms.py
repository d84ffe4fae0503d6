"""A release is checked against the signed terms every time data could leave, not only when
it is queued: when a failed release is run again, when the job starts, and before the job
keeps what the engine wrote. A refused job fails cleanly and leaves no files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carepact.agreements import services as agreements
from carepact.core import clock
from carepact.core.errors import Conflict
from carepact.core.models import AuditEvent
from carepact.data import services
from carepact.data.models import JobStatus
from carepact.data.services import releases as release_services
from tests import factories
from tests.integration.agreements.helpers import dsa_clauses
from tests.integration.data.conftest import REQUEST, atomic
from tests.integration.data.test_releases import worker

AFTER_THE_TERMS = datetime(2029, 1, 2, 12, tzinfo=UTC)  # the test DSA's use ends 2028-12-31


def approved_release(data_world, dataset):
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    assert release.status == JobStatus.QUEUED
    return release


def supersede_without_the_dataset(w, agreement):
    """Amend the DSA so that it no longer names the dataset, and sign the amendment."""
    atomic(agreements.start_amendment, w.partner_admin, agreement, reason="Scans are out of scope.")
    parameters = dict(dsa_clauses(w.trust.slug, [w.company.slug])["data-use-duo"])
    parameters["datasets"] = "Outcomes registry"
    proposal = atomic(
        agreements.propose,
        w.partner_admin,
        agreement,
        family="data-use",
        parameters=parameters,
        comment="We no longer need the scans.",
    )
    atomic(agreements.respond, w.lead, proposal, answer="accept")
    atomic(agreements.send_for_signature, w.lead, agreement)
    atomic(agreements.sign, w.lead, agreement, password=factories.PASSWORD)
    atomic(agreements.sign, w.partner_admin, agreement, password=factories.PASSWORD)
    assert agreements.covering_terms(w.partnership, "Scan triage extract", w.company) is None


def assert_failed_cleanly(data_dir, release, *, reason: str):
    release.refresh_from_db()
    assert release.status == JobStatus.FAILED, release.error
    assert release.error.startswith("the terms no longer allow this release.")
    assert reason in release.error
    assert release.files == {} and not release.released
    assert not (data_dir / "releases" / str(release.pk)).exists()
    leftovers = list((data_dir / "releases").rglob("*")) if (data_dir / "releases").exists() else []
    assert leftovers == []
    assert not AuditEvent.objects.filter(action="release.complete", object_id=str(release.pk))
    assert AuditEvent.objects.filter(action="release.fail").latest("pk").summary["error"] == (
        release.error
    )


def test_a_job_that_runs_after_the_terms_ended_is_refused_and_cannot_be_run_again(
    transactional_db, data_world, dataset, agreement, data_dir, client_for
):
    release = approved_release(data_world, dataset)
    with clock.travel(AFTER_THE_TERMS):
        worker()
        assert_failed_cleanly(data_dir, release, reason="the permitted use ended on 2028-12-31")
        with pytest.raises(Conflict, match=r"cannot run again: .*ended on 2028-12-31"):
            atomic(services.retry_release, data_world.steward, release)
        release.refresh_from_db()
        assert release.status == JobStatus.FAILED
        # The page says why, and the button answers with the reason rather than queueing.
        steward = client_for(data_world.steward)
        url = f"/p/scan-triage/data/releases/{release.pk}/"
        page = steward.get(url).content.decode()
        assert "The release failed" in page and "ended on 2028-12-31" in page
        answer = steward.post(url + "retry/")
        assert answer.status_code == 409
        assert "ended on 2028-12-31" in answer.content.decode()
    release.refresh_from_db()
    assert release.status == JobStatus.FAILED and release.attempts == 1
    assert not AuditEvent.objects.filter(action="release.retry")


def test_a_failed_release_is_not_run_again_once_the_agreement_is_superseded(
    transactional_db, data_world, dataset, agreement, data_dir
):
    w = data_world.world
    release = approved_release(data_world, dataset)
    type(dataset).objects.filter(pk=dataset.pk).update(k=10**6)  # the engine refuses
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.FAILED and "k (1000000)" in release.error
    type(dataset).objects.filter(pk=dataset.pk).update(k=5)
    supersede_without_the_dataset(w, agreement)
    with pytest.raises(Conflict, match=r"cannot run again: .*not among those the agreement covers"):
        atomic(services.retry_release, data_world.steward, release)
    release.refresh_from_db()
    assert release.status == JobStatus.FAILED and "k (1000000)" in release.error


def test_a_queued_job_is_refused_when_the_agreement_was_superseded_meanwhile(
    transactional_db, data_world, dataset, agreement, data_dir
):
    w = data_world.world
    release = approved_release(data_world, dataset)
    supersede_without_the_dataset(w, agreement)  # before a worker picks the job up
    worker()
    assert_failed_cleanly(data_dir, release, reason="not among those the agreement covers")


def test_terms_ending_while_the_engine_runs_leave_no_files(
    transactional_db, data_world, dataset, agreement, data_dir, monkeypatch
):
    release = approved_release(data_world, dataset)
    real = release_services.run_release
    written = []

    def slow_engine(*args, **kwargs):
        result = real(*args, **kwargs)
        written.append(sorted(p.name for p in release_services.release_dir(release).iterdir()))
        clock.tick(AFTER_THE_TERMS - clock.now())  # the run outlasts the terms
        return result

    monkeypatch.setattr(release_services, "run_release", slow_engine)
    with clock.travel(AFTER_THE_TERMS - timedelta(days=2)):
        worker()
    assert written and len(written[0]) == 5  # the engine did write output, report, manifest...
    assert_failed_cleanly(data_dir, release, reason="the permitted use ended on 2028-12-31")


def test_a_retry_within_the_terms_records_the_terms_in_force(
    transactional_db, data_world, dataset, agreement, data_dir
):
    release = approved_release(data_world, dataset)
    type(dataset).objects.filter(pk=dataset.pk).update(k=10**6)
    worker()
    type(dataset).objects.filter(pk=dataset.pk).update(k=5)
    release.refresh_from_db()
    atomic(services.retry_release, data_world.steward, release)
    event = AuditEvent.objects.get(action="release.retry")
    assert event.summary["agreement"] == agreement.pk and event.summary["agreement_version"] == 1
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED and release.attempts == 2
    assert str(release.expires_on) == "2028-12-31"
    complete = AuditEvent.objects.get(action="release.complete")
    assert complete.summary["agreement"] == agreement.pk
