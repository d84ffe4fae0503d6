"""One measured run, in its own process so its peak memory is its own.

    release_child.py release SPEC OUTDIR   run carepact's release engine on SPEC
    release_child.py baseline PARQUET OUTDIR COL...   plain DuckDB: scan, group, write

Prints one JSON line: wall seconds per stage and overall.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def release(spec_path: str, out_dir: str) -> dict:
    from carepact.engine.release import load_spec, run_release

    stages: dict[str, float] = {}
    start = time.perf_counter()

    def progress(stage: str, fraction: float) -> None:
        stages.setdefault(stage, time.perf_counter() - start)

    result = run_release(
        load_spec(spec_path),
        key=b"benchmark-key-0123456789abcdef",
        output_dir=Path(out_dir),
        progress=progress,
        threads=2,
        memory_limit="600MB",
    )
    wall = time.perf_counter() - start
    report = result.report
    return {
        "wall": wall,
        "stages": stages,
        "released": result.released,
        "suppressed": result.suppressed,
        "excluded": result.excluded_by_consent,
        "levels": result.levels,
        "k": result.k_achieved,
        "l": result.l_achieved,
        "loss": report["information_loss"]["loss"],
        "evaluated": report["search"]["evaluated"],
        "lattice": report["search"]["lattice_size"],
    }


def baseline(parquet: str, out_dir: str, cols: list[str]) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET memory_limit = '600MB'")
    con.execute("SET enable_progress_bar = false")
    start = time.perf_counter()
    group = ", ".join(cols)
    groups = con.sql(
        f"SELECT count(*) FROM (SELECT {group}, count(*) "  # noqa: S608
        f"FROM read_parquet('{parquet}') GROUP BY ALL)"
    )
    n_groups = groups.fetchall()[0][0]
    out = Path(out_dir) / "baseline.parquet"
    con.execute(f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{out}' (FORMAT parquet)")  # noqa: S608
    wall = time.perf_counter() - start
    out.unlink()
    return {"wall": wall, "groups": n_groups}


def main() -> None:
    kind = sys.argv[1]
    if kind == "release":
        print(json.dumps(release(sys.argv[2], sys.argv[3])))
    else:
        print(json.dumps(baseline(sys.argv[2], sys.argv[3], sys.argv[4:])))


if __name__ == "__main__":
    main()
