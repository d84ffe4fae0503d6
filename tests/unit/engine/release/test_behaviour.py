"""Behaviour tables: small inputs with the release worked out by hand.

Each case runs through both engines; both must give the expected levels, counts and rows,
and the same bytes. The last test hands every release to pycanon in one call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.unit.engine.release.conftest import (
    assert_oracle_agrees,
    nhs_numbers,
    run_both,
    write_parquet,
)

IDS = nhs_numbers(40)


@dataclass(frozen=True)
class Case:
    name: str
    columns: dict[str, list]
    spec: dict
    levels: dict[str, str]
    suppressed: int
    rows: list[tuple]  # released rows without the pseudonym, sorted
    excluded: int = 0
    files: dict[str, str] = field(default_factory=dict)


def base_spec(**kw) -> dict:
    spec = {
        "input": "patients.parquet",
        "output": "release.parquet",
        "patient_id": "nhs_number",
        "quasi_identifiers": {"age": {"hierarchy": "age"}},
        "privacy": {"k": 2, "suppression_limit": 0},
    }
    spec.update(kw)
    return spec


CASES = [
    # Ages already in pairs: k=2 holds at the exact value, so nothing is generalised.
    Case(
        "exact-values-suffice",
        {"nhs_number": IDS[:4], "age": [30, 30, 41, 41]},
        base_spec(),
        {"age": "value"},
        0,
        [("30",), ("30",), ("41",), ("41",)],
    ),
    # One 41-year-old among four in their early thirties: with no suppression allowed,
    # every band still isolates them (30-34, 30-39, 20-39), so only * is 2-anonymous.
    Case(
        "no-suppression-forces-the-top",
        {"nhs_number": IDS[:5], "age": [31, 32, 33, 34, 41]},
        base_spec(),
        {"age": "*"},
        0,
        [("*",)] * 5,
    ),
    # The same people with one record of suppression allowed (1 of 5 = 20%): the 5-year
    # band keeps four records and suppresses the lone 41-year-old, which loses less.
    Case(
        "suppression-beats-generalisation",
        {"nhs_number": IDS[:5], "age": [31, 32, 33, 34, 41]},
        base_spec(privacy={"k": 2, "suppression_limit": 0.2}),
        {"age": "5-year band"},
        1,
        [("30-34",)] * 4,
    ),
    # Consent comes first: the lone 41-year-old opted out, so the early thirties pair up in
    # the 5-year band with nothing suppressed.
    Case(
        "consent-before-anything",
        {"nhs_number": IDS[:5], "age": [31, 32, 33, 34, 41]},
        base_spec(consent={"exclude": [IDS[4]]}),
        {"age": "5-year band"},
        0,
        [("30-34",)] * 4,
        excluded=1,
    ),
    # Only the patient who opted out has a score of 99.5: the value goes with them, and
    # the rest pair up in ranges of width 10 (decimal scores: the engine codes them itself).
    Case(
        "consent-takes-a-value-no-one-else-has",
        {"nhs_number": IDS[:5], "score": [12.0, 17.0, 55.0, 58.0, 99.5]},
        base_spec(
            quasi_identifiers={"score": {"hierarchy": "numeric", "widths": [10, 100]}},
            consent={"exclude": [IDS[4]]},
        ),
        {"score": "width 10"},
        0,
        [("[10, 20)",), ("[10, 20)",), ("[50, 60)",), ("[50, 60)",)],
        excluded=1,
    ),
    # Distinct 2-diversity: at exact ages each pair shares one diagnosis, so a class of
    # 40-44 (two diagnoses) is the first that is both 2-anonymous and 2-diverse.
    Case(
        "l-diversity-needs-a-wider-band",
        {"nhs_number": IDS[:4], "age": [40, 40, 43, 43], "diagnosis": ["I10", "I10", "E11", "E11"]},
        base_spec(sensitive=["diagnosis"], privacy={"k": 2, "l": 2, "suppression_limit": 0}),
        {"age": "5-year band"},
        0,
        [("40-44", "E11"), ("40-44", "E11"), ("40-44", "I10"), ("40-44", "I10")],
    ),
    # Dates: two admissions in March and two in May 2024; the month makes pairs, the day
    # does not.
    Case(
        "dates-to-month",
        {
            "nhs_number": IDS[:4],
            "admitted": [
                dt.date(2024, 3, 1),
                dt.date(2024, 3, 9),
                dt.date(2024, 5, 2),
                dt.date(2024, 5, 30),
            ],
        },
        base_spec(quasi_identifiers={"admitted": {"hierarchy": "date"}}),
        {"admitted": "month"},
        0,
        [("2024-03",), ("2024-03",), ("2024-05",), ("2024-05",)],
    ),
    # Postcodes: four full postcodes in two sectors of one district; sectors pair them up.
    Case(
        "postcodes-to-sector",
        {"nhs_number": IDS[:4], "postcode": ["LS12 3AB", "ls12 3xy", "LS12 4AA", "LS12  4BB"]},
        base_spec(quasi_identifiers={"postcode": {"hierarchy": "uk_postcode"}}),
        {"postcode": "sector"},
        0,
        [("LS12 3",), ("LS12 3",), ("LS12 4",), ("LS12 4",)],
    ),
    # A categorical hierarchy from a file: A and B are White, H and J Asian; the groups
    # give pairs.
    Case(
        "categorical-groups",
        {"nhs_number": IDS[:4], "ethnicity": ["A", "B", "H", "J"]},
        base_spec(quasi_identifiers={"ethnicity": {"hierarchy": "categorical", "file": "eth.csv"}}),
        {"ethnicity": "level 1"},
        0,
        [("Asian",), ("Asian",), ("White",), ("White",)],
        files={"eth.csv": "A,White,*\nB,White,*\nH,Asian,*\nJ,Asian,*\n"},
    ),
    # Numeric ranges of width 10, then 100: 12 and 17 share [10, 20), 55 and 58 [50, 60).
    Case(
        "numeric-ranges",
        {"nhs_number": IDS[:4], "score": [12, 17, 55, 58]},
        base_spec(quasi_identifiers={"score": {"hierarchy": "numeric", "widths": [10, 100]}}),
        {"score": "width 10"},
        0,
        [("[10, 20)",), ("[10, 20)",), ("[50, 60)",), ("[50, 60)",)],
    ),
    # A row with no identifier cannot be checked against consent, so it is never released.
    Case(
        "missing-identifier-is-excluded",
        {"nhs_number": [*IDS[:4], None], "age": [30, 30, 41, 41, 30]},
        base_spec(),
        {"age": "value"},
        0,
        [("30",), ("30",), ("41",), ("41",)],
    ),
    # Missing quasi-identifier values form their own class until the top; two of them pair.
    Case(
        "missing-values-are-a-class",
        {"nhs_number": IDS[:4], "age": [30, 30, None, None]},
        base_spec(),
        {"age": "value"},
        0,
        [("30",), ("30",), (None,), (None,)],
    ),
    # Two columns, k=2: sex at its value and age in 10-year bands gives two pairs; the
    # 5-year band would isolate the 35-year-old woman and the 30-year-old.
    Case(
        "two-columns",
        {"nhs_number": IDS[:4], "age": [30, 35, 52, 58], "sex": ["F", "F", "M", "M"]},
        base_spec(quasi_identifiers={"age": {"hierarchy": "age"}, "sex": {"hierarchy": "none"}}),
        {"age": "10-year band", "sex": "value"},
        0,
        [("30-39", "F"), ("30-39", "F"), ("50-59", "M"), ("50-59", "M")],
    ),
    # Entropy 2-diversity: a class of 2×I10 and 2×E11 has entropy log 2, exactly enough.
    Case(
        "entropy-l-at-the-boundary",
        {"nhs_number": IDS[:4], "age": [40, 41, 42, 43], "diagnosis": ["I10", "E11", "I10", "E11"]},
        base_spec(
            sensitive={"diagnosis": {"l": 2, "kind": "entropy"}},
            privacy={"k": 2, "suppression_limit": 0},
        ),
        {"age": "5-year band"},
        0,
        [("40-44", "E11"), ("40-44", "E11"), ("40-44", "I10"), ("40-44", "I10")],
    ),
    # Discernibility: suppressing one record costs n=5 per record plus the class squares
    # (4² = 16, total 21) against 25 for everyone in one class: the 5-year band wins.
    Case(
        "discernibility-metric",
        {"nhs_number": IDS[:5], "age": [31, 32, 33, 34, 41]},
        base_spec(privacy={"k": 2, "suppression_limit": 0.2, "metric": "discernibility"}),
        {"age": "5-year band"},
        1,
        [("30-34",)] * 4,
    ),
    # Kept and sensitive columns pass through unchanged; unlisted columns are not released.
    Case(
        "keep-passes-through",
        {"nhs_number": IDS[:2], "age": [30, 30], "lab": [1.5, 2.25], "notes": ["x", "y"]},
        base_spec(keep=["lab"]),
        {"age": "value"},
        0,
        [("30", 1.5), ("30", 2.25)],
    ),
]


def _setup(tmp_path: Path, case: Case) -> None:
    write_parquet(tmp_path / "patients.parquet", case.columns)
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)


def _rows(path: Path) -> list[tuple]:
    table = pq.read_table(path).drop_columns(["pseudonym"])
    return sorted((tuple(r.values()) for r in table.to_pylist()), key=repr)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_release_behaviour_table(tmp_path, case):
    _setup(tmp_path, case)
    fast, ref = run_both(tmp_path, case.spec)
    for result in (fast, ref):
        assert result.levels == case.levels
        assert result.suppressed == case.suppressed
        assert result.excluded_by_consent == case.excluded
        assert _rows(result.output) == sorted(case.rows, key=repr)
    assert fast.output.read_bytes() == ref.output.read_bytes()
    assert fast.membership.read_bytes() == ref.membership.read_bytes()


def test_every_behaviour_release_passes_pycanon(tmp_path):
    produced = []
    for case in CASES:
        folder = tmp_path / case.name
        folder.mkdir()
        _setup(folder, case)
        fast, _ = run_both(folder, case.spec)
        qi = list(case.levels)
        sens = list(case.spec.get("sensitive") or [])
        produced.append((fast.output, qi, sens, fast.report))
    assert_oracle_agrees(produced)
