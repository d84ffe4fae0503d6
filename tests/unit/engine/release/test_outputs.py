"""Outputs: the report, manifest and membership index; atomic writing; nothing leaks."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepact.engine.release import (
    ReleaseError,
    check_table,
    key_identifier,
    membership_contains,
    membership_matches,
    pseudonym,
    run_release,
    spec_from_dict,
)
from carepact.engine.release.pseudonym import pseudonymise
from carepact.engine.release.synth import write_ethnicity_hierarchy, write_optouts, write_patients
from tests.unit.engine.release.conftest import (
    KEY,
    assert_oracle_agrees,
    nhs_numbers,
    small_spec,
    write_parquet,
)

SECRET_VALUES = ("9434765919", "LS12 3AB", "Zebedee")
QIS = ["age", "sex", "postcode", "ethnicity", "admission_date"]
# Every release this module writes, for pycanon at the end of the module.
_PRODUCED: list[tuple[Path, list[str], list[str], dict]] = []


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    write_patients(
        folder / "patients.parquet", 3000, seed=7, postcode="full", direct_identifiers=True
    )
    write_ethnicity_hierarchy(folder / "ethnicity_hierarchy.csv")
    write_optouts(folder / "patients.parquet", folder / "optouts.csv", share=0.05, invalid=2)
    return folder


def example_spec(**kw) -> dict:
    spec = {
        "input": "patients.parquet",
        "output": "release.parquet",
        "patient_id": "nhs_number",
        "drop": ["name", "address", "phone"],
        "quasi_identifiers": {
            "age": {"hierarchy": "age"},
            "sex": {"hierarchy": "none"},
            "postcode": {"hierarchy": "uk_postcode"},
            "ethnicity": {"hierarchy": "categorical", "file": "ethnicity_hierarchy.csv"},
            "admission_date": {"hierarchy": "date"},
        },
        "sensitive": ["diagnosis"],
        "keep": ["lab_value"],
        "privacy": {"k": 5, "l": 2, "suppression_limit": 0.05},
        "consent": {"exclude": "optouts.csv", "column": "nhs_number"},
    }
    spec.update(kw)
    return spec


def test_release_of_synthetic_admissions_writes_every_output(synthetic, tmp_path):
    result = run_release(
        spec_from_dict(example_spec(), base_dir=synthetic), key=KEY, output_dir=tmp_path
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "release.manifest.json",
        "release.membership.parquet",
        "release.parquet",
        "release.report.html",
        "release.report.json",
    ]
    report = json.loads(result.report_json.read_text())
    rows = report["rows"]
    assert rows["in"] == 3000
    assert rows["excluded_by_consent"] == 150
    assert rows["in"] - rows["excluded_by_consent"] - rows["suppressed"] == rows["released"]
    assert report["consent"]["invalid_nhs_numbers"] == 2
    assert report["achieved"]["k"] >= 5 and report["achieved"]["l"]["diagnosis"] >= 2
    assert report["risk"]["highest"] <= 1 / 5
    assert sum(b["records"] for b in report["classes"]["distribution"]) == rows["released"]
    table = pq.read_table(result.output)
    assert table.column_names == [
        "pseudonym",
        "age",
        "sex",
        "postcode",
        "ethnicity",
        "admission_date",
        "diagnosis",
        "lab_value",
    ]
    assert table.num_rows == rows["released"]
    manifest = json.loads(result.manifest.read_text())
    assert manifest["key_id"] == key_identifier(KEY)
    assert (
        manifest["outputs"]["output"]["sha256"]
        == hashlib.sha256(result.output.read_bytes()).hexdigest()
    )
    assert (
        manifest["inputs"][0]["sha256"]
        == hashlib.sha256((synthetic / "patients.parquet").read_bytes()).hexdigest()
    )
    assert manifest["counts"]["released"] == rows["released"]
    html = result.report_html.read_text()
    assert (
        "<svg" in html
        and "<script" not in html
        and "http" not in html.replace("http://www.w3.org/2000/svg", "")
    )
    # The membership index finds a released person and not an excluded one.
    first = table.column("pseudonym")[0].as_py()
    assert membership_contains(result.membership, first)
    optout = (synthetic / "optouts.csv").read_text().splitlines()[1]
    assert not membership_contains(result.membership, pseudonym(KEY, optout))
    second = table.column("pseudonym")[1].as_py()
    asked = {first, second.upper(), pseudonym(KEY, optout), "not-a-pseudonym"}
    assert membership_matches(result.membership, asked) == {first, second}
    # The key never appears in any output.
    for path in tmp_path.iterdir():
        assert KEY not in path.read_bytes()
    _PRODUCED.append((result.output, QIS, ["diagnosis"], report))
    # The check command's measure agrees too.
    checked = check_table(
        result.output,
        qi=list(example_spec()["quasi_identifiers"]),
        sensitive=["diagnosis"],
        k=5,
        l=2,
    )
    assert checked.meets and checked.k == report["achieved"]["k"]


def test_csv_output_on_request(synthetic, tmp_path):
    spec = example_spec(output={"path": "release.csv"})
    result = run_release(spec_from_dict(spec, base_dir=synthetic), key=KEY, output_dir=tmp_path)
    assert result.output.name == "release.csv"
    assert result.output.read_text().splitlines()[0].startswith('"pseudonym","age"')
    _PRODUCED.append((result.output, QIS, ["diagnosis"], result.report))


def test_inputs_from_a_folder_of_csv_files_and_from_a_duckdb_table(synthetic, tmp_path):
    import duckdb
    import pyarrow.csv as pacsv

    folder = tmp_path / "parts"
    folder.mkdir()
    table = pq.read_table(synthetic / "patients.parquet")
    for i in range(2):
        pacsv.write_csv(table.slice(i * 1500, 1500), str(folder / f"part{i}.csv"))
    db = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    con.register("src", table)
    con.execute("CREATE TABLE admissions AS SELECT * FROM src")
    con.close()
    results = []
    for name, source in (
        ("csv", str(folder)),
        ("duckdb", {"duckdb": str(db), "table": "admissions"}),
    ):
        out = tmp_path / name
        out.mkdir()
        spec = spec_from_dict(example_spec(input=source), base_dir=synthetic)
        results.append(run_release(spec, key=KEY, output_dir=out))
        _PRODUCED.append((results[-1].output, QIS, ["diagnosis"], results[-1].report))
    # The same rows, whichever way they arrive, give the same release.
    assert results[0].levels == results[1].levels
    assert results[0].released == results[1].released
    assert results[0].report["rows"]["excluded_by_consent"] == 150


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A missing column is named.
        ({"keep": ["no_such_column"]}, "input has no column 'no_such_column'"),
        # k larger than the data.
        ({"privacy": {"k": 100000}}, "k (100000) is larger than the number of rows"),
        # A privacy model nothing can meet: l=50 with a few dozen diagnoses.
        ({"privacy": {"k": 2, "l": 50}}, "no generalisation meets the privacy model"),
        # A hierarchy that does not cover the values (sex codes are not postcodes).
        (
            {"quasi_identifiers": {"sex": {"hierarchy": "uk_postcode"}}},
            "not covered by its uk_postcode hierarchy",
        ),
        # The input file is missing.
        ({"input": "nowhere.parquet"}, "input nowhere.parquet not found"),
    ],
)
def test_bad_input_stops_with_a_clear_message_and_writes_nothing(
    synthetic, tmp_path, change, message
):
    spec = spec_from_dict(example_spec(**change), base_dir=synthetic)
    with pytest.raises(ReleaseError) as exc:
        run_release(spec, key=KEY, output_dir=tmp_path)
    assert message in str(exc.value)
    assert list(tmp_path.iterdir()) == []
    for value in SECRET_VALUES:
        assert value not in str(exc.value)


def test_empty_input_file_is_refused(tmp_path):
    (tmp_path / "patients.csv").write_text("")
    spec = small_spec(tmp_path, "patients.csv")
    with pytest.raises(ReleaseError, match="is empty"):
        run_release(spec, key=KEY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["patients.csv"]


def test_error_messages_never_hold_row_values(tmp_path):
    # Values that look like data in every column the errors could mention.
    pq.write_table(
        pa.table({"nhs_number": ["9434765919"], "postcode": ["Zebedee"], "age": [30]}),
        str(tmp_path / "p.parquet"),
    )
    spec = small_spec(tmp_path, "p.parquet", {"postcode": "uk_postcode"}, k=1)
    with pytest.raises(ReleaseError) as exc:
        run_release(spec, key=KEY)
    assert not any(v in str(exc.value) for v in SECRET_VALUES)


@pytest.mark.parametrize("ages", [[30, 30, 41, 77], [30, 30, 41, None]])
def test_an_input_that_changes_between_the_passes_stops_the_release(tmp_path, monkeypatch, ages):
    # A value pass one never saw, in a row consent does not exclude: the frequency table
    # no longer describes the data, so nothing may be written.
    from carepact.engine.release.fast import FastEngine

    ids = nhs_numbers(4)
    write_parquet(tmp_path / "p.parquet", {"nhs_number": ids, "age": [30, 30, 41, 41]})
    spec = small_spec(tmp_path, "p.parquet")
    analyse = FastEngine.analyse

    def analyse_then_change(self, progress=None):
        analysis = analyse(self, progress)
        write_parquet(tmp_path / "p.parquet", {"nhs_number": ids, "age": ages})
        return analysis

    monkeypatch.setattr(FastEngine, "analyse", analyse_then_change)
    with pytest.raises(ReleaseError, match="input changed"):
        run_release(spec, key=KEY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.parquet"]


def test_progress_goes_through_the_stages_in_order(synthetic, tmp_path):
    events: list[tuple[str, float]] = []
    run_release(
        spec_from_dict(example_spec(), base_dir=synthetic),
        key=KEY,
        output_dir=tmp_path,
        progress=lambda stage, f: events.append((stage, f)),
    )
    stages = [s for s, _ in events]
    assert sorted(set(stages), key=stages.index) == ["scan", "search", "write"]
    # Each stage starts once every earlier one is done, and climbs to the end.
    assert stages == sorted(stages, key=["scan", "search", "write"].index)
    for stage in ("scan", "search", "write"):
        fractions = [f for s, f in events if s == stage]
        assert fractions == sorted(fractions)
        assert fractions[-1] == 1.0
    assert next(f for s, f in events if s == "search") == 0.0  # shown as the search starts


def test_short_key_is_refused(synthetic, tmp_path):
    with pytest.raises(ReleaseError, match="at least 16 bytes"):
        run_release(
            spec_from_dict(example_spec(), base_dir=synthetic), key=b"short", output_dir=tmp_path
        )


def test_extra_exclusions_from_the_platform_are_honoured(synthetic, tmp_path):
    ids = (
        pq.read_table(synthetic / "patients.parquet", columns=["nhs_number"])
        .column(0)
        .to_pylist()[:25]
    )
    spec = spec_from_dict(example_spec(consent=None), base_dir=synthetic)
    result = run_release(spec, key=KEY, output_dir=tmp_path, extra_exclusions=ids)
    assert result.excluded_by_consent == 25
    released = set(pq.read_table(result.output).column("pseudonym").to_pylist())
    assert not released & {pseudonym(KEY, i) for i in ids}
    _PRODUCED.append((result.output, QIS, ["diagnosis"], result.report))


@settings(deadline=None)  # the first call may load the compiled loop
@given(
    st.lists(st.text(max_size=55), min_size=1, max_size=40), st.binary(min_size=16, max_size=100)
)
def test_batch_pseudonyms_match_the_standard_library(values, key):
    hexes, raw = pseudonymise(key, pa.array(values, type=pa.string()))
    expected = [hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values]
    assert hexes.to_pylist() == expected
    assert [r.hex() for r in raw.to_pylist()] == expected


def test_pseudonym_is_lowercase_hex_of_64_characters():
    value = pseudonym(KEY, "9434765919")
    assert len(value) == 64 and value == value.lower() and int(value, 16) >= 0
    assert value == hmac.new(KEY, b"9434765919", hashlib.sha256).hexdigest()


def test_key_from_the_environment_is_read_but_never_printed(monkeypatch, tmp_path):
    from carepact.engine.release import resolve_key

    monkeypatch.setitem(os.environ, "RELEASE_TEST_KEY", "k" * 20)
    spec = spec_from_dict(
        {
            "input": "p.parquet",
            "output": "r.parquet",
            "patient_id": "id",
            "quasi_identifiers": {"age": "age"},
            "privacy": {"k": 1},
            "pseudonym_key": "env:RELEASE_TEST_KEY",
        },
        base_dir=tmp_path,
    )
    assert resolve_key(spec) == b"k" * 20
    monkeypatch.delitem(os.environ, "RELEASE_TEST_KEY")
    with pytest.raises(ReleaseError, match="RELEASE_TEST_KEY is not set"):
        resolve_key(spec)


def test_registry_hashes_exclude_and_membership_key_indexes_for_the_registry(synthetic, tmp_path):
    """The platform's form: opt-outs as keyed hashes, and an index under the registry key."""
    registry_key = b"registry-key-0123456789abcdef"
    # A small slice keeps the reference engine (every node, in Python) quick.
    small = tmp_path / "small"
    small.mkdir()
    table = pq.read_table(synthetic / "patients.parquet").slice(0, 600)
    pq.write_table(table, str(small / "patients.parquet"))
    write_ethnicity_hierarchy(small / "ethnicity_hierarchy.csv")
    ids = table.column("nhs_number").to_pylist()
    withdrawn = ids[:30]
    hashes = [pseudonym(registry_key, i) for i in withdrawn]
    privacy = {"k": 3, "suppression_limit": 0.05}
    spec = spec_from_dict(example_spec(consent=None, privacy=privacy), base_dir=small)
    results = []
    for engine in ("duckdb", "reference"):
        out = tmp_path / engine
        out.mkdir()
        results.append(
            run_release(
                spec, key=KEY, output_dir=out, engine=engine, excluded_hashes=hashes,
                hash_key=registry_key, membership_key=registry_key,
            )
        )  # fmt: skip
    fast, ref = results
    assert fast.excluded_by_consent == ref.excluded_by_consent == 30
    assert fast.report["consent"]["rows_excluded_by_registry_hashes"] == 30
    assert fast.output.read_bytes() == ref.output.read_bytes()
    assert fast.membership.read_bytes() == ref.membership.read_bytes()
    released = set(pq.read_table(fast.output).column("pseudonym").to_pylist())
    assert not released & {pseudonym(KEY, i) for i in withdrawn}
    # The index is keyed for the registry: the registry finds its people in it.
    kept = [i for i in ids[30:60]]
    found = membership_matches(fast.membership, [pseudonym(registry_key, i) for i in kept])
    assert found and found <= {pseudonym(registry_key, i) for i in kept}
    assert not membership_matches(fast.membership, hashes)
    assert not membership_matches(fast.membership, [pseudonym(KEY, i) for i in kept])
    with pytest.raises(ReleaseError, match="hash_key"):
        run_release(spec, key=KEY, output_dir=tmp_path, excluded_hashes=hashes)
    _PRODUCED.append((fast.output, QIS, ["diagnosis"], fast.report))


