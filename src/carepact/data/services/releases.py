"""Releases: an approved request becomes a job that runs the release engine with the
consent registry's exclusions as of that moment and the spec the terms allow, stores the
output under the data directory, and keeps the manifest and report. Only the recipient's
named people may download it, until the terms expire; every download is audited."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from carepact.accounts.models import INDUSTRY_KINDS, User
from carepact.agreements.services import check_release_allowed
from carepact.consent import registry as consent_registry
from carepact.consent import services as consent
from carepact.consent.choices import Use
from carepact.core import audit, clock, keys
from carepact.core.errors import Conflict, Denied, NotFound
from carepact.engine.release import ReleaseError, run_release
from carepact.partnerships.models import Partnership

from .. import locations, policies
from ..models import AccessRequest, ColumnRole, Dataset, Download, JobStatus, Release
from ..rules import DataAction, data_access
from .requests import named_people

logger = logging.getLogger("carepact.data.releases")


def releases_of(partnership: Partnership) -> QuerySet[Release]:
    return Release.objects.filter(partnership=partnership).select_related(
        "dataset", "dataset__owner", "recipient", "request", "request__requester"
    )


def get_release(actor: User, partnership: Partnership, release_id: int) -> Release:
    found = (
        Release.objects.visible_to(actor)
        .filter(partnership=partnership, pk=release_id)
        .select_related(
            "dataset",
            "dataset__owner",
            "dataset__partnership",
            "recipient",
            "request",
            "request__requester",
            "partnership",
        )
        .first()
    )
    if found is None:
        raise NotFound("No such release in this partnership.")
    return found


def pseudonym_key(dataset: Dataset, recipient) -> bytes:
    """Each (dataset, recipient) has its own key: recipients cannot link their pseudonyms."""
    return keys.derive(f"pseudonym:dataset:{dataset.pk}:org:{recipient.pk}")


def release_dir(release: Release) -> Path:
    return Path(settings.DATA_DIR) / "releases" / str(release.pk)


def is_commercial(organisation) -> bool:
    return organisation.kind in INDUSTRY_KINDS


def build_spec(release: Release) -> dict[str, Any]:
    """The engine's spec: the dataset's default spec, narrowed to the requested columns.

    Direct identifiers are always dropped; the patient identifier becomes the pseudonym.
    """
    dataset, request = release.dataset, release.request
    wanted = set(request.columns or dataset.releasable_columns)
    quasi, sensitive, keep = {}, {}, []
    for column in dataset.columns:
        name, role = column["name"], column.get("role")
        if name not in wanted or name == dataset.patient_id_column:
            continue
        if role == ColumnRole.QUASI:
            entry: dict[str, Any] = {"hierarchy": column.get("hierarchy") or "none"}
            if entry["hierarchy"] == "categorical":
                entry["file"] = str(locations.root() / column["hierarchy_file"])
            if entry["hierarchy"] == "numeric":
                entry["widths"] = column.get("widths") or []
            quasi[name] = entry
        elif role == ColumnRole.SENSITIVE:
            sensitive[name] = {"l": dataset.l_diversity} if dataset.l_diversity else {}
        elif role == ColumnRole.OTHER:
            keep.append(name)
    if not quasi:
        raise ReleaseError(
            "the release names no quasi-identifier; the data steward must mark them first"
        )
    source = locations.source_for(dataset.location)
    spec: dict[str, Any] = {
        "input": {"path": str(source.path)}
        if source.path
        else {"duckdb": str(source.duckdb), "table": source.table},
        "output": str(release_dir(release) / f"{dataset.slug}-release-{release.pk}.parquet"),
        "patient_id": {"column": dataset.patient_id_column, "kind": "nhs_number"},
        "drop": dataset.columns_with(ColumnRole.DIRECT),
        "quasi_identifiers": quasi,
        "sensitive": sensitive,
        "keep": keep,
        "privacy": {"k": dataset.k, "suppression_limit": dataset.suppression_limit},
    }
    if sensitive and dataset.l_diversity:
        spec["privacy"]["l"] = dataset.l_diversity
    return spec


def release_refusal(request: AccessRequest) -> str | None:
    """Why the approved request cannot be released now (agreement or policy), or None."""
    try:
        _covering(request)
    except Conflict as exc:
        return exc.reason
    return None


def _current_terms(request: AccessRequest):
    """The covering terms and policy now, for a release queued, run again, or run by the job
    (before the engine starts and again before its result is kept); Conflict if none."""
    if request.status != AccessRequest.Status.APPROVED:
        raise Conflict("The request is no longer approved.")
    return _covering(request)


def _terms_fields(signed, found) -> dict:
    """What a release keeps of the terms that cover it."""
    return {"terms_reference": found.reference if found else "", "expires_on": signed.expires_on}


def _terms_summary(signed) -> dict:
    """The signed agreement behind a release, for its audit events."""
    return {
        "agreement": signed.agreement_id,
        "agreement_version": signed.version,
        "agreement_sha256": signed.fingerprint,
    }


def _covering(request: AccessRequest):
    """The signed terms and the policy's answer for releasing the request; Conflict if not."""
    dataset = request.dataset
    signed = check_release_allowed(
        request.partnership,
        dataset=dataset.name,
        recipient=request.organisation,
        on=policies.today(),
    )
    decision, found = policies.ask(
        dataset,
        action="receive",
        organisation=request.organisation,
        purpose=request.purpose,
        commercial_use=request.commercial_use,
        ethics_reference=request.ethics_reference,
        project=request.project,
    )
    if not decision.allowed:
        raise Conflict(
            "The policy does not let the recipient receive this data: "
            + " ".join(r.explanation for r in decision.reasons)
        )
    return signed, found


