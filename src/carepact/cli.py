"""The ``carepact`` command: Django's management commands with carepact's settings."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import sys
import tempfile

# Commands that touch neither the database nor anything signed: a data steward runs them
# on a workstation with no platform settings at all.
_STANDALONE = frozenset({"release"})


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepact.settings")
    if args and args[0] in _STANDALONE:
        # Nothing these commands do is signed or stored by the platform: a key and a data
        # folder that live and die with this process are enough to load the settings, and
        # the steward's working folder gets no ``var/``.
        if not os.environ.get("CAREPACT_SECRET_KEY"):
            os.environ["CAREPACT_SECRET_KEY"] = secrets.token_urlsafe(50)
        if not os.environ.get("CAREPACT_DATA_DIR"):
            scratch = tempfile.mkdtemp(prefix="carepact-")
            atexit.register(shutil.rmtree, scratch, ignore_errors=True)
            os.environ["CAREPACT_DATA_DIR"] = scratch
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["carepact", *args])
    except ImproperlyConfigured as error:
        # A setting is missing or wrong: say which, without a traceback.
        sys.stderr.write(f"carepact: {error}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
