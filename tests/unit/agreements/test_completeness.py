"""Completeness rules per kind of agreement, as truth tables."""

import pytest

from carepact.engine.agreements.completeness import ClauseFacts, assess
from carepact.engine.agreements.topics import KINDS, TOPICS, Kind, Topic

T = Topic
MOU_NEEDS = {
    T.OBJECTIVES,
    T.PROJECT_PLAN,
    T.SOPS,
    T.GOVERNANCE,
    T.OWNERSHIP_FINANCE,
    T.DATA_PROTECTION,
    T.IP,
    T.TERM_EXIT,
}
DSA_NEEDS = {
    T.OBJECTIVES,
    T.GOVERNANCE,
    T.DATA_PROTECTION,
    T.DATA_USE,
    T.CONFIDENTIALITY,
    T.PPI_TRANSPARENCY,
    T.TERM_EXIT,
}
COLLABORATION_NEEDS = {
    T.OBJECTIVES,
    T.PROJECT_PLAN,
    T.GOVERNANCE,
    T.OWNERSHIP_FINANCE,
    T.PAYMENTS,
    T.IP,
    T.CONFIDENTIALITY,
    T.ACCOUNTABILITY,
    T.TERM_EXIT,
}
IP_NEEDS = {T.IP, T.BENEFIT_SHARING, T.CONFIDENTIALITY, T.GOVERNANCE, T.TERM_EXIT}


def facts(topics, problems=()):
    return [ClauseFacts(t.value, TOPICS[t].label, tuple(problems)) for t in topics]


TABLE = [
    # (kind, topics present, missing required topics)
    (Kind.MOU, MOU_NEEDS, set()),  # every required topic: complete
    (Kind.MOU, MOU_NEEDS - {T.PROJECT_PLAN}, {T.PROJECT_PLAN}),  # the seeds' classic gap
    (Kind.MOU, MOU_NEEDS - {T.SOPS, T.OWNERSHIP_FINANCE}, {T.SOPS, T.OWNERSHIP_FINANCE}),
    (Kind.MOU, set(), MOU_NEEDS),  # an empty MoU misses everything
    (Kind.MOU, MOU_NEEDS | {T.PAYMENTS, T.DATA_USE}, set()),  # extra topics do no harm
    (Kind.DATA_SHARING, DSA_NEEDS, set()),
    (Kind.DATA_SHARING, DSA_NEEDS - {T.DATA_USE}, {T.DATA_USE}),  # no terms, no releases
    (Kind.DATA_SHARING, MOU_NEEDS, DSA_NEEDS - MOU_NEEDS),  # an MoU is not a DSA
    (Kind.DATA_SHARING, DSA_NEEDS - {T.PPI_TRANSPARENCY}, {T.PPI_TRANSPARENCY}),
    (Kind.COLLABORATION, COLLABORATION_NEEDS, set()),
    (Kind.COLLABORATION, COLLABORATION_NEEDS - {T.PAYMENTS}, {T.PAYMENTS}),  # money agreed
    (Kind.COLLABORATION, COLLABORATION_NEEDS - {T.ACCOUNTABILITY}, {T.ACCOUNTABILITY}),
    (Kind.IP, IP_NEEDS, set()),
    (Kind.IP, IP_NEEDS - {T.BENEFIT_SHARING}, {T.BENEFIT_SHARING}),
    (Kind.IP, {T.IP}, IP_NEEDS - {T.IP}),  # IP alone is not an IP agreement
]


@pytest.mark.parametrize(("kind", "present", "missing"), TABLE)
def test_missing_topics_truth_table(kind, present, missing):
    result = assess(kind, facts(present))
    assert {g.topic for g in result.missing} == missing
    assert result.complete is (not missing)
    assert all(g.required and g.why for g in result.missing)
    if missing:
        assert all(TOPICS[t].label.lower() in result.reason() for t in missing)
    else:
        assert result.reason() == ""


def test_invalid_parameters_make_an_agreement_incomplete_even_when_every_topic_is_covered():
    result = assess(Kind.IP, facts(IP_NEEDS - {T.IP}) + facts([T.IP], ["Royalty: required."]))
    assert not result.missing and not result.complete
    assert "Royalty: required." in result.reason()


def test_recommended_topics_are_suggested_not_required():
    result = assess(Kind.DATA_SHARING, facts(DSA_NEEDS))
    assert result.complete
    assert {g.topic for g in result.suggested} == {T.BENEFIT_SHARING, T.IP}
    assert not any(g.required for g in result.suggested)


def test_every_kind_and_topic_is_declared():
    assert set(KINDS) == set(Kind)
    assert set(TOPICS) == set(Topic)
    assert all(info.label and info.why and info.covers for info in TOPICS.values())
    for info in KINDS.values():
        assert not set(info.required) & set(info.recommended)


def test_the_declared_requirements_are_the_ones_tested_here():
    declared = {k: set(v.required) for k, v in KINDS.items()}
    assert declared == {
        Kind.MOU: MOU_NEEDS,
        Kind.DATA_SHARING: DSA_NEEDS,
        Kind.COLLABORATION: COLLABORATION_NEEDS,
        Kind.IP: IP_NEEDS,
    }