def start_release(actor: User, request: AccessRequest) -> Release:
    """Queue a release of an approved request (again, for a fresh copy without patients who
    withdrew since). Refused unless a signed agreement covers it and its policy lets the
    recipient receive the data."""
    dataset = request.dataset
    data_access(actor, request.partnership).check(DataAction.RELEASE, owner_id=dataset.owner_id)
    if request.status != AccessRequest.Status.APPROVED:
        raise Conflict("Only an approved request can be released.")
    if request.releases.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        raise Conflict("A release of this request is already queued or running.")
    signed, found = _covering(request)
    now = clock.now()
    release = Release.objects.create(
        partnership=request.partnership,
        dataset=dataset,
        request=request,
        recipient=request.organisation,
        status=JobStatus.QUEUED,
        **_terms_fields(signed, found),
        created_by=actor,
        created_at=now,
    )
    audit.record(
        actor,
        action="release.queue",
        obj=release,
        partnership=request.partnership,
        organisation=dataset.owner,
        message=f"{actor} queued a release of {dataset} for {request.organisation}.",
        summary={
            "dataset": dataset.slug,
            "recipient": request.organisation.slug,
            "request": request.pk,
            **_terms_summary(signed),
        },
    )
    _enqueue(release)
    return release


def _enqueue(release: Release) -> None:
    from ..tasks import run_release_job

    pk = release.pk
    transaction.on_commit(lambda: run_release_job.enqueue(pk))


def retry_release(actor: User, release: Release) -> Release:
    """Run a failed release again, from the start. Refused, as a first release would be,
    unless a signed agreement still covers it today and its policy still lets the recipient
    receive the data (the agreement may have ended or been superseded since)."""
    data_access(actor, release.partnership).check(
        DataAction.RELEASE, owner_id=release.dataset.owner_id
    )
    if release.status != JobStatus.FAILED:
        raise Conflict("Only a failed release can be run again.")
    try:
        signed, found = _current_terms(release.request)
    except Conflict as exc:
        raise Conflict(f"This release cannot run again: {exc.reason}") from None
    release.status, release.error, release.stage, release.progress = JobStatus.QUEUED, "", "", 0
    terms = _terms_fields(signed, found)
    for field, value in terms.items():
        setattr(release, field, value)
    release.save(update_fields=["status", "error", "stage", "progress", *terms])
    audit.record(
        actor,
        action="release.retry",
        obj=release,
        partnership=release.partnership,
        organisation=release.dataset.owner,
        message=f"{actor} ran the failed release of {release.dataset} again.",
        summary={"attempt": release.attempts + 1, **_terms_summary(signed)},
    )
    _enqueue(release)
    return release


