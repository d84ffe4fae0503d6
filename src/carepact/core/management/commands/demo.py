"""carepact demo: migrate, load the demo partnerships, print the logins, serve."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from carepact.core import demos


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo organisations, people and partnerships (once: "
        "running it again reuses them), print the demo logins and serve the platform."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo, do not serve")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, no_serve, host, port, workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        ctx = demos.load()
        console = Console(file=self.stdout, width=160)
        if ctx.loaded:
            console.print(f"Loaded the demo: {', '.join(ctx.loaded)}.")
        if ctx.skipped:
            console.print(f"Already loaded, reused: {', '.join(ctx.skipped)}.")
        table = Table(title=f"Demo logins (password for all: {ctx.password})")
        for column in ("e-mail", "name", "organisation", "in the demo"):
            table.add_column(column)
        for login in ctx.logins:
            table.add_row(login.email, login.name, login.organisation, login.what)
        console.print(table)
        if not no_serve:
            call_command("serve", host=host, port=port, workers=workers)
