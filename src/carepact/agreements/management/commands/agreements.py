"""carepact agreements list|verify|export: agreements from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from carepact.agreements import documents, services
from carepact.agreements.models import Agreement
from carepact.engine.agreements.topics import KINDS, Kind
from carepact.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Agreements. 'list' shows every agreement (or one partnership's) with its current "
        "version and the fingerprint of the version in force; 'verify' recomputes the SHA-256 "
        "of every signed version (or one agreement's) and exits 1 naming any that no longer "
        "match; 'export' writes one version as Word, PDF or Markdown."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="list agreements")
        listing.add_argument("--partnership", metavar="SLUG", help="only this partnership's")
        listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
        verify = sub.add_parser("verify", help="recompute the hashes of signed versions")
        verify.add_argument("id", nargs="?", type=int, help="only this agreement's versions")
        export = sub.add_parser("export", help="write a version as docx, pdf or md")
        export.add_argument("id", type=int, help="the agreement")
        export.add_argument("--version", type=int, help="the version (default: the newest)")
        export.add_argument("--format", required=True, choices=sorted(documents.FORMATS))
        export.add_argument("--output", required=True, metavar="FILE")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _list(self, *, partnership=None, json=False, **options):
        agreements = Agreement.objects.select_related("partnership").order_by(
            "partnership__slug", "pk"
        )
        if partnership:
            if not Partnership.objects.filter(slug=partnership).exists():
                raise CommandError(f"No partnership with the slug {partnership!r}.", returncode=2)
            agreements = agreements.filter(partnership__slug=partnership)
        rows = []
        for agreement in agreements.prefetch_related("versions", "parties__organisation"):
            versions = sorted(agreement.versions.all(), key=lambda v: v.number)
            signed = next((v for v in reversed(versions) if v.status == "signed"), None)
            rows.append(
                {
                    "id": agreement.pk,
                    "partnership": agreement.partnership.slug,
                    "kind": agreement.kind,
                    "title": agreement.title,
                    "parties": [p.organisation.slug for p in agreement.parties.all()],
                    "version": versions[-1].number,
                    "status": versions[-1].status,
                    "in_force": signed.number if signed else None,
                    "sha256": signed.hash if signed else None,
                }
            )
        if json:
            self.stdout.write(_json(rows))
            return
        table = Table(title="Agreements")
        for column in ("id", "partnership", "kind", "title", "version", "in force", "sha256"):
            table.add_column(column)
        for r in rows:
            table.add_row(
                str(r["id"]),
                r["partnership"],
                KINDS[Kind(r["kind"])].label,
                r["title"],
                f"{r['version']} ({r['status']})",
                str(r["in_force"] or "—"),
                (r["sha256"] or "")[:16],
            )
        Console(file=self.stdout, width=160).print(table)

    def _verify(self, *, id=None, **options):
        if id is not None and not Agreement.objects.filter(pk=id).exists():
            raise CommandError(f"No agreement with the id {id}.", returncode=2)
        results = services.verify_all(agreement_id=id)
        for result in results:
            v = result.version
            name = f"agreement {v.agreement_id} version {v.number} ({v.agreement.title})"
            if result.ok:
                self.stdout.write(f"ok      {name}: {v.hash}")
            else:
                self.stdout.write(f"BROKEN  {name}: {result.problem}")
        broken = [r for r in results if not r.ok]
        if broken:
            names = ", ".join(
                f"agreement {r.version.agreement_id} version {r.version.number}" for r in broken
            )
            raise CommandError(
                f"{len(broken)} signed version{'s do' if len(broken) != 1 else ' does'} not "
                f"verify: {names}.",
                returncode=1,
            )
        self.stdout.write(
            f"Every signed version verifies: {len(results)} version"
            f"{'s' if len(results) != 1 else ''}."
        )

    def _export(self, *, id, version=None, format, output, **options):
        agreement = Agreement.objects.select_related("partnership").filter(pk=id).first()
        if agreement is None:
            raise CommandError(f"No agreement with the id {id}.", returncode=2)
        found = (
            agreement.versions.filter(number=version).first()
            if version is not None
            else services.current_version(agreement)
        )
        if found is None:
            raise CommandError(f"Agreement {id} has no version {version}.", returncode=2)
        content, _, _ = documents.export(agreement, found, format)
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.", returncode=2) from None
        self.stdout.write(
            f"Wrote version {found.number} of agreement {id} as {format} to {path} "
            f"({len(content):,} bytes)."
        )


def _json(rows) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)
