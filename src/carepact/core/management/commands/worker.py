"""carepact worker: run background tasks (releases, exports, profiling) as they are queued."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run queued background tasks. Keeps running and polls for new tasks; with --batch it "
        "runs what is queued and exits. Run several workers for more throughput."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls (default 1)"
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many")

    def handle(self, *args, batch, interval, max_tasks, **options):
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds", returncode=2)
        arguments = ["--queue-name", "*", "--interval", str(interval), "--no-startup-delay"]
        if batch:
            arguments.append("--batch")
        if max_tasks is not None:
            arguments += ["--max-tasks", str(max_tasks)]
        call_command("db_worker", *arguments, verbosity=options.get("verbosity", 1))
