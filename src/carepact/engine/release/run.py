"""Running a release end to end, checking any table, and explaining a spec's search."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from carepact.engine.hashchain import canonical_json, sha256_hex
from carepact.engine.release.errors import ReleaseError
from carepact.engine.release.fast import FastEngine
from carepact.engine.release.io import (
    BLOCK_ROWS,
    AtomicOutputs,
    ReleaseWriter,
    connect,
    from_clause,
    input_files,
    load_exclusions,
    plan_input,
    quote,
    release_schema,
    write_membership,
)
from carepact.engine.release.model import Analysis, HashedExclusions
from carepact.engine.release.pseudonym import key_identifier
from carepact.engine.release.reference import ReferenceEngine
from carepact.engine.release.report import build_report, render_html, risk_of, size_distribution
from carepact.engine.release.spec import ReleaseSpec, check_key, load_spec, spec_from_dict

ENGINE_VERSION = "carepact-release/1.0"
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class ReleaseResult:
    """What a release wrote and what it achieved."""

    output: Path
    report_json: Path
    report_html: Path
    manifest: Path
    membership: Path
    rows_in: int
    excluded_by_consent: int
    suppressed: int
    released: int
    levels: dict[str, str]
    k_achieved: int
    l_achieved: dict[str, float]
    report: dict[str, Any] = field(repr=False)


def output_paths(spec: ReleaseSpec, output_dir: Path | None = None) -> dict[str, Path]:
    """Where a release writes: the table, and its report, manifest and membership index."""
    out = spec.output if output_dir is None else Path(output_dir) / spec.output.name
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    base = out.parent / stem
    return {
        "output": out,
        "report_json": Path(f"{base}.report.json"),
        "report_html": Path(f"{base}.report.html"),
        "manifest": Path(f"{base}.manifest.json"),
        "membership": Path(f"{base}.membership.parquet"),
    }


def _as_spec(spec: ReleaseSpec | str | os.PathLike[str] | dict) -> ReleaseSpec:
    if isinstance(spec, ReleaseSpec):
        return spec
    if isinstance(spec, dict):
        return spec_from_dict(spec, base_dir=Path.cwd())
    return load_spec(spec)


def _engine(name: str):
    if name in ("duckdb", "fast"):
        return FastEngine
    if name == "reference":
        return ReferenceEngine
    raise ReleaseError(f"unknown engine {name}; use duckdb or reference")


def run_release(
    spec: ReleaseSpec | str | os.PathLike[str] | dict,
    *,
    key: bytes,
    extra_exclusions: Iterable[str] = (),
    output_dir: Path | None = None,
    progress: Progress | None = None,
    engine: str = "duckdb",
    threads: int | None = None,
    memory_limit: str | None = None,
    block_rows: int = BLOCK_ROWS,
    excluded_hashes: Iterable[str] = (),
    hash_key: bytes | None = None,
    membership_key: bytes | None = None,
) -> ReleaseResult:
    """Run one release: consent, pseudonyms, the optimal generalisation, and every output.

    ``key`` is the pseudonymisation key in memory; ``extra_exclusions`` are identifiers to
    exclude on top of the spec's consent list (a registry's opt-outs); ``excluded_hashes``
    are more, given as keyed hashes (lowercase hex HMAC-SHA-256 of the identifier under
    ``hash_key``), as a registry that keeps no identifiers holds them; with
    ``membership_key`` the membership index holds keyed hashes under that key instead of
    the pseudonyms, so the registry can trace people into the release; ``output_dir``
    overrides the folder of the spec's output. ``progress`` is called with a stage name
    ("scan", "search", "write") and a fraction. Raises ReleaseError on bad input, having
    written nothing.
    """
    spec = _as_spec(spec)
    check_key(key)
    excluded_hashes = list(excluded_hashes)
    if excluded_hashes and hash_key is None:
        raise ReleaseError("excluded hashes need the key they were made with (hash_key)")
    hashed = HashedExclusions.from_hex(hash_key, excluded_hashes) if excluded_hashes else None
    started = dt.datetime.now(dt.UTC)
    paths = output_paths(spec, output_dir)
    out_dir = paths["output"].parent
    if not out_dir.is_dir():
        raise ReleaseError(f"output folder {out_dir.name} does not exist")
    outputs = AtomicOutputs(out_dir)
    spill = tempfile.TemporaryDirectory(prefix=".carepact-spill-", dir=out_dir)
    hasher: ThreadPoolExecutor | None = None
    con = connect(threads=threads, memory_limit=memory_limit, temp_dir=Path(spill.name))
    try:
        plan = plan_input(con, spec)
        exclusions = load_exclusions(spec, extra_exclusions)
        impl = _engine(engine)(con, spec, plan, exclusions.ids, hashed)

        def stage(name: str) -> Callable[[float], None] | None:
            return (lambda f: progress(name, f)) if progress else None

        scan = stage("scan")
        search_p = stage("search")

        scan_done = False

        def analyse_progress(f: float) -> None:
            # The first half is pass one, the second the search; the search reports 0 as it
            # starts, so its bar appears then, not at its first step.
            nonlocal scan_done
            if f < 0.5 and scan:
                scan(f * 2)
            elif f >= 0.5 and search_p:
                if scan and not scan_done:
                    scan(1.0)
                    scan_done = True
                search_p((f - 0.5) * 2)

        analysis = impl.analyse(analyse_progress if progress else None)
        if analysis.best is None:
            raise ReleaseError(
                "no generalisation meets the privacy model within the suppression limit; "
                "lower k or l, raise the suppression limit, or give coarser hierarchies"
            )
        types = _types(con, plan.relation, [*spec.sensitive_columns, *spec.keep])
        schema = release_schema(spec, types)
        out_tmp = outputs.temp_for(paths["output"])
        writer = ReleaseWriter(out_tmp, spec.format, schema)
        try:
            released, digests, runs = impl.write(
                key, writer, block_rows, stage("write"), membership_key=membership_key
            )
        finally:
            writer.close()
        # Files are hashed for the manifest two at a time (hashlib drops the GIL), the
        # inputs and the release file while the membership index is built.
        hasher = ThreadPoolExecutor(2)
        input_hashes = [(f, hasher.submit(_file_sha256, f)) for f in input_files(spec.source)]
        consent_hash = hasher.submit(_file_sha256, spec.consent.exclude_file)
        output_hashes = {"output": hasher.submit(_file_sha256, out_tmp)}
        key_id = key_identifier(key)
        consent = {
            "entries": exclusions.entries,
            "distinct_identifiers": len(exclusions.ids),
            "invalid_nhs_numbers": exclusions.invalid,
            "invalid_lines": list(exclusions.invalid_lines),
            "rows_excluded": analysis.excluded_consent,
            "registry_hashes": len(hashed.digests) if hashed else 0,
            "rows_excluded_by_registry_hashes": impl.excluded_by_hash,
        }
        columns = {
            "released": list(schema.names),
            "dropped_direct_identifiers": list(plan.dropped),
            "not_released": list(plan.not_released),
            "listed_in_drop_but_absent": list(plan.missing_drop),
        }
        report = build_report(
            spec, analysis, released=released, consent=consent, columns=columns, engine=impl.name
        )
        membership_tmp = outputs.temp_for(paths["membership"])
        index_key = membership_key if membership_key is not None else key
        members = write_membership(
            membership_tmp,
            digests,
            {"key_id": key_identifier(index_key), "release": paths["output"].name},
            runs,
        )
        report["rows"]["distinct_patients_released"] = members
        json_tmp = outputs.temp_for(paths["report_json"])
        json_tmp.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        html_tmp = outputs.temp_for(paths["report_html"])
        html_tmp.write_text(
            render_html(report, title=f"Release report: {paths['output'].name}"), encoding="utf-8"
        )
        finished = dt.datetime.now(dt.UTC)
        for name, tmp in (
            ("report_json", json_tmp),
            ("report_html", html_tmp),
            ("membership", membership_tmp),
        ):
            output_hashes[name] = hasher.submit(_file_sha256, tmp)
        manifest = {
            "engine_version": ENGINE_VERSION,
            "engine": impl.name,
            "spec_sha256": spec.fingerprint,
            "inputs": [{"file": f.name, "sha256": h.result()} for f, h in input_hashes],
            "consent_file_sha256": consent_hash.result(),
            "outputs": {
                name: {"file": paths[name].name, "sha256": h.result()}
                for name, h in output_hashes.items()
            },
            "counts": report["rows"],
            "levels": {c: v["name"] for c, v in report["levels"].items()},
            "key_id": key_id,
            "membership_key_id": key_identifier(index_key),
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
        }
        manifest_tmp = outputs.temp_for(paths["manifest"])
        manifest_tmp.write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        outputs.commit()
    except duckdb.Error:
        outputs.abort()
        raise ReleaseError("the input could not be read; check its format and columns") from None
    except BaseException:
        outputs.abort()
        raise
    finally:
        if hasher is not None:
            hasher.shutdown(wait=True, cancel_futures=True)
        con.close()
        spill.cleanup()
    return ReleaseResult(
        output=paths["output"],
        report_json=paths["report_json"],
        report_html=paths["report_html"],
        manifest=paths["manifest"],
        membership=paths["membership"],
        rows_in=analysis.rows_in,
        excluded_by_consent=analysis.excluded_consent,
        suppressed=analysis.best.suppressed,
        released=released,
        levels={c: v["name"] for c, v in report["levels"].items()},
        k_achieved=analysis.best.k_achieved,
        l_achieved=dict(report["achieved"]["l"]),
        report=report,
    )


def analyse_spec(
    spec: ReleaseSpec | str | os.PathLike[str] | dict,
    *,
    engine: str = "duckdb",
    extra_exclusions: Iterable[str] = (),
    progress: Progress | None = None,
) -> Analysis:
    """Pass one and the search only: what ``release explain`` shows. Needs no key."""
    spec = _as_spec(spec)
    con = connect()
    try:
        plan = plan_input(con, spec)
        exclusions = load_exclusions(spec, extra_exclusions)
        impl = _engine(engine)(con, spec, plan, exclusions.ids)
        return impl.analyse((lambda f: progress("search", f)) if progress else None)
    except duckdb.Error:
        raise ReleaseError("the input could not be read; check its format and columns") from None
    finally:
        con.close()


def _types(con: duckdb.DuckDBPyConnection, relation: str, cols: list[str]) -> dict:
    if not cols:
        return {}
    select = ", ".join(quote(c) for c in cols)
    schema = con.sql(f"SELECT {select} FROM {relation} LIMIT 0").to_arrow_table().schema  # noqa: S608
    return {c: schema.field(c).type for c in cols}


def _file_sha256(path: Path | None) -> str | None:
    if path is None:
        return None
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def membership_contains(index: Path, pseudonym_hex: str) -> bool:
    """True when the membership index of a release lists this pseudonym."""
    con = duckdb.connect()
    try:
        path = str(index).replace("'", "''")
        found = con.execute(
            f"SELECT count(*) FROM read_parquet('{path}') WHERE pseudonym = unhex($p)",  # noqa: S608
            {"p": pseudonym_hex},
        ).fetchall()[0]
        return bool(found and found[0])
    finally:
        con.close()


def membership_matches(index: Path, pseudonyms: Iterable[str]) -> set[str]:
    """The pseudonyms (lowercase hex) among ``pseudonyms`` that a release's index lists.

    For tracing withdrawals: hand in the pseudonyms of everyone who withdrew, get back
    those this release contained. Strings that are not 64 hex characters match nothing.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = {}
    for p in pseudonyms:
        text = str(p).strip().lower()
        if len(text) == 64:
            try:
                wanted[bytes.fromhex(text)] = text
            except ValueError:
                continue
    if not wanted:
        return set()
    values = pa.array(list(wanted), type=pa.binary(32))
    found: set[str] = set()
    parquet = pq.ParquetFile(str(index))
    for batch in parquet.iter_batches(columns=["pseudonym"], batch_size=1_000_000):
        column = batch.column(0)
        hits = column.filter(pc.is_in(column, value_set=values))
        found.update(wanted[b] for b in hits.to_pylist())
    return found


