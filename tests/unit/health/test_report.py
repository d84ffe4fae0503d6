"""The whole report: its shape, its warnings on a known story, and no group under five."""

import json
import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepact.engine.health import report
from carepact.engine.health.instrument import load
from carepact.engine.health.scoring import LEVELS, Respondent

INSTRUMENT = load()
PARTIES = (report.PartyInfo("nhs", "Northfield"), report.PartyInfo("co", "Lumen", industry=True))
KEYS = [p.key for p in PARTIES]


def answers(rnd, party, level, *, trust=4, shift=0, comment=None):
    out = {}
    for key in INSTRUMENT.answer_keys("full", KEYS):
        if key in ("O1", "O2"):
            if comment:
                out[key] = comment
        elif key.startswith("I@"):
            # Both parties rate the company's influence high; the company rates itself even.
            out[key] = (5 if key.endswith("co") else 2) if party == "nhs" else 3
        elif key.startswith(("C2.", "M.")):
            base = trust if not key.startswith("M.") else 6 - trust
            out[key] = max(1, min(5, base + rnd.choice([0, 0, 1, -1])))
        elif key == "B":
            out[key] = 4
        else:
            out[key] = max(1, min(5, 4 + shift + rnd.choice([0, 0, 1, -1])))
    return out


def crowd(seed, counts, *, trust=None, comments=False):
    rnd = random.Random(seed)
    people = []
    for party in KEYS:
        for level, n in zip(LEVELS, counts[party], strict=True):
            for i in range(n):
                t = (trust or {}).get((party, level), 4)
                text = f"Comment {party}{level}{i}" if comments else None
                people.append(
                    Respondent(
                        f"{party}-{level}-{i}",
                        party,
                        level,
                        answers(rnd, party, level, trust=t, comment=text),
                    )
                )
    return tuple(people)


def wave(number, people, when, kind="full", invited=8):
    return report.Wave(
        number,
        kind,
        "carepact-1",
        when,
        PARTIES,
        people,
        {(p, lv): invited for p in KEYS for lv in LEVELS},
    )


def test_a_report_is_json_and_names_no_respondent():
    people = crowd(1, {"nhs": (5, 6, 7), "co": (5, 5, 6)}, comments=True)
    out = report.build(wave(1, people, date(2026, 1, 10)))
    text = json.dumps(out, allow_nan=False)
    assert out["schema"] == "carepact.health.report/1"
    assert not any(r.token in text for r in people)
    assert out["index"]["value"] is not None and len(out["index"]["based_on"]) == 13
    assert {c["code"] for c in out["constructs"]} == set(INSTRUMENT.codes)
    assert out["comments"]["O1"]["answers"] == sorted(
        out["comments"]["O1"]["answers"], key=str.casefold
    )
    assert {r["id"] for r in out["rules"]} == {f"R{n}" for n in range(1, 13)}


def test_the_demo_story_shows_in_the_warnings():
    """Specialists at the company lose trust over three waves; the company's power is unseen."""
    counts = {"nhs": (5, 6, 7), "co": (5, 5, 6)}
    waves = [
        wave(n + 1, crowd(n, counts, trust={("co", "specialist"): t, ("co", "manager"): t}), when)
        for n, (t, when) in enumerate(
            [(4, date(2025, 1, 1)), (3, date(2025, 7, 1)), (1, date(2026, 1, 1))]
        )
    ]
    out = report.build(waves[-1], waves[:-1])
    rules = {w["rule"] for w in out["warnings"]}
    assert {"R2", "R6", "R7"} <= rules
    dominance = {s["party"]: s["dominance"] for s in out["power"]["shares"]}
    assert dominance == {"co": "unacknowledged", "nhs": None}
    assert len(out["trends"]["waves"]) == 3
    assert any(s["construct"] == "C2" and s["per_year"] < 0 for s in out["trends"]["slopes"])
    c2 = next(c for c in out["trends"]["changes"] if c["construct"] == "C2")
    assert c2["difference"] < 0 and c2["paired_n"] >= 5


def test_a_pulse_draws_trends_but_is_not_banded():
    people = crowd(3, {"nhs": (5, 5, 5), "co": (5, 5, 5)})
    out = report.build(wave(1, people, date(2026, 1, 1), kind="pulse"))
    assert "band" not in out["constructs"][0]["partnership"]
    assert out["index"] is None and out["power"] is None and out["alignment"] is None


def shown_cells(out):
    for construct in out["constructs"]:
        yield construct["partnership"]
        yield from construct["parties"].values()
        yield from construct["cells"]


@settings(max_examples=25, deadline=None)
@given(
    st.tuples(*[st.integers(0, 7)] * 6),
    st.integers(0, 10_000),
)
def test_no_figure_rests_on_fewer_than_five_people(counts, seed):
    people = crowd(seed, {"nhs": counts[:3], "co": counts[3:]}, comments=True)
    out = report.build(wave(1, people, date(2026, 1, 1)), options=report.Options(resamples=50))
    json.dumps(out, allow_nan=False)
    for figure in shown_cells(out):
        assert figure["mean"] is None or figure["n"] >= 5
    for party in out["parties"]:
        assert all(c["n"] >= 5 for c in party["cells"])
    for g in out["alignment"]["agreement"]:
        assert g["n"] >= 5
    for question in out["comments"].values():
        assert not question["answers"] or len(question["answers"]) >= 5
    held = {h["party"] for h in out["anonymity"]["held_back"]}
    for construct in out["constructs"]:
        assert not held & {p for p, e in construct["parties"].items() if e["mean"] is not None}


@pytest.mark.parametrize("n", [1, 4])
def test_a_round_with_fewer_than_five_answers_shows_no_score(n):
    people = crowd(5, {"nhs": (n, 0, 0), "co": (0, 0, 0)}, comments=True)
    out = report.build(wave(1, people, date(2026, 1, 1)))
    assert all(figure["mean"] is None for figure in shown_cells(out))
    assert out["index"] is None and out["comments"]["O1"]["answers"] == []
    assert out["anonymity"]["held_back"] == [
        {"party": "nhs", "respondents": n},
        {"party": "co", "respondents": 0},
    ]
