"""The twelve early-warning rules as truth tables: one case per line, each with its reason."""

import pytest

from carepact.engine.health import rules as rl
from carepact.engine.health.playbook import FOR_CONSTRUCT, FOR_RULE, FOR_STRUCTURAL, entries

CFG = rl.Config()
IND = rl.Indicator


def fired(result):
    return sorted({w.severity for w in result.warnings})


def run(rule, **inp):
    return rl.RULES[rule].check(rl.RuleInput(**inp), CFG)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"C4": 3.0}, []),  # at the cut-point: not a concern
        ({"C4": 2.99}, ["warning"]),  # just below 3.0
        ({"C4": 2.4}, ["warning"]),  # very low, but C4 is not a key construct
        ({"C2": 2.6}, ["warning"]),  # key construct between 2.5 and 3.0
        ({"C2": 2.49}, ["critical"]),  # key construct below 2.5
        ({"C9": 2.0, "C6": 2.9}, ["critical", "warning"]),  # one of each
    ],
)
def test_r1_low_scores(scores, expected):
    assert fired(run("R1", scores=scores)) == expected


def test_r1_without_scores_is_not_measured():
    assert run("R1").status == rl.NOT_MEASURED


@pytest.mark.parametrize(
    ("history", "now", "expected"),
    [
        ([], 3.0, None),  # first round: nothing to compare
        ([{"C2": 4.0}], 3.6, []),  # fell 0.4: under the 0.5 threshold
        ([{"C2": 4.0}], 3.5, ["warning"]),  # fell 0.5 since the last round
        ([{"C2": 4.3}, {"C2": 4.0}], 3.7, ["warning"]),  # 0.3 in each of two rounds
        ([{"C2": 4.2}, {"C2": 4.0}], 3.7, []),  # 0.2 then 0.3: not both 0.3
        ([{"C2": 3.0}], 3.9, []),  # rising is never a warning
    ],
)
def test_r2_falling(history, now, expected):
    result = run("R2", scores={"C2": now}, history=history)
    if expected is None:
        assert result.status == rl.NOT_MEASURED
    else:
        assert fired(result) == expected


@pytest.mark.parametrize(
    ("code", "a", "b", "expected"),
    [
        ("C4", 4.0, 3.6, []),  # 0.4 apart: close enough
        ("C4", 4.0, 3.5, ["watch"]),  # 0.5 apart
        ("C4", 4.0, 3.1, ["watch"]),  # 0.9 apart, not a key construct
        ("C4", 4.0, 3.0, ["warning"]),  # 1.0 apart
        ("C2", 4.0, 3.25, ["warning"]),  # 0.75 apart on a key construct
        ("C9", 3.0, 3.7, ["watch"]),  # 0.7 apart on a key construct, either order
    ],
)
def test_r3_party_gaps(code, a, b, expected):
    assert fired(run("R3", party_scores={code: {"x": a, "y": b}})) == expected


@pytest.mark.parametrize(
    ("leader_gaps", "dont_know", "expected"),
    [
        ({"C1": {"x": 0.7}}, [], []),  # leaders 0.7 above specialists: under 0.75
        ({"C1": {"x": 0.8}}, [], ["warning"]),  # 0.8 above
        ({"C3": {"x": -0.9}}, [], ["warning"]),  # specialists above leaders counts too
        ({"C4": {"x": 1.5}}, [], []),  # only C1 and C3 are checked
        ({}, [("x", "Specialists", "C10", 0.25)], ["watch"]),  # a quarter don't know about C10
        ({}, [("x", "Managers", "C10", 0.2)], []),  # a fifth: under the threshold
        ({}, [("x", "Managers", "C4", 0.6)], []),  # don't-know on C4 is not this rule's concern
    ],
)
def test_r4_levels(leader_gaps, dont_know, expected):
    assert fired(run("R4", leader_gaps=leader_gaps, dont_know=dont_know)) == expected