def test_zz_pycanon_confirms_every_release_written_above():
    """Runs after the tests above in this module (pytest keeps file order)."""
    if not _PRODUCED:
        pytest.skip("run together with the tests above")
    assert_oracle_agrees(_PRODUCED)


def test_the_same_input_gives_the_same_bytes_on_several_threads(tmp_path):
    # Many row groups let DuckDB read on both threads at once; the rows must still reach
    # the blocks in the input's order, or each run would write other bytes.
    write_patients(tmp_path / "one.parquet", 60_000, seed=11)
    pq.write_table(
        pq.read_table(tmp_path / "one.parquet"), tmp_path / "patients.parquet", row_group_size=2000
    )
    write_ethnicity_hierarchy(tmp_path / "ethnicity_hierarchy.csv")
    write_optouts(tmp_path / "patients.parquet", tmp_path / "optouts.csv", share=0.05, invalid=0)
    spec = example_spec(drop=[])
    digests = set()
    for run, threads in enumerate([2, 2, 2, 1]):
        out = tmp_path / f"run{run}"
        out.mkdir()
        run_release(
            spec_from_dict(spec, base_dir=tmp_path),
            key=KEY,
            output_dir=out,
            threads=threads,
            block_rows=5000,
        )
        digests.add(
            tuple(
                hashlib.sha256((out / name).read_bytes()).hexdigest()
                for name in ("release.parquet", "release.membership.parquet")
            )
        )
    assert len(digests) == 1
