"""carepact release: run, check and explain de-identified releases from the command line.

Thin on purpose: it parses arguments, calls ``carepact.engine.release`` and prints with
Rich. It needs no database. Bad input stops with one line and exit code 2; a table that
``check`` finds below the asked k or l exits with 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from carepact.engine.release import (
    ReleaseError,
    analyse_spec,
    check_table,
    load_spec,
    resolve_key,
    run_release,
)

_STAGES = {
    "scan": "Pass 1: reading and counting",
    "search": "Searching the lattice",
    "write": "Pass 2: writing the release",
}


class Command(BaseCommand):
    help = "Run a release from a spec, check the privacy of any table, or explain a spec's search."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run,check,explain}")
        run = sub.add_parser("run", help="run the release a spec describes")
        run.add_argument("spec", type=Path, help="the release spec (YAML or JSON)")
        run.add_argument(
            "--output-dir",
            type=Path,
            help="write the outputs here instead of beside the spec's output",
        )
        run.add_argument(
            "--engine",
            choices=["duckdb", "reference"],
            default="duckdb",
            help="reference is the plain-Python engine, for small data",
        )
        run.add_argument(
            "--threads", type=int, help="DuckDB threads (default: all cores, at most 8)"
        )
        run.add_argument(
            "--memory-limit",
            help="DuckDB memory limit, e.g. 1GB (default 400MB: its queries stream)",
        )
        check = sub.add_parser("check", help="measure k, l and re-identification risk of a table")
        check.add_argument("file", type=Path, help="a Parquet or CSV file, or a folder of them")
        check.add_argument(
            "--qi", nargs="+", required=True, metavar="COL", help="quasi-identifier columns"
        )
        check.add_argument(
            "--sensitive", nargs="+", default=[], metavar="COL", help="sensitive columns"
        )
        check.add_argument("--k", type=int, required=True, help="the k the table should meet")
        check.add_argument("--l", type=float, help="the l each sensitive column should meet")
        check.add_argument("--l-kind", choices=["distinct", "entropy"], default="distinct")
        explain = sub.add_parser("explain", help="show the lattice, the candidates and why one won")
        explain.add_argument("spec", type=Path)
        explain.add_argument("--engine", choices=["duckdb", "reference"], default="duckdb")

    def handle(self, *args, action, **options):
        self.console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)  # type: ignore[attr-defined]
        try:
            if action == "run":
                self._run(options)
            elif action == "check":
                self._check(options)
            else:
                self._explain(options)
        except ReleaseError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _run(self, options) -> None:
        spec = load_spec(options["spec"])
        key = resolve_key(spec, base_dir=options["spec"].resolve().parent)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        ) as bar:
            tasks = {name: bar.add_task(label, total=1.0) for name, label in _STAGES.items()}

            def progress(stage: str, fraction: float) -> None:
                bar.update(tasks[stage], completed=min(1.0, max(0.0, fraction)))

            result = run_release(
                spec,
                key=key,
                output_dir=options["output_dir"],
                progress=progress,
                engine=options["engine"],
                threads=options["threads"],
                memory_limit=options["memory_limit"],
            )
            for task in tasks.values():
                bar.update(task, completed=1.0)
        report = result.report
        table = Table(title="Release summary", show_header=False)
        table.add_column("what")
        table.add_column("value", justify="right")
        rows = report["rows"]
        table.add_row("rows in", f"{rows['in']:,}")
        table.add_row("excluded by consent", f"{rows['excluded_by_consent']:,}")
        if rows["excluded_missing_identifier"]:
            table.add_row("excluded: no identifier", f"{rows['excluded_missing_identifier']:,}")
        table.add_row("suppressed", f"{rows['suppressed']:,}")
        table.add_row("released", f"{rows['released']:,}")
        table.add_row("k achieved", f"{result.k_achieved:,} (asked {spec.privacy.k})")
        for col, value in result.l_achieved.items():
            table.add_row(f"l achieved ({col})", f"{value:g}")
        table.add_row("highest risk (prosecutor)", f"{report['risk']['highest']:.2%}")
        table.add_row("average risk", f"{report['risk']['average']:.2%}")
        table.add_row("information loss", f"{report['information_loss']['loss']:.4f}")
        for col, name in result.levels.items():
            table.add_row(f"level: {col}", name)
        if report["consent"]["invalid_nhs_numbers"]:
            lines = ", ".join(str(n) for n in report["consent"]["invalid_lines"])
            table.add_row(
                "opt-outs failing the NHS checksum",
                f"{report['consent']['invalid_nhs_numbers']:,} (lines {lines})",
            )
        self.console.print(table)
        for label, path in (
            ("release", result.output),
            ("report", result.report_html),
            ("report (JSON)", result.report_json),
            ("manifest", result.manifest),
            ("membership index", result.membership),
        ):
            self.console.print(f"{label}: {path}")

    def _check(self, options) -> None:
        result = check_table(
            options["file"],
            qi=options["qi"],
            sensitive=options["sensitive"],
            k=options["k"],
            l=options["l"],
            l_kind=options["l_kind"],
        )
        table = Table(title=f"Privacy of {options['file'].name}", show_header=False)
        table.add_column("what")
        table.add_column("value", justify="right")
        table.add_row("rows", f"{result.rows:,}")
        table.add_row("equivalence classes", f"{result.classes:,}")
        table.add_row("k (smallest class)", f"{result.k:,}")
        for col in options["sensitive"]:
            table.add_row(f"distinct l ({col})", f"{result.l_distinct[col]:,}")
            table.add_row(f"entropy l ({col})", f"{result.l_entropy[col]:.3f}")
        table.add_row("highest risk (prosecutor)", f"{result.risk['highest']:.2%}")
        table.add_row("average risk", f"{result.risk['average']:.2%}")
        self.console.print(table)
        dist = Table(title="Class sizes")
        dist.add_column("size")
        dist.add_column("classes", justify="right")
        dist.add_column("records", justify="right")
        for row in result.distribution:
            dist.add_row(row["size"], f"{row['classes']:,}", f"{row['records']:,}")
        self.console.print(dist)
        asked = f"k={options['k']}" + (f", l={options['l']:g}" if options["l"] is not None else "")
        if result.meets:
            self.console.print(f"The table meets {asked}.")
        else:
            raise CommandError(f"the table does not meet {asked}", returncode=1)

    def _explain(self, options) -> None:
        spec = load_spec(options["spec"])
        analysis = analyse_spec(spec, engine=options["engine"])
        lattice = Table(title="Generalisation lattice: the levels of each quasi-identifier")
        lattice.add_column("column")
        lattice.add_column("levels (0 = the value itself)")
        for d in analysis.domains:
            lattice.add_row(
                d.column, " → ".join(f"{i}: {name}" for i, name in enumerate(d.level_names))
            )
        self.console.print(lattice)
        self.console.print(
            f"{analysis.lattice_size:,} nodes; {analysis.evaluated:,} evaluated, "
            f"{analysis.tagged:,} ruled out by monotonicity or two-way projections, "
            f"{analysis.pruned:,} ruled out by the loss bound. "
            f"{analysis.rows:,} rows after consent; at most "
            f"{int(spec.privacy.suppression_limit * analysis.rows):,} may be suppressed."
        )
        metric = spec.privacy.metric
        cand = Table(title=f"Candidate solutions meeting the privacy model (metric: {metric})")
        cand.add_column("#", justify="right")
        for d in analysis.domains:
            cand.add_column(d.column)
        cand.add_column("loss", justify="right")
        cand.add_column("discernibility", justify="right")
        cand.add_column("suppressed", justify="right")
        for i, o in enumerate(analysis.candidates[:15], start=1):
            cand.add_row(
                str(i),
                *(d.level_names[lv] for d, lv in zip(analysis.domains, o.levels, strict=True)),
                f"{float(o.loss):.4f}",
                f"{o.discernibility:,}",
                f"{o.suppressed:,}",
            )
        self.console.print(cand)
        best = analysis.best
        if best is None:
            raise ReleaseError(
                "no generalisation meets the privacy model within the suppression limit"
            )
        reason = f"Chosen: candidate 1, the lowest {metric}"
        if len(analysis.candidates) > 1:
            runner = analysis.candidates[1]
            if metric == "loss":
                reason += f" ({float(best.loss):.4f} against {float(runner.loss):.4f} for the next)"
            else:
                reason += (
                    f" ({best.discernibility:,} against {runner.discernibility:,} for the next)"
                )
        reason += (
            ". Ties go to fewer suppressed records, then the lower node. Every node not listed "
            "either fails k or l within the suppression limit or cannot beat it on the metric."
        )
        self.console.print(reason)
