"""Benchmark of the release engine: 1M and 10M synthetic admissions, against plain DuckDB
and against anjana.

    .venv/bin/python bench/bench_release.py [--runs 3] [--sizes 1000000 10000000]
                                            [--anjana-timeout 900] [--no-anjana]

Each run is a child process, so its wall time and peak memory (its own VmHWM) are its
own. For each size it measures the release (6 quasi-identifiers, k=10, distinct l=2 on
the diagnosis, 2% suppression limit, 5% of patients opted out) and, in the same run, a
plain DuckDB scan-group-write of the same file (read, GROUP BY the 6 columns counting rows,
write the input back out to Parquet), and prints medians and the ratio. anjana (in the
oracle environment) runs at 1M where it finishes within the timeout, else at a smaller
size, and the information loss of both is computed with the same metric. The results go
into bench/RESULTS.md between the release markers.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
PY = sys.executable
ORACLE = ROOT / ".venv-oracle" / "bin" / "python"
QIS = ["age", "sex", "postcode", "ethnicity", "deprivation_decile", "admission_date"]
SPEC = """\
input: {data}
output: release.parquet
patient_id: nhs_number
quasi_identifiers:
  age: {{hierarchy: age}}
  sex: {{hierarchy: none}}
  postcode: {{hierarchy: uk_postcode}}
  ethnicity: {{hierarchy: categorical, file: ethnicity_hierarchy.csv}}
  deprivation_decile: {{hierarchy: numeric, widths: [2]}}
  admission_date: {{hierarchy: date}}
sensitive: [diagnosis]
keep: [lab_value]
privacy: {{k: 10, l: 2, suppression_limit: 0.02}}
consent: {{exclude: {optouts}, column: nhs_number}}
"""
START, END = "<!-- release-bench:start -->", "<!-- release-bench:end -->"
LOAD_AT_START = os.getloadavg()[0]


def label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows >= 1_000_000 else f"{rows // 1000}k"


def prepare(rows: int) -> Path:
    from carepact.engine.release import synth

    DATA.mkdir(parents=True, exist_ok=True)
    name = label(rows)
    data = DATA / f"patients_{name}.parquet"
    if not data.exists():
        print(f"generating {data.name}", flush=True)
        synth.write_patients(data, rows, seed=42)
    optouts = DATA / f"optouts_{name}.csv"
    if not optouts.exists():
        synth.write_optouts(data, optouts, share=0.05, invalid=50)
    synth.write_ethnicity_hierarchy(DATA / "ethnicity_hierarchy.csv")
    spec = DATA / f"spec_{name}.yaml"
    spec.write_text(SPEC.format(data=data.name, optouts=optouts.name))
    return spec


def _hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def child(args: list[str], timeout: float | None = None) -> tuple[dict, float]:
    """Run one child; return its JSON line and its peak resident memory in MiB.

    The peak is the child's own high-water mark (VmHWM, read until it exits): wait4's
    ru_maxrss would also count the parent's pages the child held before exec.
    """
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    deadline = time.monotonic() + timeout if timeout else None
    peak = 0
    while True:
        peak = max(peak, _hwm_kib(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise TimeoutError
        time.sleep(0.02)
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(err[-3000:])
    return json.loads(out.strip().splitlines()[-1]), (peak or usage.ru_maxrss) / 1024


def bench_size(rows: int, runs: int) -> dict:
    spec = prepare(rows)
    out = DATA / f"out_{label(rows)}"
    out.mkdir(exist_ok=True)
    data = DATA / f"patients_{label(rows)}.parquet"
    releases, baselines = [], []
    for i in range(runs):
        result, rss = child(
            [PY, str(ROOT / "bench" / "release_child.py"), "release", str(spec), str(out)]
        )
        result["rss"] = rss
        releases.append(result)
        base, base_rss = child(
            [PY, str(ROOT / "bench" / "release_child.py"), "baseline", str(data), str(out), *QIS]
        )
        base["rss"] = base_rss
        baselines.append(base)
        ratio = result["wall"] / base["wall"]
        print(
            f"{label(rows)} run {i + 1}: release {result['wall']:.1f} s, {rss:.0f} MiB; "
            f"plain DuckDB {base['wall']:.1f} s; ratio {ratio:.2f}",
            flush=True,
        )
    med = statistics.median
    return {
        "rows": rows,
        "runs": runs,
        "wall": med(r["wall"] for r in releases),
        "rss": med(r["rss"] for r in releases),
        "rss_max": max(r["rss"] for r in releases),
        "baseline": med(b["wall"] for b in baselines),
        "ratio": med(r["wall"] / b["wall"] for r, b in zip(releases, baselines, strict=True)),
        "stages": releases[len(releases) // 2]["stages"],
        "last": releases[-1],
    }


def anjana_compare(rows: int, timeout: float) -> dict:
    """anjana's l-diversity against ours on the same consented rows, same hierarchies."""
    import duckdb
    import pyarrow.csv as pacsv

    from carepact.engine.release import load_spec
    from carepact.engine.release.hierarchy import build_domain

    spec_path = prepare(rows)
    spec = load_spec(spec_path)
    name = label(rows)
    data = DATA / f"patients_{name}.parquet"
    optouts = DATA / f"optouts_{name}.csv"
    con = duckdb.connect()
    table = con.sql(
        f"SELECT {', '.join(QIS)}, diagnosis FROM read_parquet('{data}') "  # noqa: S608
        f"WHERE nhs_number NOT IN "
        f"(SELECT nhs_number FROM read_csv('{optouts}', all_varchar = true))"
    ).to_arrow_table()
    csv_path = DATA / f"anjana_in_{name}.csv"
    cast = table.cast(
        __import__("pyarrow").schema(
            [(f.name, __import__("pyarrow").string()) for f in table.schema]
        )
    )
    pacsv.write_csv(cast, str(csv_path))
    domains = {}
    hier = {}
    for q in spec.quasi_identifiers:
        values = sorted(set(table.column(q.column).to_pylist()), key=repr)
        d = build_domain(q.column, q.hierarchy, values)
        domains[q.column] = d
        hier[q.column] = {
            str(i): [d.labels[lv][d.codes[lv][j]] for j in range(len(values))]
            for i, lv in enumerate(range(d.height))
        }
        hier[q.column]["0"] = [str(v) for v in values]  # the text the CSV holds
    hier_path = DATA / f"anjana_hier_{name}.json"
    hier_path.write_text(json.dumps(hier))
    out_csv = DATA / f"anjana_out_{name}.csv"
    try:
        result, rss = child(
            [
                str(ORACLE),
                str(ROOT / "bench" / "anjana_run.py"),
                str(csv_path),
                str(hier_path),
                str(out_csv),
                "10",
                "2",
                "2",
            ],
            timeout=timeout,
        )
    except TimeoutError:
        return {"rows": rows, "finished": False, "timeout": timeout, "in": table.num_rows}
    loss = _loss_of_output(out_csv, domains, table.num_rows)
    return {
        "rows": rows,
        "finished": True,
        "wall": result["wall"],
        "rss": rss,
        "rows_out": result["rows_out"],
        "in": table.num_rows,
        "loss": loss,
    }


