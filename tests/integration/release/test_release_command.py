"""`carepact release run|check|explain` as a data steward runs it: a subprocess, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from carepact.engine.release.synth import write_ethnicity_hierarchy, write_optouts, write_patients
from tests.unit.engine.release.conftest import assert_oracle_agrees

ROOT = Path(__file__).resolve().parents[3]
CAREPACT = Path(sys.executable).with_name("carepact")
KEY = "cli-test-key-0123456789abcdef"
QIS = ["age", "sex", "postcode", "ethnicity", "admission_date"]

SPEC = """\
input: patients.parquet
output: release.parquet
patient_id: nhs_number
drop: [name, address, phone]
quasi_identifiers:
  age: {hierarchy: age}
  sex: {hierarchy: none}
  postcode: {hierarchy: uk_postcode}
  ethnicity: {hierarchy: categorical, file: ethnicity_hierarchy.csv}
  admission_date: {hierarchy: date}
sensitive: [diagnosis]
keep: [lab_value]
privacy: {k: 10, l: 2, suppression_limit: 0.02}
consent: {exclude: optouts.csv, column: nhs_number}
pseudonym_key: env:CAREPACT_PSEUDONYM_KEY
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    write_patients(
        folder / "patients.parquet", 4000, seed=11, postcode="full", direct_identifiers=True
    )
    write_ethnicity_hierarchy(folder / "ethnicity_hierarchy.csv")
    write_optouts(folder / "patients.parquet", folder / "optouts.csv", share=0.05, invalid=1)
    (folder / "spec.yaml").write_text(SPEC)
    return folder


def carepact(*args: str, cwd: Path, key: bool = True) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CAREPACT_") and k != "DJANGO_SETTINGS_MODULE"
    }
    # A data steward's shell: no platform settings at all (no secret key, no debug).
    if key:
        env["CAREPACT_PSEUDONYM_KEY"] = KEY
    return subprocess.run(
        [str(CAREPACT), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_release_run_writes_the_release_and_prints_a_summary(folder):
    proc = carepact("release", "run", "spec.yaml", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert not (folder / "var").exists()  # no platform folder in the steward's
    assert "Release summary" in proc.stdout and "released" in proc.stdout
    for name in (
        "release.parquet",
        "release.report.json",
        "release.report.html",
        "release.manifest.json",
        "release.membership.parquet",
    ):
        assert (folder / name).is_file()
    assert KEY not in proc.stdout + proc.stderr
    # No row value reaches the terminal: no NHS number, no full postcode.
    opted_out = (folder / "optouts.csv").read_text().splitlines()[1]
    assert opted_out not in proc.stdout
    check = carepact(
        "release",
        "check",
        "release.parquet",
        "--qi",
        "age",
        "sex",
        "postcode",
        "ethnicity",
        "admission_date",
        "--sensitive",
        "diagnosis",
        "--k",
        "10",
        "--l",
        "2",
        cwd=folder,
    )
    assert check.returncode == 0, check.stderr
    assert "meets k=10, l=2" in check.stdout
    # And pycanon, independently, agrees with what the report claims.
    report = json.loads((folder / "release.report.json").read_text())
    assert_oracle_agrees([(folder / "release.parquet", QIS, ["diagnosis"], report)])


def test_release_check_of_raw_data_reports_failure_with_exit_1(folder):
    proc = carepact(
        "release", "check", "patients.parquet", "--qi", "age", "postcode", "--k", "5", cwd=folder
    )
    assert proc.returncode == 1
    assert "does not meet k=5" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_release_explain_shows_lattice_candidates_and_the_choice(folder):
    proc = carepact("release", "explain", "spec.yaml", cwd=folder, key=False)
    assert proc.returncode == 0, proc.stderr
    assert "Generalisation lattice" in proc.stdout
    assert "Candidate solutions" in proc.stdout
    assert "Chosen: candidate 1" in proc.stdout


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # A column the input does not have.
        (
            lambda s: s.replace("keep: [lab_value]", "keep: [lab_result]"),
            "input has no column 'lab_result'",
        ),
        # A malformed hierarchy file.
        (
            lambda s: s.replace("ethnicity_hierarchy.csv", "bad_hierarchy.csv"),
            "row 2 has 2 columns",
        ),
        # k larger than the data.
        (lambda s: s.replace("k: 10,", "k: 100000,"), "is larger than the number of rows"),
        # Values not covered by their hierarchy.
        (lambda s: s.replace("sex: {hierarchy: none}", "sex: {hierarchy: us_zip}"), "not covered"),
        # An empty input file.
        (lambda s: s.replace("input: patients.parquet", "input: empty.csv"), "is empty"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(folder, tmp_path, edit, message):
    (folder / "bad_hierarchy.csv").write_text("A,White,*\nB,*\n")
    (folder / "empty.csv").write_text("")
    (folder / "bad.yaml").write_text(
        edit(SPEC).replace("output: release.parquet", f"output: {tmp_path}/out.parquet")
    )
    proc = carepact("release", "run", "bad.yaml", cwd=folder)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_missing_key_exits_2(folder, tmp_path):
    (folder / "nokey.yaml").write_text(
        SPEC.replace("output: release.parquet", f"output: {tmp_path}/o.parquet")
    )
    proc = carepact("release", "run", "nokey.yaml", cwd=folder, key=False)
    assert proc.returncode == 2
    assert "CAREPACT_PSEUDONYM_KEY is not set" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_platform_command_without_its_settings_says_what_is_missing(tmp_path):
    # Not a release command: it needs the platform's secret key, and says so in one line.
    proc = carepact("check", cwd=tmp_path, key=False)
    assert proc.returncode == 2
    assert "CAREPACT_SECRET_KEY is not set" in proc.stderr
    assert "Traceback" not in proc.stderr
