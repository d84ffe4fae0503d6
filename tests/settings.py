"""Settings for the test suite: the product's settings, served over plain HTTP.

The live server the browser tests drive speaks HTTP, so the HTTPS-only switches are off
here; everything else is exactly what production runs. ``tests/integration/core`` checks
the production switches through ``carepact check --deploy``.
"""

import os

os.environ.setdefault("CAREPACT_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 40)

from carepact.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["default"]["OPTIONS"]["location"] = str(DATA_DIR / "test-files")  # noqa: F405