# -- the job ---------------------------------------------------------------------------------


class _Progress:
    """Writes the engine's progress to the release row, at most once per whole percent."""

    def __init__(self, release_id: int):
        self.release_id, self.last = release_id, None

    def __call__(self, stage: str, fraction: float) -> None:
        mark = (stage, int(fraction * 100))
        if mark != self.last:
            self.last = mark
            Release.objects.filter(pk=self.release_id).update(stage=stage, progress=fraction)


def execute_release(release_id: int) -> str:
    """The release job: claim the row, exclude whom the registry says, run the engine, and
    record the outcome. A failure leaves no output behind and says why."""
    with transaction.atomic():
        release = (
            Release.objects.select_for_update()
            .select_related("dataset", "dataset__owner", "request", "recipient", "partnership")
            .get(pk=release_id)
        )
        if release.status != JobStatus.QUEUED:
            return release.status  # already run, or retried and picked up elsewhere
        release.status, release.attempts = JobStatus.RUNNING, release.attempts + 1
        release.started_at, release.stage, release.progress = clock.now(), "consent", 0.0
        release.save(update_fields=["status", "attempts", "started_at", "stage", "progress"])
    dataset, owner, recipient = release.dataset, release.dataset.owner, release.recipient
    folder = release_dir(release)
    # The job may run long after it was queued: the terms are checked again now, before
    # anything is read or written, and once more before the result is kept.
    try:
        _current_terms(release.request)
    except Conflict as exc:
        return _failed(release, _refused(exc.reason), folder)
    try:
        spec = build_spec(release)
        use = Use(
            release.partnership_id,
            is_commercial(recipient),
            release.request.purpose,
            policies.today(),
        )
        excluded = consent.exclusions_for(owner, use)
        registry_key = consent_registry.registry_key(owner)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        result = run_release(
            spec,
            key=pseudonym_key(dataset, recipient),
            excluded_hashes=excluded.patients,
            hash_key=registry_key,
            membership_key=registry_key,
            progress=_Progress(release.pk),
        )
    except ReleaseError as exc:
        return _failed(release, str(exc), folder)
    except Exception as exc:  # a bug or the machine; the row says so, the log has the type
        logger.error("release %s failed unexpectedly: %s", release.pk, type(exc).__name__)
        return _failed(
            release,
            f"the release stopped unexpectedly ({type(exc).__name__}); the operator's log "
            "has the details. Run it again once the cause is fixed.",
            folder,
        )
    base = Path(settings.DATA_DIR)
    files = {
        name: str(Path(path).relative_to(base))
        for name, path in (
            ("output", result.output),
            ("report_json", result.report_json),
            ("report_html", result.report_html),
            ("manifest", result.manifest),
            ("membership", result.membership),
        )
    }
    manifest = json.loads(Path(result.manifest).read_text(encoding="utf-8"))
    try:
        signed, found = _current_terms(release.request)
    except Conflict as exc:  # the terms ended (or were superseded) while the engine ran
        return _failed(release, _refused(exc.reason), folder)
    with transaction.atomic():
        release.refresh_from_db()
        for field, value in _terms_fields(signed, found).items():
            setattr(release, field, value)
        release.status, release.stage, release.progress = JobStatus.SUCCEEDED, "done", 1.0
        release.spec, release.files, release.manifest = _public_spec(spec), files, manifest
        release.report = result.report
        release.rows_in, release.excluded_by_consent = result.rows_in, result.excluded_by_consent
        release.suppressed, release.released = result.suppressed, result.released
        release.k_achieved = result.k_achieved
        release.consent_exclusions = len(excluded.patients)
        release.consent_as_of = excluded.as_of
        release.pseudonym_key_id = keys.key_id(pseudonym_key(dataset, recipient))
        release.membership_key_id = excluded.key_id
        release.finished_at = clock.now()
        release.save()
        audit.record(
            None,
            action="release.complete",
            obj=release,
            partnership=release.partnership,
            organisation=owner,
            message=f"The release of {dataset} for {recipient} finished: "
            f"{result.released:,} rows, k = {result.k_achieved}.",
            summary={
                "rows_in": result.rows_in,
                "excluded_by_consent": result.excluded_by_consent,
                "suppressed": result.suppressed,
                "released": result.released,
                "k": result.k_achieved,
                "output_sha256": manifest["outputs"]["output"]["sha256"],
                "consent_as_of": excluded.as_of.isoformat(),
                **_terms_summary(signed),
            },
        )
    return JobStatus.SUCCEEDED


