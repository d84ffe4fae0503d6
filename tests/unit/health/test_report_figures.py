"""The report's numbers on crafted answers: the 0-100 index and the don't-know rates.

Every expected value is worked out by hand in the comments. Answers within a cell are
identical, so every bootstrap resample has the same mean and intervals are exact points.
"""

from datetime import date

import krippendorff
import numpy as np
import pytest

from carepact.engine.health import report
from carepact.engine.health.instrument import load
from carepact.engine.health.scoring import Respondent

INSTRUMENT = load()
ITEMS = {item.id: item for item in INSTRUMENT.core_items}
PARTIES = (report.PartyInfo("nhs", "Northfield"), report.PartyInfo("co", "Lumen", industry=True))
KEYS = [p.key for p in PARTIES]
OPTIONS = report.Options(resamples=50)


def scored(values: dict[str, int], *, default: int = 4, raw: bool = False) -> dict:
    """Answers whose *scores* are ``values[construct]`` (default otherwise).

    The one reversed statement (C9.3) is answered 6 − v so that it scores v, unless
    ``raw``: then every statement is answered v as written.
    """
    out: dict = {}
    for key in INSTRUMENT.answer_keys("full", KEYS):
        base = key.partition("@")[0]
        if key in ("O1", "O2"):
            continue
        if base in ITEMS:
            item = ITEMS[base]
            v = values.get(item.construct, default)
            out[key] = 6 - v if item.reverse and not raw else v
        elif base == "B":
            out[key] = 4
        else:  # I@party, M.1@party, M.2@party
            out[key] = 3
    return out


def respondents(groups: dict[tuple[str, str], list[dict]]) -> tuple[Respondent, ...]:
    return tuple(
        Respondent(f"{party}-{level}-{i}", party, level, answers)
        for (party, level), people in groups.items()
        for i, answers in enumerate(people)
    )


def wave(people, number=1):
    invited = {(r.party, r.level): 10 for r in people}
    return report.Wave(number, "full", "carepact-1", date(2026, 3, 1), PARTIES, people, invited)


def construct(out, code):
    return next(c for c in out["constructs"] if c["code"] == code)


# -- the health index ------------------------------------------------------------------------


def test_every_factor_at_four_gives_an_index_of_75():
    people = respondents(
        {("nhs", "manager"): [scored({})] * 5, ("co", "specialist"): [scored({})] * 6}
    )
    out = report.build(wave(people), options=OPTIONS)
    assert all(construct(out, c)["partnership"]["mean"] == 4.0 for c in INSTRUMENT.codes)
    assert out["index"] == {
        "value": 75.0,  # (4 − 1) / 4 × 100
        "ci": [75.0, 75.0],
        "based_on": [f"C{n}" for n in range(1, 14)],
    }


def test_the_reversed_statement_counts_against_an_answer_of_four():
    # Every statement answered 4 as written: C9.3 is reversed, so C9 = (4 + 4 + 2) / 3 =
    # 10/3 and the mean of C1-C13 is (12 · 4 + 10/3) / 13 = 154/39; the index is
    # (154/39 − 1) / 4 × 100 = 2875/39 = 73.72.
    people = respondents({("nhs", "manager"): [scored({}, raw=True)] * 5})
    out = report.build(wave(people), options=OPTIONS)
    assert construct(out, "C9")["partnership"]["mean"] == pytest.approx(10 / 3, abs=5e-4)
    assert out["index"]["value"] == 73.7


# Northfield's five managers score C1-C13 as below and C14 at 1; Lumen's five leaders
# score 5 everywhere and its ten specialists 2, so Lumen's score is (5 + 2) / 2 = 3.5 on
# every factor (its levels count once each: the pooled mean would be 45/15 = 3.0).
NHS = dict(
    zip([f"C{n}" for n in range(1, 15)], [5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 4, 3, 1], strict=True)
)
MIXED = {
    ("nhs", "manager"): [scored(NHS)] * 5,
    ("co", "leader"): [scored({}, default=5)] * 5,
    ("co", "specialist"): [scored({}, default=2)] * 10,
}


def test_the_index_of_a_mix_weighs_parties_and_levels_equally():
    out = report.build(wave(respondents(MIXED)), options=OPTIONS)
    c1 = construct(out, "C1")
    assert c1["parties"]["co"]["mean"] == 3.5 and c1["parties"]["nhs"]["mean"] == 5.0
    assert c1["partnership"]["mean"] == 4.25  # (5 + 3.5) / 2
    assert c1["partnership"]["pooled_mean"] == 3.5  # (5·5 + 5·5 + 10·2) / 20
    # Northfield's C1-C13 sum to 42, so the partnership's mean over C1-C13 is
    # (42/13 + 3.5) / 2 = 175/52 and the index (175/52 − 1) × 25 = 3075/52 = 59.13.
    # C14 is left out: with it, the mean would be (43/14 + 3.5) / 2 and the index 57.1.
    assert out["index"]["value"] == 59.1
    assert out["index"]["ci"] == [59.1, 59.1]


def test_configured_weights_enter_the_index():
    # Weights 3 : 1 → each factor is ¾ Northfield + ¼ Lumen; the mean over C1-C13 is
    # ¾ · 42/13 + ¼ · 3.5 = 343/104, so the index is (343/104 − 1) × 25 = 5975/104 = 57.45.
    options = report.Options(resamples=50, weights={"nhs": 3, "co": 1})
    out = report.build(wave(respondents(MIXED)), options=options)
    assert construct(out, "C1")["partnership"]["mean"] == 4.625  # ¾ · 5 + ¼ · 3.5
    assert out["index"]["value"] == 57.5
    assert out["settings"]["weights"] == {"nhs": 3, "co": 1}


