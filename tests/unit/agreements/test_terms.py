"""Data-use terms from a signed data-sharing agreement's clauses, and release checks."""

import json
from datetime import date

import pytest

from carepact.engine.agreements.terms import build_terms, dataset_key

USE = {
    "data_provider": "trust",
    "recipients": ["uni", "pharma"],
    "datasets": ["Cardiometabolic extract", "Admissions 2018-2025"],
    "purpose": "Who benefits from newer treatments",
    "permission": {"code": "HMB", "value": ""},
    "modifiers": [
        {"code": "IRB", "value": ""},
        {"code": "PUB", "value": ""},
        {"code": "RTN", "value": ""},
        {"code": "GS", "value": "GB"},
    ],
    "environment": "provider_tre",
    "geography": ["GB"],
    "expires_on": "2028-06-30",
    "report_every": {"value": 6, "unit": "months"},
}
PROTECTION = {
    "controller": "trust",
    "article6_basis": "public_task",
    "article9_condition": "research",
    "retention": {"value": 30, "unit": "days"},
    "breach_notice_hours": 24,
    "onward_sharing": "prohibited",
}
NAMES = {"trust": "Northgate NHS Trust", "uni": "Eastmoor", "pharma": "Helix"}


def terms(**clauses):
    base = {
        "data-use": ("data-use-duo", USE),
        "data-protection": ("data-protection-uk-gdpr", PROTECTION),
    }
    base.update(clauses)
    return build_terms(
        agreement_id=5,
        version=1,
        fingerprint="f" * 64,
        partnership="eastmoor",
        signed_on=date(2027, 1, 15),
        clauses=base,
        party_names=NAMES,
    )


def test_terms_carry_the_duo_codes_with_their_identifiers_and_the_lawful_basis():
    t = terms()
    assert (t.provider, t.recipients, t.regime) == ("trust", ("uni", "pharma"), "uk_gdpr")
    assert t.permission.code == "HMB" and t.permission.duo_id == "DUO:0000006"
    assert [m.code for m in t.modifiers] == ["IRB", "PUB", "RTN", "GS"]
    assert t.modifier("GS").value == "GB" and t.modifier("NCU") is None
    assert t.lawful_basis == (
        "UK GDPR Article 6(1)(e): a task in the public interest",
        "UK GDPR Article 9(2)(j): archiving, research or statistics",
    )
    assert t.retention_days_after_expiry == 30 and t.breach_notice_hours == 24


def test_obligations_are_dated_and_owned_by_each_recipient():
    t = terms()
    by_kind = {}
    for item in t.obligations:
        by_kind.setdefault(item.kind, []).append((item.due_on, item.owner))
    reports = sorted({d for d, _ in by_kind["progress_report"]})
    assert reports == [date(2027, 7, 15), date(2028, 1, 15)]  # every 6 months until expiry
    assert sorted(by_kind["publication"]) == [
        (date(2028, 6, 30), "pharma"),
        (date(2028, 6, 30), "uni"),
    ]
    assert {d for d, _ in by_kind["return_of_derived_data"]} == {date(2028, 6, 30)}
    assert {d for d, _ in by_kind["deletion"]} == {date(2028, 7, 30)}  # expiry + retention
    assert [o.due_on for o in t.obligations] == sorted(o.due_on for o in t.obligations)


def test_publication_clause_sets_the_publication_date_and_governance_the_reports():
    use = {**USE, "modifiers": [], "report_every": None}
    t = terms(
        **{
            "data-use": ("data-use-duo", use),
            "ip-publication": (
                "ip-publication",
                {"publish_within": {"value": 12, "unit": "months"}},
            ),
            "governance": (
                "governance-joint-board",
                {"report_every": {"value": 1, "unit": "years"}},
            ),
        }
    )
    kinds = {o.kind for o in t.obligations}
    assert kinds == {"progress_report", "publication", "deletion"}  # no RTN, no return
    assert {o.due_on for o in t.obligations if o.kind == "publication"} == {date(2028, 1, 15)}
    assert {o.due_on for o in t.obligations if o.kind == "progress_report"} == {date(2028, 1, 15)}


def test_hipaa_terms():
    t = terms(
        **{
            "data-protection": (
                "data-protection-hipaa",
                {"hipaa_basis": "limited_data_set", "breach_notice_days": 10},
            )
        }
    )
    assert t.regime == "hipaa" and t.breach_notice_hours == 240
    assert "limited data set" in t.lawful_basis[0]


REFUSALS = [
    # (dataset, recipient, date, words in the reason, or None when covered)
    ("cardiometabolic-extract", "uni", date(2027, 6, 1), None),  # slug matches the name
    ("Admissions 2018-2025", "pharma", date(2028, 6, 30), None),  # the last day still counts
    ("Genomes", "uni", date(2027, 6, 1), "not among"),
    ("cardiometabolic-extract", "trust", date(2027, 6, 1), "not a recipient"),
    ("cardiometabolic-extract", "uni", date(2028, 7, 1), "ended on 2028-06-30"),
    ("cardiometabolic-extract", "uni", date(2026, 12, 1), "not yet signed"),
]


@pytest.mark.parametrize(("dataset", "recipient", "on", "reason"), REFUSALS)
def test_refusal_truth_table(dataset, recipient, on, reason):
    refusal = terms().refusal(dataset=dataset, recipient=recipient, on=on)
    if reason is None:
        assert refusal is None
    else:
        assert reason in refusal


def test_as_dict_is_plain_json():
    data = json.loads(json.dumps(terms().as_dict()))
    assert data["expires_on"] == "2028-06-30" and data["permission"]["code"] == "HMB"
    assert data["obligations"][0]["due_on"] == "2027-07-15"


def test_dataset_key():
    assert dataset_key("  Northfield Cardiometabolic extract (v2) ") == (
        "northfield-cardiometabolic-extract-v2"
    )


def test_no_data_use_clause_no_terms():
    with pytest.raises(ValueError, match="no data-use clause"):
        build_terms(
            agreement_id=1,
            version=1,
            fingerprint="",
            partnership="p",
            signed_on=date(2027, 1, 1),
            clauses={},
            party_names={},
        )
