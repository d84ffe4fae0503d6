"""Helpers for the release engine's tests: small tables, specs, both engines, the oracle."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from carepact.engine.release import run_release, spec_from_dict

ROOT = Path(__file__).resolve().parents[4]
ORACLE_PYTHON = ROOT / ".venv-oracle" / "bin" / "python"
PYCANON_SCRIPT = ROOT / "tests" / "oracle" / "pycanon_check.py"
KEY = b"test-key-0123456789abcdef"

# Valid NHS numbers (checksums hold), so consent lists pass validation.
NHS = [
    "9434765919",
    "9434765870",
    "4010232137",
    "4505577104",
    "9990548609",
    "9876543210",
    "4010232110",
    "4010232129",
    "4010232145",
    "4010232153",
    "4010232161",
    "4010232188",
]


def nhs_numbers(count: int) -> list[str]:
    """``count`` distinct valid NHS numbers."""
    out: list[str] = []
    body = 400000000
    while len(out) < count:
        digits = [int(c) for c in str(body)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            out.append(f"{body}{check}")
        body += 7919
    return out


def small_spec(folder: Path, source: str, qis: dict | None = None, k: int = 2):
    """A spec over one small table in ``folder``: NHS numbers, ``qis`` (age alone by
    default) and k."""
    return spec_from_dict(
        {
            "input": source,
            "output": "r.parquet",
            "patient_id": "nhs_number",
            "quasi_identifiers": qis or {"age": "age"},
            "privacy": {"k": k},
        },
        base_dir=folder,
    )


def write_parquet(
    path: Path, columns: dict[str, list], types: dict[str, pa.DataType] | None = None
) -> Path:
    types = types or {}
    table = pa.table(
        {name: pa.array(values, type=types.get(name)) for name, values in columns.items()}
    )
    pq.write_table(table, str(path))
    return path


def make_spec(tmp: Path, **overrides) -> dict:
    spec = {
        "input": "patients.parquet",
        "output": "release.parquet",
        "patient_id": "nhs_number",
        "quasi_identifiers": {"age": {"hierarchy": "age"}},
        "privacy": {"k": 2, "suppression_limit": 0},
    }
    spec.update(overrides)
    return spec


def run_both(tmp: Path, spec: dict, *, block_rows: int = 1_000_000, extra=()):
    """Run a spec with the DuckDB engine and the reference engine into two folders."""
    results = {}
    for engine in ("duckdb", "reference"):
        out = tmp / engine
        out.mkdir(exist_ok=True)
        checked = spec_from_dict(spec, base_dir=tmp)
        results[engine] = run_release(
            checked,
            key=KEY,
            engine=engine,
            output_dir=out,
            block_rows=block_rows,
            extra_exclusions=extra,
        )
    return results["duckdb"], results["reference"]


def oracle(items: list[dict]) -> dict:
    """One pycanon subprocess for many files: {file: {k, l, entropy_l}}."""
    if not ORACLE_PYTHON.exists():
        pytest.skip("the oracle environment is missing: run `make oracle`")
    proc = subprocess.run(
        [str(ORACLE_PYTHON), str(PYCANON_SCRIPT)],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def assert_oracle_agrees(releases: list[tuple[Path, list[str], list[str], dict]]) -> None:
    """pycanon's k and l must be at least what each report claims."""
    items = []
    for f, qi, sens, _ in releases:
        # The oracle environment has pandas but not pyarrow: hand it CSV copies.
        copy = f.with_name(f.name + ".oracle.csv")
        if f.suffix == ".csv":
            copy = f
        else:
            pacsv.write_csv(pq.read_table(f, columns=[*qi, *sens]), str(copy))
        items.append({"file": str(copy), "qi": qi, "sensitive": sens})
    measured = oracle(items)
    for item, (_f, _qi, sens, report) in zip(items, releases, strict=True):
        m = measured[item["file"]]
        if m["rows"] == 0:
            continue
        assert m["k"] >= report["achieved"]["k"], f
        assert m["k"] >= report["privacy_model"]["k"], f
        for s in sens:
            wanted = report["privacy_model"]["l"].get(s)
            claimed = report["achieved"]["l"][s]
            if wanted is None:
                continue
            if wanted["kind"] == "distinct":
                assert m["l"][s] >= claimed, f
            else:
                # pycanon floors exp(entropy); allow the last bit of a float at the boundary.
                assert m["entropy_l"][s] >= int(claimed + 1e-9) - (
                    1 if abs(claimed - round(claimed)) < 1e-9 else 0
                ), f


@pytest.fixture
def key() -> bytes:
    return KEY