def test_no_index_when_a_factor_has_no_partnership_score():
    # Nobody answers C13 at all (two statements is the minimum): no index, not one of 12.
    skip = {"C13.1", "C13.2", "C13.3"}
    answers = {k: v for k, v in scored({}).items() if k not in skip}
    out = report.build(wave(respondents({("nhs", "manager"): [answers] * 5})), options=OPTIONS)
    assert construct(out, "C13")["partnership"]["mean"] is None
    assert out["index"] is None


# -- don't know ------------------------------------------------------------------------------


def with_answers(base: dict, changes: dict) -> dict:
    return {**base, **changes}


def dont_know_people():
    base = scored({})
    return respondents(
        {
            # Managers: two say they don't know about all or one of C12 (4 of 15 answers);
            # one doesn't know about the company on C2.1 and C2.2 (2 of 15: each person
            # rates one other party on three statements) and about their own organisation
            # on C2.3, which is not part of the factor's score; one doesn't know on the
            # mistrust statement, which is reported apart from C2.
            ("nhs", "manager"): [
                with_answers(base, {"C12.1": "dk", "C12.2": "dk", "C12.3": "dk"}),
                with_answers(base, {"C12.1": "dk"}),
                with_answers(base, {"C2.1@co": "dk", "C2.2@co": "dk", "C2.3@nhs": "dk"}),
                with_answers(base, {"M.1@co": "dk"}),
                base,
            ],
            # Specialists: 3 of 15 on C3 are "don't know"; "does not apply" is not one.
            ("nhs", "specialist"): [
                with_answers(base, {"C3.1": "dk", "C3.2": "dk"}),
                with_answers(base, {"C3.1": "dk"}),
                with_answers(base, {"C3.3": "na"}),
                base,
                base,
            ],
            # Company leaders: 1 of 15 on C3.
            ("co", "leader"): [with_answers(base, {"C3.3": "dk"}), base, base, base, base],
        }
    )


def cell_rates(out, code):
    return {c["cell"]: c["dont_know_rate"] for c in construct(out, code)["cells"]}


def test_dont_know_rates_per_cell_and_per_factor():
    out = report.build(wave(dont_know_people()), options=OPTIONS)
    assert cell_rates(out, "C3") == {
        "nhs|manager": 0.0,
        "nhs|specialist": 0.2,  # 3 / 15
        "co|leader": 0.067,  # 1 / 15
    }
    assert construct(out, "C3")["dont_know_rate"] == 0.089  # (0 + 3 + 1) / 45
    assert cell_rates(out, "C12") == {"nhs|manager": 0.267, "nhs|specialist": 0.0, "co|leader": 0.0}
    assert construct(out, "C12")["dont_know_rate"] == 0.089  # 4 / 45
    assert cell_rates(out, "C2") == {"nhs|manager": 0.133, "nhs|specialist": 0.0, "co|leader": 0.0}
    assert construct(out, "C2")["dont_know_rate"] == 0.044  # 2 / 45
    assert construct(out, "C1")["dont_know_rate"] == 0.0


def test_a_quarter_dont_know_among_managers_is_a_watch_warning():
    out = report.build(wave(dont_know_people()), options=OPTIONS)
    r4 = [w for w in out["warnings"] if w["rule"] == "R4"]
    # Managers on C12 (27%) reach the 25% threshold; specialists on C3 (20%) do not, and
    # leaders are not counted for this rule.
    assert [(w["severity"], w["constructs"], w["parties"]) for w in r4] == [
        ("watch", ["C12"], ["nhs"])
    ]
    assert r4[0]["title"] == (
        "Managers in Northfield often don't know about C12 Data protection and public trust"
    )
    assert r4[0]["evidence"][0].startswith("27% of their answers")


def test_dont_know_rates_of_a_merged_cell_pool_its_levels():
    base = scored({})
    people = respondents(
        {
            # Three managers shown with six specialists: C10 don't-know 3 of 27 answers.
            ("nhs", "manager"): [with_answers(base, {"C10.1": "dk", "C10.2": "dk"}), base, base],
            ("nhs", "specialist"): [with_answers(base, {"C10.3": "dk"})] + [base] * 5,
        }
    )
    out = report.build(wave(people), options=OPTIONS)
    assert cell_rates(out, "C10") == {"nhs|manager+specialist": 0.111}
    assert construct(out, "C10")["dont_know_rate"] == 0.111


def test_profile_alpha_in_the_report_reads_the_parties_mean_statements():
    # Each party's mean answer to each of the 42 statements (the reversed one scored) is a
    # rater: Northfield's follow its factor scores above, Lumen's are all 3.5.
    out = report.build(wave(respondents(MIXED)), options=OPTIONS)
    profiles = np.array(
        [[NHS[item.construct] for item in INSTRUMENT.core_items], [3.5] * 42], dtype=float
    )
    expected = krippendorff.alpha(reliability_data=profiles, level_of_measurement="interval")
    found = out["alignment"]["profile_alpha"]
    assert found["alpha"] == pytest.approx(expected, abs=5e-4)
    assert (found["items"], found["parties"]) == (42, 2)
    assert found["reading"] == "parties disagree"  # below .667