@pytest.mark.parametrize(
    ("rwg", "ad", "expected"),
    [
        (0.7, 0.5, []),  # agreeing group
        (0.49, 0.5, ["watch"]),  # r*wg below 0.50
        (0.7, 0.84, ["watch"]),  # AD above 0.83
        (None, None, []),  # not computable: no warning
    ],
)
def test_r5_fragmentation(rwg, ad, expected):
    assert fired(run("R5", agreement=[("x", "C2", rwg, ad)])) == expected


@pytest.mark.parametrize(
    ("voice", "dominance", "expected"),
    [
        ({"x": 3.5, "y": 3.2}, {}, 0),  # both heard, close together
        ({"x": 2.9, "y": 3.2}, {}, 1),  # x below 3.0
        ({"x": 4.2, "y": 3.4}, {}, 1),  # gap of 0.8
        ({"x": 2.5, "y": 3.9}, {}, 2),  # x below 3.0 and a gap of 1.4
        ({"x": 3.5, "y": 3.5}, {"y": 0.15}, 1),  # others see 15 points more power in y
        ({"x": 3.5, "y": 3.5}, {"y": 0.14}, 0),  # 14 points: under the margin
    ],
)
def test_r6_voice_and_power(voice, dominance, expected):
    result = run("R6", voice=voice, dominance=dominance)
    assert len(result.warnings) == expected
    assert all(w.severity == "warning" for w in result.warnings)


@pytest.mark.parametrize(
    ("ab", "ba", "expected"),
    [
        (4.0, 3.3, []),  # 0.7 apart
        (4.0, 3.25, ["warning"]),  # 0.75 apart
        (2.5, 4.0, ["warning"]),  # the other way round
    ],
)
def test_r7_trust_asymmetry(ab, ba, expected):
    assert fired(run("R7", trust=[("x", "y", ab, ba)])) == expected


@pytest.mark.parametrize(
    ("mistrust", "expected"),
    [
        ({"x": 2.9}, []),  # below 3.0
        ({"x": 3.0}, ["warning"]),  # at 3.0
        ({"x": 2.0, "y": 3.4}, ["warning"]),  # one party is enough
    ],
)
def test_r8_mistrust(mistrust, expected):
    assert fired(run("R8", mistrust=mistrust)) == expected


@pytest.mark.parametrize(
    ("drawbacks", "fairness", "expected"),
    [
        ({"x": 0.39}, {}, 0),  # 39% see drawbacks as large: under 40%
        ({"x": 0.40}, {}, 1),  # 40%
        ({}, {"x": 2.9, "y": 4.0}, 1),  # x finds it unfair while y is content
        ({}, {"x": 2.9, "y": 3.9}, 0),  # both middling: no contrast
        ({"x": 0.5}, {"x": 2.5, "y": 4.5}, 2),  # both halves
    ],
)
def test_r9_benefits(drawbacks, fairness, expected):
    result = run("R9", drawbacks=drawbacks, party_scores={"C5": fairness})
    assert len(result.warnings) == expected


MEASURED_FINE = {
    "S1": IND(True, True),
    "S2": IND(True, True),
    "S4": IND(True, 2),
    "S5": IND(True, 60.0),
    "S6": IND(True, 1),
}


