"""The starter clause library: every clause is valid, every topic has one, alternatives exist."""

from collections import defaultdict

import pytest

from carepact.agreements.starter import CLAUSES
from carepact.engine.agreements import params, render
from carepact.engine.agreements.topics import KINDS, Topic

BY_KEY = {c["key"]: c for c in CLAUSES}


@pytest.mark.parametrize("key", sorted(BY_KEY))
def test_each_clause_declares_valid_parameters_and_uses_them(key):
    clause = BY_KEY[key]
    specs = params.specs_from(clause["parameters"])
    render.check_template(clause["text"], specs)
    unused = {s.name for s in specs} - set(render.placeholders(clause["text"]))
    assert not unused, f"{key}: parameters the text never shows: {unused}"
    assert clause["topic"] in {t.value for t in Topic}
    assert clause["title"] and clause["alternative"] and clause["guidance"]


def test_keys_are_unique_and_each_family_stays_in_one_topic():
    assert len(BY_KEY) == len(CLAUSES)
    topics = defaultdict(set)
    for clause in CLAUSES:
        topics[clause["family"]].add(clause["topic"])
    assert all(len(t) == 1 for t in topics.values())


def test_every_topic_has_a_clause_so_every_kind_can_be_completed():
    covered = {c["topic"] for c in CLAUSES}
    assert covered == {t.value for t in Topic}
    for info in KINDS.values():
        assert {t.value for t in info.required} <= covered


def test_the_ip_ownership_alternatives_the_issue_names():
    alternatives = {c["alternative"] for c in CLAUSES if c["family"] == "ip-ownership"}
    assert alternatives == {
        "Owned by the party that generates it",
        "Jointly owned",
        "Owned by the NHS party with a licence back",
    }


def test_several_topics_offer_alternatives():
    per_family = defaultdict(int)
    for clause in CLAUSES:
        per_family[clause["family"]] += 1
    assert {f for f, n in per_family.items() if n > 1} >= {
        "ip-ownership",
        "governance",
        "payments",
        "project-plan",
        "data-protection",
        "benefit-sharing",
    }


def test_the_data_use_clause_names_what_the_data_governance_work_reads():
    (use,) = [c for c in CLAUSES if c["family"] == "data-use"]
    names = {p["name"]: p["type"] for p in use["parameters"]}
    assert names == {
        "data_provider": "party",
        "recipients": "parties",
        "datasets": "list",
        "purpose": "text",
        "permission": "duo_permission",
        "modifiers": "duo_modifiers",
        "environment": "choice",
        "geography": "countries",
        "expires_on": "date",
        "report_every": "duration",
    }
