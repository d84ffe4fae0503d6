"""carepact portfolio ORG_SLUG --json: an organisation's partnerships and warning signals."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from carepact.core.errors import NotFound
from carepact.portfolio import services


class Command(BaseCommand):
    help = (
        "Print every partnership the organisation is party to, with its facts (stage, health "
        "index, contracting time, open requests and obligations, KPI status, overdue actions, "
        "open escalations, risk heat), an at_risk flag and the signals behind it."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", metavar="ORG_SLUG")
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the default is a table)"
        )

    def handle(self, *args, organisation, **options):
        try:
            org = services.get_organisation(None, organisation)
        except NotFound as exc:
            raise CommandError(
                f"No organisation with the slug {organisation!r}.", returncode=2
            ) from exc
        rows = services.rows(None, org)
        summary = services.summary(None, org, rows)
        if options["json"]:
            self.stdout.write(
                _dumps(
                    {
                        "organisation": org.slug,
                        "summary": summary.__dict__,
                        "rows": [row.as_dict() for row in rows],
                    }
                )
            )
            return
        for row in services.filtered(rows):
            flag = "AT RISK" if row.at_risk else "ok"
            self.stdout.write(f"{flag:8} {row.title} ({row.stage_label})")
            for signal in row.signals:
                self.stdout.write(f"         - {signal.text}")


def _dumps(value) -> str:
    return json.dumps(value, indent=2, default=str, ensure_ascii=False)
