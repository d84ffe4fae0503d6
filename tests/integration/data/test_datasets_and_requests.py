"""Datasets (registration, columns, profiling as a job), terms and their policies, access
requests decided at once by the policy and reviewed by one or two stewards."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.data import policies, services
from carepact.data.models import AccessRequest, Dataset, JobStatus, Review
from tests.integration.data.conftest import DATASET, REQUEST, atomic


def worker():
    call_command("worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())


# -- datasets --------------------------------------------------------------------------------


def test_a_steward_registers_a_dataset_and_profiling_is_queued(
    data_world, patients_file, django_capture_on_commit_callbacks
):
    w = data_world.world
    with django_capture_on_commit_callbacks() as queued:
        found = atomic(
            services.register_dataset,
            data_world.steward,
            w.partnership,
            owner=w.trust,
            name="Scans",
            location=patients_file,
            patient_id_column="nhs_number",
        )
    assert len(queued) == 1 and found.profile_status == JobStatus.QUEUED
    roles = {c["name"]: c["role"] for c in found.columns}
    assert roles["nhs_number"] == "direct_identifier"
    assert roles["age"] == roles["postcode"] == "quasi_identifier"
    assert roles["diagnosis"] == "sensitive"
    event = AuditEvent.objects.get(action="dataset.register")
    assert event.summary == {"dataset": found.slug, "owner": w.trust.slug, "columns": 9}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"location": "../etc/passwd"}, "inside the data directory"),
        ({"location": "missing.parquet"}, "cannot read the dataset"),
        ({"patient_id_column": "nhs"}, "no such column"),
    ],
)
def test_registration_checks_the_location_and_the_identifier(
    data_world, patients_file, change, error
):
    w = data_world.world
    fields = dict(
        owner=w.trust, name="Scans", location=patients_file, patient_id_column="nhs_number"
    )
    fields.update(change)
    with pytest.raises(Invalid, match=error):
        atomic(services.register_dataset, data_world.steward, w.partnership, **fields)


def test_only_a_steward_of_the_owner_registers_and_manages(data_world, dataset):
    w = data_world.world
    with pytest.raises(Denied, match="data steward"):
        atomic(
            services.register_dataset,
            w.lead,
            w.partnership,
            owner=w.trust,
            name="X",
            location="northgate/scans.parquet",
            patient_id_column="nhs_number",
        )
    with pytest.raises(Denied, match="owns this dataset"):
        atomic(services.draft_terms, data_world.researcher, dataset, permission="GRU")


def test_column_roles_are_checked(data_world, dataset):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.set_columns,
            data_world.steward,
            dataset,
            columns={
                "nhs_number": {"role": "other"},
                "age": {"role": "quasi_identifier", "hierarchy": "numeric"},
                "nope": {"role": "other"},
            },
        )
    assert set(caught.value.errors) == {"nhs_number", "age", "nope"}


def test_profiling_runs_as_a_job_and_keeps_counts_only(transactional_db, data_world, dataset):
    worker()
    dataset.refresh_from_db()
    assert dataset.profile_status == JobStatus.SUCCEEDED and dataset.row_count == 3000
    by_name = {c["name"]: c for c in dataset.profile["columns"]}
    assert by_name["nhs_number"]["missing"] == 0
    assert by_name["sex"]["distinct"] == 3  # F, M, U: a quasi-identifier is counted exactly
    assert by_name["postcode"]["rare_values"] > 0  # many districts hold fewer than k people
    assert set(by_name["age"]) == {
        "name",
        "type",
        "missing",
        "distinct",
        "rare_values",
        "rows_in_rare_values",
    }
    assert AuditEvent.objects.filter(action="dataset.profiled").exists()


def test_profiling_that_cannot_read_the_data_fails_with_the_reason(
    transactional_db, data_world, dataset, data_dir
):
    (data_dir / "datasets" / "northgate" / "scans.parquet").write_bytes(b"not parquet")
    worker()
    dataset.refresh_from_db()
    assert dataset.profile_status == JobStatus.FAILED
    assert "cannot be read" in dataset.profile_error


# -- terms and policies ----------------------------------------------------------------------


def test_draft_terms_compile_until_a_signed_agreement_names_the_dataset(
    data_world, dataset, agreement
):
    found = policies.governing(dataset)
    assert found.signed and "data-sharing agreement" in found.reference
    rules = [r.id.split(".")[-1] for r in found.policy.rules]
    assert rules == ["grant", "purpose", "starts", "expires", "gs", "irb"]
    assert [c.split(" (DUO")[0] for c in found.policy.conditions] == [
        "Publication required",
        "Return derived data to the resource",
    ]
    other = Dataset.objects.create(
        partnership=dataset.partnership,
        owner=dataset.owner,
        name="Other",
        slug="other",
        location="x.parquet",
        patient_id_column="nhs_number",
        draft_permission="GRU",
    )
    assert policies.governing(other).source == "draft"


def test_draft_terms_are_checked(data_world, dataset):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.draft_terms,
            data_world.steward,
            dataset,
            permission="XYZ",
            modifiers="TS:3, NCU",
            recipients=["elsewhere"],
        )
    assert set(caught.value.errors) == {"permission", "recipients", "starts_on"}


# -- requests --------------------------------------------------------------------------------


def test_an_allowed_request_records_the_policy_decision(data_world, dataset, agreement):
    made = atomic(
        services.submit_request,
        data_world.researcher,
        dataset,
        columns=["age", "sex", "diagnosis"],
        **REQUEST,
    )
    assert made.status == AccessRequest.Status.SUBMITTED
    assert made.decision["allowed"] is True
    assert [r["policy"] for r in made.decision["reasons"]] == [f"{dataset.policy_key}.grant"]
    assert len(made.decision["conditions"]) == 2
    assert made.organisation == data_world.world.company


@pytest.mark.parametrize(
    ("changes", "policy"),
    [
        ({"purpose": "HMB"}, "purpose"),  # wider than lung cancer research
        ({"ethics_reference": ""}, "irb"),  # the agreement requires ethics approval
    ],
)
def test_a_refused_request_says_why_and_records_nothing(
    data_world, dataset, agreement, changes, policy
):
    with pytest.raises(services.PolicyDenied) as caught:
        atomic(services.submit_request, data_world.researcher, dataset, **{**REQUEST, **changes})
    assert [r.policy for r in caught.value.decision.reasons] == [f"{dataset.policy_key}.{policy}"]
    assert caught.value.errors["policy"]
    assert not AccessRequest.objects.exists()


def test_an_organisation_the_agreement_does_not_name_is_refused_by_default(
    data_world, dataset, agreement
):
    with pytest.raises(services.PolicyDenied) as caught:
        atomic(services.submit_request, data_world.academic, dataset, **REQUEST)
    reason = caught.value.decision.reasons[0]
    assert reason.effect == "default" and "only Brightscan AI" in reason.explanation


def test_two_approvals_release_changes_resubmit_and_rejection(
    data_world, dataset, agreement, django_capture_on_commit_callbacks
):
    atomic(services.update_dataset, data_world.steward, dataset, approvals_required=2)
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    with pytest.raises(Invalid, match="Say why"):
        atomic(services.review_request, data_world.steward, made, verdict="changes")
    atomic(
        services.review_request,
        data_world.steward,
        made,
        verdict="changes",
        note="Ask only for the columns you need.",
    )
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.CHANGES
    with pytest.raises(Conflict):
        atomic(services.review_request, data_world.second_steward, made, verdict="approve")
    atomic(services.resubmit_request, data_world.researcher, made, columns=["age", "diagnosis"])
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.SUBMITTED and made.columns == ["age", "diagnosis"]
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    assert release is None and made.reviews.filter(round=2).count() == 1
    with pytest.raises(Conflict, match="already approved"):
        atomic(services.review_request, data_world.steward, made, verdict="approve")
    with django_capture_on_commit_callbacks() as queued:
        _, release = atomic(
            services.review_request, data_world.second_steward, made, verdict="approve"
        )
    made.refresh_from_db()
    assert (
        made.status == AccessRequest.Status.APPROVED
        and made.decided_by == data_world.second_steward
    )
    assert release.status == JobStatus.QUEUED and len(queued) == 1
    assert release.expires_on.isoformat() == "2028-12-31"
    other = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    atomic(services.review_request, data_world.steward, other, verdict="reject", note="Duplicate.")
    other.refresh_from_db()
    assert (other.status, other.reason) == (AccessRequest.Status.REJECTED, "Duplicate.")
    assert [r.verdict for r in Review.objects.filter(request=made)] == [
        "changes",
        "approve",
        "approve",
    ]


def test_without_a_signed_agreement_an_approval_stands_but_nothing_is_released(data_world, dataset):
    atomic(
        services.draft_terms,
        data_world.steward,
        dataset,
        permission="HMB",
        recipients=[data_world.world.company.slug],
    )
    made = atomic(
        services.submit_request, data_world.researcher, dataset, **{**REQUEST, "purpose": "HMB"}
    )
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    assert release is None
    assert "no signed data-sharing agreement" in services.release_refusal(made)


def test_requesters_cannot_review_their_own_and_observers_cannot_ask(
    data_world, dataset, agreement
):
    w = data_world.world
    with pytest.raises(Denied, match="other than observer"):
        atomic(services.submit_request, w.observer, dataset, **REQUEST)
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    with pytest.raises(Denied, match="owns this dataset"):
        atomic(services.review_request, data_world.researcher, made, verdict="approve")


def test_turnaround_by_dataset_and_by_party(data_world, dataset, agreement):
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    atomic(services.review_request, data_world.steward, made, verdict="reject", note="No.")
    report = services.turnaround(dataset.partnership)
    (by_dataset,) = report["dataset"]
    (by_party,) = report["party"]
    assert (by_dataset.label, by_dataset.decided, by_dataset.open) == (DATASET, 1, 1)
    assert by_party.label == "Brightscan AI" and by_party.median_days == 0.0


def test_the_policy_page_and_api_show_the_same_policies(data_world, dataset, agreement, client_for):
    client = client_for(data_world.academic)
    page = client.get(
        f"/p/scan-triage/data/policies/?dataset={dataset.slug}&organisation=eastgate&purpose=HMB"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "The policy does not allow this." in text and "only Brightscan AI" in text
    assert "forbid (" in text  # the Cedar text is readable by every party
    api = client.get("/api/v1/partnerships/scan-triage/data/policies").json()
    (item,) = api
    assert item["source"] == "agreement" and item["cedar"].count("@id(") == len(item["rules"])
    answer = client.post(
        f"/api/v1/partnerships/scan-triage/data/datasets/{dataset.slug}/decide",
        json.dumps(
            {
                "purpose": "DS:MONDO:0008903",
                "organisation": "brightscan",
                "ethics_reference": "IRAS 1",
            }
        ),
        content_type="application/json",
    ).json()
    assert answer["allowed"] is True and answer["conditions"]