@dataclass(frozen=True)
class CheckResult:
    """Measured privacy of a table: k, l per sensitive attribute, risk, class sizes."""

    rows: int
    classes: int
    k: int
    l_distinct: dict[str, int]
    l_entropy: dict[str, float]
    risk: dict[str, Any]
    distribution: list[dict[str, Any]]
    meets: bool


def check_table(
    path: Path,
    *,
    qi: list[str],
    sensitive: list[str] = (),
    k: int = 1,  # type: ignore[assignment]
    l: float | None = None,  # noqa: E741 - the model's own name
    l_kind: str = "distinct",
) -> CheckResult:
    """Measure k-anonymity, l-diversity and prosecutor risk of any table (Parquet or CSV)."""
    from carepact.engine.release.spec import Source

    if not qi:
        raise ReleaseError("give at least one quasi-identifier column with --qi")
    if isinstance(k, bool) or k < 1:
        raise ReleaseError("k must be a whole number of at least 1")
    con = connect()
    try:
        relation = from_clause(con, Source(path=Path(path)))
        from carepact.engine.release.io import columns_of

        cols = columns_of(con, relation)
        missing = [c for c in (*qi, *sensitive) if c not in cols]
        if missing:
            raise ReleaseError(f"table has no column {', '.join(repr(c) for c in missing)}")
        group = ", ".join(quote(c) for c in qi)
        sizes = [
            r[0]
            for r in con.execute(f"SELECT count(*) FROM {relation} GROUP BY {group}").fetchall()  # noqa: S608
        ]
        if not sizes:
            raise ReleaseError("table has no rows")
        l_distinct: dict[str, int] = {}
        l_entropy: dict[str, float] = {}
        for s in sensitive:
            sq = quote(s)
            rows = con.execute(
                f"SELECT count(DISTINCT {sq}), sum(c), list(c) "  # noqa: S608
                f"FROM (SELECT {group}, {sq}, count(*) AS c "
                f"FROM {relation} GROUP BY {group}, {sq}) GROUP BY {group}"
            ).fetchall()
            l_distinct[s] = min(r[0] for r in rows)
            l_entropy[s] = min(
                math.exp(-sum(c / r[1] * math.log(c / r[1]) for c in r[2])) for r in rows
            )
        k_found = min(sizes)
        meets = k_found >= k
        if l is not None:
            values = l_entropy if l_kind == "entropy" else l_distinct
            meets = meets and all(v >= l - 1e-9 for v in values.values())
        return CheckResult(
            rows=sum(sizes),
            classes=len(sizes),
            k=k_found,
            l_distinct=l_distinct,
            l_entropy=l_entropy,
            risk=risk_of(sizes),
            distribution=size_distribution(sizes),
            meets=meets,
        )
    except duckdb.Error:
        raise ReleaseError("the table could not be read; check its format and columns") from None
    finally:
        con.close()


def spec_digest(data: dict) -> str:
    return sha256_hex(canonical_json(data))
