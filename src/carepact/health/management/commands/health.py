"""carepact health: print a partnership's health report; close rounds past their date."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from carepact.health import services
from carepact.health.models import Round
from carepact.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Partnership health checks. 'report SLUG [--round N] [--json]' prints the results of "
        "a closed health check (the latest by default) with the same suppression as the "
        "pages; 'close-due [--execute]' closes rounds whose closing date has passed."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        report = sub.add_parser("report", help="print a closed health check's results")
        report.add_argument("slug", help="the partnership's slug")
        report.add_argument("--round", type=int, dest="number", help="the round (default: latest)")
        report.add_argument("--json", action="store_true", help="the whole report as JSON")
        due = sub.add_parser("close-due", help="close rounds past their closing date")
        due.add_argument("--execute", action="store_true", help="close them (default: list)")

    def handle(self, *args, subcommand, **options):
        if subcommand == "report":
            return self.report(options["slug"], options.get("number"), options["json"])
        return self.close_due(options["execute"])

    def report(self, slug: str, number: int | None, as_json: bool) -> None:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {slug!r}.", returncode=2)
        closed = partnership.health_rounds.filter(status=Round.Status.CLOSED)
        found = (
            closed.filter(number=number).first() if number else closed.order_by("-number").first()
        )
        if found is None:
            what = f"no closed health check {number}" if number else "no closed health check"
            raise CommandError(f"{partnership.slug} has {what}.", returncode=2)
        report = {
            "partnership": {"slug": partnership.slug, "title": partnership.title},
            **services.report_for(found),
        }
        if as_json:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self.stdout.write(self.summary(report))

    def summary(self, report: dict) -> str:
        names = {p["key"]: p["name"] for p in report["parties"]}
        r, part = report["round"], report["participation"]
        lines = [
            f"{report['partnership']['title']}: health check {r['number']} ({r['kind']}), "
            f"closed {r['date']}",
            f"Answered: {part['responded']} of {part['invited']}"
            + (f" ({part['rate'] * 100:.0f}%)" if part["rate"] is not None else ""),
        ]
        if report["index"]:
            low, high = report["index"]["ci"]
            lines.append(
                f"Health index: {report['index']['value']:.0f}/100 ({low:.0f} to {high:.0f})"
            )
        lines.append("")
        shown = [p for p in report["parties"] if p["shown"]]
        header = f"{'factor':40} {'all':>6}" + "".join(
            f" {names[p['key']][:14]:>14}" for p in shown
        )
        lines.append(header)
        for c in report["constructs"]:
            mean = c["partnership"]["mean"]
            row = f"{c['code'] + ' ' + c['name']:40.40} {'—' if mean is None else f'{mean:.2f}':>6}"
            for p in shown:
                m = c["parties"].get(p["key"], {}).get("mean")
                row += f" {'—' if m is None else f'{m:.2f}':>14}"
            lines.append(row)
        lines.append("")
        lines.append(f"Warnings: {len(report['warnings'])}")
        for w in report["warnings"]:
            lines.append(f"  [{w['severity']}] {w['rule']} {w['title']}")
        for note in report["anonymity"]["notes"]:
            lines.append(f"Note: {note}")
        return "\n".join(lines)

    def close_due(self, execute: bool) -> None:
        due = services.close_due()
        if not due:
            self.stdout.write("No health check is past its closing date.")
            return
        for found in due:
            line = f"{found.partnership.slug}: health check {found.number}, due {found.closes_on}"
            if not execute:
                self.stdout.write(f"would close {line}")
                continue
            with transaction.atomic():
                services.close_round(None, found)
            self.stdout.write(f"closed {line}")
        if not execute:
            self.stdout.write("Dry run: add --execute to close them.")
