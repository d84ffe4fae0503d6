"""carepact serve: the platform under gunicorn."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Serve carepact with gunicorn (static files included, through whitenoise)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="worker processes")
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a worker is restarted"
        )

    def handle(self, *args, host, port, workers, timeout, **options):
        from gunicorn.app.base import BaseApplication

        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535", returncode=2)
        if workers < 1:
            raise CommandError("--workers must be at least 1", returncode=2)

        from carepact.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("timeout", timeout)
                self.cfg.set("accesslog", "-")
                self.cfg.set("proc_name", "carepact")

            def load(self):
                return application

        # Workers are forked: none may inherit the parent's database connection.
        connections.close_all()
        self.stdout.write(f"carepact is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        Server().run()
