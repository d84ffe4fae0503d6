"""Reading FHIR Consent and opt-out lists: what is taken, what is refused and why."""

import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from fhir.resources.R4B.consent import Consent

from carepact.consent import fhir
from carepact.consent.optouts import NotAList, read_optouts
from tests.integration.consent.nhs import invalid, valid

OBSERVATION = {"meaning": "instance", "reference": {"reference": "Observation/1"}}


def consent(**changes):
    resource = {
        "resourceType": "Consent",
        "id": "c-1",
        "status": "active",
        "scope": {"coding": [fhir.SCOPE]},
        "category": [{"coding": [fhir.CATEGORY]}],
        "patient": {"identifier": {"system": fhir.NHS_NUMBER_SYSTEM, "value": valid(1)}},
        "dateTime": "2026-02-03T10:00:00Z",
        "policyRule": {"coding": [{"system": fhir.ACT_CODE, "code": "OPTOUT"}]},
        "provision": {"type": "deny"},
    }
    resource.update(changes)
    return resource


def test_a_deny_with_purposes_recipients_partnership_and_period_is_read():
    read = fhir.read_consent(
        consent(
            provision={
                "type": "deny",
                "period": {"start": "2026-01-01", "end": "2026-12-31"},
                "purpose": [
                    {"system": fhir.PURPOSE_SYSTEM, "code": "DS:MONDO:0005148"},
                    {"system": fhir.DUO_SYSTEM, "code": "DUO:0000011"},
                ],
                "extension": [
                    {"url": fhir.EXT_RECIPIENTS, "valueCode": "commercial"},
                    {"url": fhir.EXT_PARTNERSHIP, "valueString": "eastmoor"},
                ],
            }
        )
    )
    assert (read.decision, read.nhs_number, read.recipients, read.partnership) == (
        "deny",
        valid(1),
        "commercial",
        "eastmoor",
    )
    assert read.purposes == ["DS:MONDO:0005148", "POA"]
    assert (read.period_start, read.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert read.recorded_at == datetime(2026, 2, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"resourceType": "Patient"}, "it is a Patient, not a Consent"),
        ({"status": "draft"}, "status is draft"),
        ({"scope": None}, "not a valid FHIR R4 Consent: scope"),
        ({"provision": {}}, "provision.type must say permit or deny"),
        (
            {"patient": {"identifier": {"system": fhir.NHS_NUMBER_SYSTEM, "value": invalid(1)}}},
            "check digit does not match",
        ),
        ({"patient": {"identifier": {"system": "urn:other", "value": "x"}}}, "system must be"),
        (
            {"provision": {"type": "deny", "purpose": [{"system": "urn:x", "code": "HMB"}]}},
            "provision.purpose",
        ),
        (
            {"provision": {"type": "permit", "data": [OBSERVATION]}},
            "a permit limited to particular data",
        ),
        (
            {"provision": {"type": "deny", "provision": [{"type": "permit"}]}},
            "nested provisions",
        ),
    ],
)  # fmt: skip
def test_a_consent_that_cannot_be_enforced_is_refused_with_a_reason(changes, reason):
    resource = consent(**changes)
    resource = {k: v for k, v in resource.items() if v is not None}
    with pytest.raises(ValueError, match=reason) as caught:
        fhir.read_consent(resource)
    assert invalid(1) not in str(caught.value) and valid(1) not in str(caught.value)


def test_entries_come_from_a_bundle_a_resource_or_ndjson():
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": consent()}, {}],
    }
    entries = fhir.read_entries(json.dumps(bundle))
    assert [(e.position, e.problem) for e in entries] == [
        ("entry 1", None),
        ("entry 2", "the entry holds no resource"),
    ]
    assert [e.position for e in fhir.read_entries(json.dumps(consent()))] == ["resource"]
    ndjson = f"{json.dumps(consent())}\nnot json\n\n{json.dumps({'a': 1})}\n"
    assert [(e.position, e.problem) for e in fhir.read_entries(ndjson)] == [
        ("line 1", None),
        ("line 2", "the line is not JSON"),
        ("line 4", "the line is not a FHIR resource"),
    ]


@pytest.mark.parametrize("text", ["", "hello", "nhs_number\n9000000009\n", '{"a": 1}', "[1, 2]"])
def test_a_file_that_is_not_fhir_at_all_is_refused_whole(text):
    with pytest.raises(fhir.NotFhir):
        fhir.read_entries(text)


def test_an_exported_record_is_a_valid_consent_that_reads_back_the_same():
    record = SimpleNamespace(
        record_id="0b8f6a52-6a0c-4f53-9f5e-3f2b1a8c9d10",
        patient="ab" * 32,
        decision="deny",
        purposes=["HMB"],
        recipients="commercial",
        period_start=date(2026, 1, 1),
        period_end=None,
        recorded_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
        source="patient",
    )
    resource = fhir.to_resource(record, key_id="k" * 16, partnership_slug="eastmoor")
    Consent.model_validate(resource)
    read = fhir.read_consent(resource)
    assert (read.record_id, read.patient_hash, read.hash_key_id, read.nhs_number) == (
        record.record_id,
        record.patient,
        "k" * 16,
        None,
    )
    assert (read.decision, read.purposes, read.recipients, read.partnership, read.source) == (
        "deny",
        ["HMB"],
        "commercial",
        "eastmoor",
        "patient",
    )
    assert (read.period_start, read.period_end, read.recorded_at) == (
        record.period_start,
        None,
        record.recorded_at,
    )


def test_an_opt_out_list_reports_bad_lines_by_number_without_their_values():
    spaced = f"{valid(3)[:3]} {valid(3)[3:6]} {valid(3)[6:]}"
    text = f"nhs_number\n{valid(1)}\n{invalid(2)}\n\n123\n{spaced}\n{valid(1)}\n"
    read = read_optouts(text.encode())
    assert read.numbers == [(2, valid(1)), (6, valid(3))]
    assert read.rejections == [
        {"at": "line 3", "reason": "the NHS number's check digit does not match"},
        {"at": "line 5", "reason": "an NHS number has ten digits"},
    ]
    assert read.skips == [{"at": "line 7", "reason": "the same number is on line 2"}]
    assert read.entries == 5


def test_an_opt_out_list_may_have_several_columns():
    read = read_optouts(f"date,NHS Number\n2026-01-01,{valid(4)}\n")
    assert read.numbers == [(2, valid(4))]


def test_binary_is_not_an_opt_out_list():
    with pytest.raises(NotAList):
        read_optouts(b"\xff\xfe\x00\x01")
