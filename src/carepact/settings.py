"""carepact settings.

Every value an operator can change comes from a ``CAREPACT_*`` environment variable read
here and nowhere else; each one is described in ``docs/configuration.md`` (a test checks).
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from carepact import cli as _cli
from carepact.core.config import (
    ConfigError,
    parse_bool,
    parse_database_url,
    parse_email_url,
    parse_list,
)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"CAREPACT_{name}", default)


def _bool(name: str, default: bool) -> bool:
    return parse_bool(f"CAREPACT_{name}", _env(name), default)


def _scratch() -> str:
    folder = tempfile.mkdtemp(prefix="carepact-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


try:
    PACKAGE_DIR = Path(__file__).resolve().parent

    # Where this instance keeps its state: the SQLite database, release outputs, mail.
    # Two instances with different data directories never share anything. A standalone
    # command (``carepact release``) stores nothing: it gets a scratch folder that goes
    # when it ends, so the steward's working folder gets no ``var/``.
    DATA_DIR = Path(_env("DATA_DIR") or (_scratch() if _cli.STANDALONE else "var")).resolve()

    DEBUG = _bool("DEBUG", False)

    SECRET_KEY = _env("SECRET_KEY") or ""
    if not SECRET_KEY and _cli.STANDALONE:
        # Standalone commands sign nothing: a key that lives and dies with the process.
        SECRET_KEY = secrets.token_urlsafe(50)
    if not SECRET_KEY:
        if not DEBUG:
            raise ImproperlyConfigured(
                "CAREPACT_SECRET_KEY is not set. Generate one with\n"
                "  python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
                "and export it, or set CAREPACT_DEBUG=1 for a local trial."
            )
        # Only ever used with DEBUG on, which is never a production setting.
        SECRET_KEY = "django-insecure-carepact-local-development-only"  # noqa: S105

    ALLOWED_HOSTS = parse_list(_env("ALLOWED_HOSTS"), ["127.0.0.1", "localhost", "[::1]"])

    DATABASES = {
        "default": parse_database_url(
            _env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'carepact.sqlite3'}",
            base_dir=Path.cwd(),
        )
    }

    # Outside debug, mail goes to an SMTP server (a local relay unless configured).
    _email = parse_email_url(
        _env("EMAIL_URL") or ("console:" if DEBUG else "smtp://localhost:25"), data_dir=DATA_DIR
    )
    BEHIND_PROXY = _bool("BEHIND_PROXY", False)
    # Secret for keyed hashes of patient identifiers (core/keys.py); a key file under the
    # data directory is made on first use when this is unset.
    IDENTITY_KEY = _env("IDENTITY_KEY") or ""
except ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

MAILERS = {"default": _email}
DEFAULT_FROM_EMAIL = _env("EMAIL_FROM") or "carepact <no-reply@carepact.invalid>"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "carepact.core",
    "carepact.accounts",
    "carepact.partnerships",
    "carepact.agreements",
    "carepact.consent",
    "carepact.data",
    "carepact.outcomes",
    "carepact.value",
    "carepact.health",
    "carepact.governance",
    "carepact.portfolio",
    "carepact.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "carepact.core.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "carepact.urls"
WSGI_APPLICATION = "carepact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carepact.core.navigation.context",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["carepact.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id first: new passwords are hashed with it; the others only read old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database so that any number of web workers can serve a person.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"

# Outside debug, carepact is served over HTTPS only.
HTTPS_ONLY = not DEBUG
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
# The header allows preloading; submitting the domain to browsers' list is the operator's call.
SECURE_HSTS_PRELOAD = HTTPS_ONLY
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Pages carry no inline script or style. Our own scripts, and the one style element Plotly
# writes its chart rules into, carry the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "carepact.core.staticfinders.PlotlyFinder",
]
# whitenoise serves static files straight from the installed package: no collectstatic step.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (releases, exports, profiling) runs as tasks stored in the database and picked up
# by `carepact worker` processes.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "carepact": {"level": "INFO"},
        "django.request": {"level": "ERROR"},
    },
}
