"""WSGI entry point for gunicorn (``carepact serve`` starts it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carepact.settings")
application = get_wsgi_application()
