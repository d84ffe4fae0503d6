"""carepact value shapley FILE: Shapley values of the parties from a file of coalition values."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carepact.engine.value import shapley


class Command(BaseCommand):
    help = (
        "Value and benefit sharing. 'shapley FILE' reads a JSON object mapping each coalition "
        "(party names joined by '+', such as \"NHS+Pharma\"; the empty coalition may be "
        "omitted and is worth 0) to its value, and prints each party's exact Shapley value as "
        "a JSON object (up to 12 parties). Exit 2 on a missing coalition or a malformed file."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("shapley", help="Shapley values from a JSON file of coalition values")
        run.add_argument("file", help="the JSON file ('-' reads standard input)")

    def handle(self, *args, subcommand, file, **options):
        text = self._read(file)
        try:
            table = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                returncode=2,
            ) from None
        try:
            game = shapley.game_from_mapping(table)
            values = shapley.shapley(game)
            shapley.check_efficiency(game, values)
        except shapley.GameError as exc:
            raise CommandError(f"{file}: {exc}.", returncode=2) from None
        result = {party: shapley.as_number(value) for party, value in values.items()}
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _read(self, file: str) -> str:
        if file == "-":
            return sys.stdin.read()
        path = Path(file)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.", returncode=2) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot be read ({exc}).", returncode=2) from None
