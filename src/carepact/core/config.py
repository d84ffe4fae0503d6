"""Parsing helpers for configuration values; settings.py is the only caller.

Kept free of Django imports so that settings can use them before Django is set up.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ValueError):
    """A configuration value that cannot be used, with a hint on how to fix it."""


def parse_bool(name: str, value: str | None, default: bool) -> bool:
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def parse_list(value: str | None, default: list[str]) -> list[str]:
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str, *, base_dir: Path) -> dict:
    """Turn a database URL into a Django DATABASES entry.

    Supported: ``sqlite:///relative/path.sqlite3``, ``sqlite:////absolute/path``,
    ``sqlite://:memory:``, and ``postgresql://user:password@host:port/name?option=value``
    (``postgres://`` too). Relative SQLite paths are taken from ``base_dir``.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        if parts.netloc == ":memory:" or parts.path in ("", "/", "/:memory:"):
            name: str | Path = ":memory:"
        else:
            raw = unquote(parts.path[1:])  # sqlite:///a.db -> a.db; sqlite:////abs -> /abs
            path = Path(raw)
            name = path if path.is_absolute() else (base_dir / path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "OPTIONS": {
                # IMMEDIATE makes each write transaction take the lock up front, so two
                # gunicorn workers cannot deadlock on an upgrade from a read lock.
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                    "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;"
                ),
            },
        }
    if scheme in ("postgresql", "postgres", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(
                "CAREPACT_DATABASE_URL names no database: use postgresql://user@host:5432/name."
            )
        entry = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
        return entry
    raise ConfigError(
        f"CAREPACT_DATABASE_URL has an unsupported scheme {scheme or '(none)'!r}: "
        "use sqlite:///path/to/file.sqlite3 or postgresql://user@host:5432/name."
    )


def parse_email_url(url: str, *, data_dir: Path) -> dict:
    """Turn CAREPACT_EMAIL_URL into Django's default mailer (the ``MAILERS`` setting).

    ``console:`` prints messages, ``file:`` writes them under the data directory's ``mail/``
    folder, ``smtp://user:password@host:587`` (or ``smtps://`` for implicit TLS) sends them.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(data_dir / "mail")},
        }
    if scheme in ("smtp", "smtps"):
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or (465 if scheme == "smtps" else 587),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": scheme == "smtps",
                "use_tls": scheme == "smtp" and parts.port != 25,
                "timeout": 20,
            },
        }
    raise ConfigError(
        f"CAREPACT_EMAIL_URL has an unsupported scheme {scheme or '(none)'!r}: "
        "use console:, file: or smtp://user:password@host:587."
    )
