"""The ``carepact`` command: Django's management commands with carepact's settings."""

from __future__ import annotations

import os
import sys

# Commands that touch neither the database nor anything signed: a data steward runs them
# on a workstation with none of the platform's settings (``settings.py`` reads this).
_STANDALONE_COMMANDS = frozenset({"release"})
STANDALONE = False


def main(argv: list[str] | None = None) -> None:
    global STANDALONE
    args = list(argv if argv is not None else sys.argv[1:])
    STANDALONE = bool(args) and args[0] in _STANDALONE_COMMANDS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepact.settings")
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
