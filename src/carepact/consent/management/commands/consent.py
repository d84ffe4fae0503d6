"""carepact consent: import and export the consent registry from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from carepact.consent import services
from carepact.core.errors import CarepactError


class Command(BaseCommand):
    help = (
        "The consent registry of a data-owning organisation. 'import-fhir FILE' imports HL7 "
        "FHIR R4 Consent resources (a Bundle, one Consent, or NDJSON); 'export-fhir --output "
        "FILE' writes the registry as a Bundle (or NDJSON when FILE ends in .ndjson); "
        "'import-optouts FILE' imports a national data opt-out list. --organisation SLUG names "
        "the registry (default: the only NHS or public-health organisation)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (
            ("import-fhir", "import FHIR R4 Consent resources (Bundle, Consent or NDJSON)"),
            ("import-optouts", "import a national data opt-out list of NHS numbers"),
        ):
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument("file", metavar="FILE")
            cmd.add_argument("--organisation", metavar="SLUG")
        export = sub.add_parser("export-fhir", help="write the registry as FHIR R4 Consent")
        export.add_argument("--output", metavar="FILE", required=True)
        export.add_argument("--organisation", metavar="SLUG")

    def handle(self, *args, subcommand, organisation=None, **options):
        try:
            owner = services.default_organisation(organisation)
        except CarepactError as exc:
            raise CommandError(exc.reason, returncode=2) from None
        if subcommand == "export-fhir":
            return self._export(owner, Path(options["output"]))
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError:
            raise CommandError(f"Cannot read {path.name}.", returncode=2) from None
        service = services.import_fhir if subcommand == "import-fhir" else services.import_optouts
        try:
            with transaction.atomic():
                batch = service(services.COMMAND_LINE, owner, content=content, filename=path.name)
        except CarepactError as exc:
            raise CommandError(f"Nothing imported: {exc.reason}", returncode=2) from None
        unit = "resources" if subcommand == "import-fhir" else "lines"
        self.stdout.write(
            f"{owner}: {batch.imported} {unit} imported, {batch.rejected} rejected, "
            f"{batch.skipped} skipped (of {batch.entries})."
        )
        for item in batch.rejections:
            self.stdout.write(f"  rejected {item['at']}: {item['reason']}")
        for item in batch.skips:
            self.stdout.write(f"  skipped  {item['at']}: {item['reason']}")

    def _export(self, owner, output: Path) -> None:
        ndjson = output.suffix.lower() == ".ndjson"
        with transaction.atomic():
            text, count = services.export_fhir(services.COMMAND_LINE, owner, ndjson=ndjson)
        temporary = output.with_name(f".{output.name}.tmp")
        try:
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(output)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {output}.", returncode=2) from None
        kind = "NDJSON" if ndjson else "a Bundle"
        self.stdout.write(f"{owner}: {count} Consent resources written to {output} as {kind}.")
