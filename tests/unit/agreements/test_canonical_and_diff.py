"""Canonical hashing of a version, and diffs between versions."""

import hashlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepact.engine.agreements import canonical, diff
from carepact.engine.agreements.diff import Change, ClauseSnapshot


def document(**overrides):
    clause = canonical.CanonicalClause(
        number=1,
        key="ip-joint",
        clause_version=1,
        family="ip-ownership",
        topic="ip",
        title="Intellectual property",
        alternative="Jointly owned",
        template="{{ nhs_share }} to the NHS party.",
        parameter_specs=[{"name": "nhs_share", "type": "percentage", "label": "Share"}],
        parameters=overrides.pop("parameters", {"nhs_share": "35"}),
    )
    fields = {
        "agreement_id": 7,
        "partnership": "scan-triage",
        "kind": "ip",
        "title": "IP",
        "version": 1,
        "amends": None,
        "parties": [{"organisation": "trust", "name": "Northgate NHS Trust"}],
        "clauses": [clause],
        "defined_terms": [{"term": "Scan", "definition": "A chest X-ray."}],
    }
    fields.update(overrides)
    return canonical.canonical_document(**fields)


def test_fingerprint_is_sha256_of_sorted_compact_utf8_json():
    doc = document()
    expected = hashlib.sha256(
        json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert canonical.fingerprint(doc) == expected
    assert doc["format"] == "carepact.agreement/1"


def test_fingerprint_ignores_key_order_but_not_content():
    doc = document()
    reordered = json.loads(json.dumps(doc, sort_keys=False))
    reordered = dict(reversed(list(reordered.items())))
    assert canonical.fingerprint(reordered) == canonical.fingerprint(doc)
    base = canonical.fingerprint(doc)
    for changed in (
        document(parameters={"nhs_share": "36"}),  # a parameter
        document(title="IP agreement"),  # the title
        document(amends="ab" * 32),  # the version it amends
        document(defined_terms=[]),  # the defined terms
        document(parties=[{"organisation": "trust", "name": "Northgate Trust"}]),  # a name
    ):
        assert canonical.fingerprint(changed) != base


def snap(family="ip-ownership", key="ip-joint", version=1, text="A B C", **params):
    return ClauseSnapshot(
        family=family,
        topic="ip",
        title="Intellectual property",
        alternative={"ip-joint": "Jointly owned", "ip-generator-owns": "Generator"}.get(key, key),
        key=key,
        clause_version=version,
        parameters={k: (k.title(), v) for k, v in params.items()},
        text=text,
    )


def test_diff_versions_by_slot():
    before = [snap(share="20%"), snap(family="confidentiality", key="c", text="Keep secrets.")]
    after = [
        snap(share="35%", text="A B D"),
        snap(family="term-exit", key="t", text="Ends in 2028."),
    ]
    changes = {c.family: c for c in diff.diff_versions(before, after)}
    assert changes["ip-ownership"].change == Change.CHANGED
    assert [(p.name, p.before, p.after) for p in changes["ip-ownership"].parameters] == [
        ("share", "20%", "35%")
    ]
    assert "Share: 20% → 35%" in changes["ip-ownership"].summary
    assert changes["term-exit"].change == Change.ADDED
    assert changes["confidentiality"].change == Change.REMOVED
    assert list(changes) == ["ip-ownership", "term-exit", "confidentiality"]


def test_switching_alternative_is_a_change_of_the_same_clause():
    (change,) = diff.diff_versions([snap(key="ip-generator-owns")], [snap(key="ip-joint")])
    assert change.change == Change.CHANGED and change.alternative_changed
    assert "from Generator to Jointly owned" in change.summary


def test_a_new_wording_is_named_as_such_and_unchanged_clauses_say_so():
    (change,) = diff.diff_versions([snap(version=1)], [snap(version=2, text="A B C!")])
    assert change.wording_changed and "clause version 1 to 2" in change.summary
    (same,) = diff.diff_versions([snap()], [snap()])
    assert same.change == Change.UNCHANGED and not same.text


def test_word_diff_marks_deleted_and_inserted_words():
    segments = diff.word_diff("the royalty is 3% of sales", "the royalty is 4% of net sales")
    assert [(s.op, s.text) for s in segments if s.op != "same"] == [
        ("del", "3%"),
        ("ins", "4%"),
        ("ins", "net "),
    ]


words = st.lists(
    st.sampled_from(["the", "data", "3%", "4%", "shall", "NHS", "\n", "  "]), max_size=30
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words, words)
def test_word_diff_rebuilds_both_texts(a, b):
    before, after = " ".join(a), " ".join(b)
    segments = diff.word_diff(before, after)
    assert "".join(s.text for s in segments if s.op != "ins") == before
    assert "".join(s.text for s in segments if s.op != "del") == after


def test_unified_text_diff():
    text = diff.unified("1.1 A\n1.2 B\n", "1.1 A\n1.2 C\n", before_name="v1", after_name="v2")
    assert "--- v1" in text and "-1.2 B" in text and "+1.2 C" in text