def _refused(reason: str) -> str:
    return f"the terms no longer allow this release. {reason}"


def _public_spec(spec: dict) -> dict:
    """The spec as kept with the release: column choices and the privacy model, no paths."""
    return {k: v for k, v in spec.items() if k not in ("input", "output")}


def _failed(release: Release, reason: str, folder: Path) -> str:
    shutil.rmtree(folder, ignore_errors=True)
    with transaction.atomic():
        Release.objects.filter(pk=release.pk).update(
            status=JobStatus.FAILED, error=reason, finished_at=clock.now(), files={}
        )
        audit.record(
            None,
            action="release.fail",
            obj=release,
            partnership=release.partnership,
            organisation=release.dataset.owner,
            message=f"The release of {release.dataset} for {release.recipient} failed: {reason}",
            summary={"error": reason, "attempt": release.attempts},
        )
    return JobStatus.FAILED


# -- downloads -------------------------------------------------------------------------------


def _state_refusal(release: Release) -> str | None:
    if release.status != JobStatus.SUCCEEDED:
        return "The release has not finished."
    if release.retired_at:
        return "The recipient has deleted or replaced this release after a withdrawal."
    if release.expires_on and policies.today() > release.expires_on:
        return f"The terms of this release ended on {release.expires_on:%-d %B %Y}."
    return None


def download_refusal(actor: User, release: Release) -> str | None:
    """Why the actor may not download the release now, or None when they may."""
    named = actor.pk in named_people(release.request)
    decision = data_access(actor, release.partnership).decide(
        DataAction.DOWNLOAD, recipient_id=release.recipient_id, named=named
    )
    return decision.reason if not decision.allowed else _state_refusal(release)


def download(actor: User, release: Release) -> Path:
    """The released table's path, for the recipient's named people only; audited."""
    named = actor.pk in named_people(release.request)
    data_access(actor, release.partnership).check(
        DataAction.DOWNLOAD, recipient_id=release.recipient_id, named=named
    )
    refusal = _state_refusal(release)
    if refusal:
        raise Conflict(refusal)
    request = release.request
    decision, _ = policies.ask(
        release.dataset,
        action="use",
        organisation=release.recipient,
        person=actor,
        purpose=request.purpose,
        commercial_use=request.commercial_use,
        ethics_reference=request.ethics_reference,
        project=request.project,
        approved_users=tuple(str(pk) for pk in named_people(request)),
    )
    if not decision.allowed:
        raise Denied(
            "The policy does not allow this use: "
            + " ".join(r.explanation for r in decision.reasons)
        )
    path = Path(settings.DATA_DIR) / release.files["output"]
    if not path.is_file():
        raise Conflict("The release's file is missing from the server; ask the data steward.")
    Download.objects.create(release=release, person=actor, at=clock.now())
    audit.record(
        actor,
        action="release.download",
        obj=release,
        partnership=release.partnership,
        organisation=release.recipient,
        message=f"{actor} ({release.recipient}) downloaded the release of {release.dataset}.",
        summary={"file": path.name, "sha256": release.manifest["outputs"]["output"]["sha256"]},
    )
    return path
