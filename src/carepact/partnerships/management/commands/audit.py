"""carepact audit verify: recompute the audit trail's hash chains."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from carepact.core import audit
from carepact.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Verify the tamper-evident audit trail. 'verify' recomputes every hash chain (or one "
        "partnership's with --partnership SLUG); exit 0 when intact, 1 naming the first "
        "broken event."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="recompute the hash chains")
        verify.add_argument("--partnership", metavar="SLUG", help="only this partnership's trail")

    def handle(self, *args, subcommand, partnership=None, **options):
        scopes = None
        labels: dict[str, str] = {}
        if partnership:
            found = Partnership.objects.filter(slug=partnership).first()
            if found is None:
                raise CommandError(f"No partnership with the slug {partnership!r}.", returncode=2)
            scopes = [audit.scope_for(partnership=found)]
        for p in Partnership.objects.only("pk", "slug"):
            labels[audit.scope_for(partnership=p)] = f"partnership {p.slug}"
        reports = audit.verify(scopes)
        broken = [r for r in reports if r.broken]
        total = sum(r.events for r in reports)
        for report in reports:
            name = labels.get(report.scope, report.scope)
            if report.broken:
                self.stdout.write(f"BROKEN  {name}: {report.broken.problem}")
            else:
                self.stdout.write(f"ok      {name}: {report.events} events")
        if broken:
            first = broken[0]
            raise CommandError(
                f"The audit trail does not verify: in {labels.get(first.scope, first.scope)}, "
                f"{first.broken.problem}.",
                returncode=1,
            )
        self.stdout.write(f"The audit trail is intact: {total} events in {len(reports)} chains.")