@pytest.mark.parametrize(
    ("structural", "previous", "expected", "status"),
    [
        ({}, None, [], rl.NOT_MEASURED),  # no source exists: says so, never "fine"
        (MEASURED_FINE, None, [], rl.CLEAR),  # everything measured and fine
        ({"S1": IND(True, True)}, None, [], rl.PARTLY),  # fine where measured, rest unknown
        ({**MEASURED_FINE, "S1": IND(True, False)}, None, ["watch"], rl.TRIGGERED),  # vacant now
        (
            {**MEASURED_FINE, "S1": IND(True, False)},
            {"S1": IND(True, False)},
            ["warning"],
            rl.TRIGGERED,
        ),  # vacant for more than one round
        (
            {**MEASURED_FINE, "S4": IND(True, 0)},
            None,
            ["warning"],
            rl.TRIGGERED,
        ),  # no board meeting
        ({**MEASURED_FINE, "S5": IND(True, 91.0)}, None, ["warning"], rl.TRIGGERED),  # over target
        (
            {**MEASURED_FINE, "S5": IND(True, None)},
            None,
            [],
            rl.PARTLY,
        ),  # nothing signed: no time yet
        ({**MEASURED_FINE, "S6": IND(True, 0)}, None, ["warning"], rl.TRIGGERED),  # no outcome KPI
        ({"S6": IND(False)}, None, [], rl.NOT_MEASURED),  # provider says it cannot measure
    ],
)
def test_r10_structural(structural, previous, expected, status):
    result = run("R10", structural=structural, previous_structural=previous)
    assert fired(result) == expected and result.status == status


def test_r10_names_what_is_not_measured():
    result = run("R10", structural={"S1": IND(True, True)})
    assert "Board met in the last 90 days: not measured." in result.notes


@pytest.mark.parametrize(
    ("rate", "previous", "cells", "expected"),
    [
        (0.7, 0.8, [], []),  # fell 10 points
        (0.6, 0.8, [], ["watch"]),  # fell 20 points
        (0.7, None, [("x", "Leaders", 0.4)], []),  # 40% in a cell: at the floor
        (0.7, None, [("x", "Leaders", 0.39)], ["watch"]),  # under 40% in a cell
    ],
)
def test_r11_participation(rate, previous, cells, expected):
    result = run(
        "R11", response_rate=rate, previous_response_rate=previous, cell_response_rates=cells
    )
    assert fired(result) == expected


def w(rule, severity="warning", constructs=()):
    return rl.Warning(rule, severity, "t", (), (), constructs)


@pytest.mark.parametrize(
    ("warnings", "expected"),
    [
        ([w("R7")], []),  # one cluster warning
        ([w("R7"), w("R8")], ["critical"]),  # two cluster warnings
        ([w("R3", constructs=("C2",)), w("R6")], ["critical"]),  # a gap on trust plus voice
        ([w("R3", "watch", ("C2",)), w("R6")], []),  # a watch does not count
        ([w("R3", constructs=("C4",)), w("R6")], []),  # C4 is outside the cluster
        ([w("R1", "critical", ("C3",))], ["critical"]),  # a critical low score alone
        ([w("R10"), w("R11", "watch")], []),  # structural and participation are not the cluster
    ],
)
def test_r12_cluster(warnings, expected):
    assert fired(rl.r12_cluster(warnings, CFG)) == expected


def test_a_pulse_runs_only_the_rules_that_do_not_read_scores():
    results = {r.rule: r for r in rl.evaluate(rl.RuleInput(kind="pulse", scores={"C2": 1.0}))}
    assert results["R1"].status == rl.NOT_APPLICABLE
    assert results["R10"].status == rl.NOT_MEASURED
    assert set(results) == set(rl.RULES)


def test_every_warning_names_playbook_entries_that_exist():
    known = set(entries())
    assert (
        set(FOR_CONSTRUCT.values()) | set(FOR_RULE.values()) | set(FOR_STRUCTURAL.values()) <= known
    )
    assert set(FOR_CONSTRUCT) == {f"C{n}" for n in range(1, 15)}
    assert set(FOR_RULE) | {"R1", "R2", "R3", "R10"} == set(rl.RULES)


def test_thresholds_can_be_overridden_and_bad_ones_are_named():
    cfg, errors = CFG.with_overrides({"concern": "3.2", "cluster": 3, "bogus": 1, "voice": "x"})
    assert cfg.concern == 3.2 and cfg.cluster == 3
    assert set(errors) == {"bogus", "voice"}
    assert fired(rl.RULES["R1"].check(rl.RuleInput(scores={"C4": 3.1}), cfg)) == ["warning"]