def _loss_of_output(path: Path, domains: dict, rows_in: int) -> float:
    """Our loss metric on any generalised table: NCP of each cell, 1 per suppressed cell."""
    import pyarrow.csv as pacsv

    out = pacsv.read_csv(
        str(path), convert_options=pacsv.ConvertOptions(column_types={q: "string" for q in QIS})
    )
    n_out = out.num_rows
    total = 0.0
    for q, d in domains.items():
        values = out.column(q).to_pylist() if n_out else []
        chosen = None
        for lv in range(d.height):
            labels = set(d.labels[lv])
            if set(values) <= labels:
                chosen = lv
                break
        if chosen is None:  # the raw text of level 0 differs from its label (not expected)
            chosen = 0
        index = {lab: i for i, lab in enumerate(d.labels[chosen])}
        ncp = sum(int(d.ncp_num[chosen][index[v]]) for v in values if v in index) / d.ncp_den
        total += ncp + (rows_in - n_out)
    return total / (len(domains) * rows_in)


def write_results(sizes: list[dict], anjana: list[dict], ours_small: dict | None) -> str:
    by = {s["rows"]: s for s in sizes}
    lines = [START, "## Release engine (`bench/bench_release.py`)", ""]
    lines.append(
        f"Machine: 2 cores, 24 GiB ({platform.machine()}, Python {platform.python_version()}); "
        f"date {datetime.date.today().isoformat()}. Each figure is the median of the runs "
        f"shown; every run is a child process, peak memory is its own high-water mark (VmHWM). "
        f"Load average (1 min) when the runs began: "
        f"{LOAD_AT_START:.1f}; at the end: {os.getloadavg()[0]:.1f} (other work on the machine "
        f"inflates wall times)."
    )
    lines.append("")
    lines.append(
        "Workload: synthetic admissions (`carepact.engine.release.synth`), 6 quasi-identifiers "
        "(age, sex, postcode district, ethnicity, deprivation decile, admission date), k=10, "
        "distinct l=2 on the diagnosis, 2% suppression limit, 5% of patients opted out."
    )
    lines.append("")
    lines.append(
        "| rows | runs | release wall (s) | peak RSS (MiB) "
        "| plain DuckDB scan-group-write (s) | ratio | lattice nodes evaluated | loss |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for s in sizes:
        last = s["last"]
        lines.append(
            f"| {s['rows']:,} | {s['runs']} | {s['wall']:.1f} | "
            f"{s['rss']:.0f} (max {s['rss_max']:.0f}) | "
            f"{s['baseline']:.1f} | {s['ratio']:.2f} | {last['evaluated']} of {last['lattice']} | "
            f"{last['loss']:.4f} |"
        )
    lines.append("")
    for s in sizes:
        st = s["stages"]
        lines.append(
            f"- {label(s['rows'])} stages (median run): pass 1 from {st.get('scan', 0):.1f} s, "
            f"search from {st.get('search', 0):.1f} s, pass 2 from {st.get('write', 0):.1f} s to "
            f"{s['wall']:.1f} s; chosen levels {s['last']['levels']}; released "
            f"{s['last']['released']:,}, suppressed {s['last']['suppressed']:,}."
        )
    if 10_000_000 in by:
        t = by[10_000_000]
        lines.append("")
        lines.append(
            f"Targets at 10M: under 30 s wall: **{'met' if t['wall'] < 30 else 'not met'}** "
            f"({t['wall']:.1f} s); under 1.5 GiB peak: "
            f"**{'met' if t['rss'] < 1536 else 'not met'}** "
            f"({t['rss']:.0f} MiB); within 3x of plain DuckDB: "
            f"**{'met' if t['ratio'] <= 3 else 'not met'}** ({t['ratio']:.2f})."
        )
    if len(sizes) > 1:
        lines.append(
            "Memory against rows: "
            + ", ".join(f"{label(s['rows'])}: {s['rss']:.0f} MiB" for s in sizes)
            + "."
        )
    lines.append("")
    lines.append("### anjana")
    for a in anjana:
        if a["finished"]:
            ours = (
                ours_small if ours_small and ours_small["rows"] == a["rows"] else by.get(a["rows"])
            )
            speed = (
                f"; carepact {ours['wall']:.1f} s, speed-up {a['wall'] / ours['wall']:.0f}x"
                if ours
                else ""
            )
            our_loss = f", carepact's {ours['last']['loss']:.4f}" if ours else ""
            lines.append(
                f"- {a['rows']:,} rows: anjana (k=10, l=2, 2% suppression) took {a['wall']:.1f} s, "
                f"{a['rss']:.0f} MiB, kept {a['rows_out']:,} of {a['in']:,} rows; "
                f"loss {a['loss']:.4f}"
                f"{our_loss}{speed}."
            )
        else:
            lines.append(
                f"- {a['rows']:,} rows: anjana did not finish within {a['timeout']:.0f} s."
            )
    lines.append("")
    lines.append(
        "Loss is carepact's metric for both (average NCP per quasi-identifier cell, 1 per "
        "suppressed cell), computed from each tool's output with the same hierarchies."
    )
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--anjana-timeout", type=float, default=900)
    parser.add_argument("--anjana-sizes", type=int, nargs="+", default=[1_000_000, 100_000])
    parser.add_argument("--no-anjana", action="store_true")
    parser.add_argument(
        "--no-write", action="store_true", help="print the results, leave RESULTS.md alone"
    )
    args = parser.parse_args()
    sizes = [bench_size(rows, args.runs) for rows in args.sizes]
    anjana, ours_small = [], None
    if not args.no_anjana and ORACLE.exists():
        for rows in args.anjana_sizes:
            print(f"anjana at {label(rows)} (timeout {args.anjana_timeout:.0f} s)", flush=True)
            result = anjana_compare(rows, args.anjana_timeout)
            anjana.append(result)
            print(json.dumps(result), flush=True)
            if result["finished"]:
                if rows not in args.sizes:
                    ours_small = bench_size(rows, args.runs)
                break
    text = write_results(sizes, anjana, ours_small)
    print(text)
    if not args.no_write:
        results = ROOT / "bench" / "RESULTS.md"
        current = results.read_text() if results.exists() else "# Benchmark results\n"
        if START in current:
            before, rest = current.split(START, 1)
            after = rest.split(END, 1)[1] if END in rest else ""
            current = before + text + after
        else:
            current = current.rstrip("\n") + "\n\n" + text + "\n"
        results.write_text(current)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
