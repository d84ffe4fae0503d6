"""Security defaults: headers, cookies, CSRF on forms, and the production deploy check."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client


def test_pages_carry_a_content_security_policy(world, client_for):
    response = client_for(world.lead).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_lax(db):
    from tests import factories

    factories.UserFactory(email="c@example.org")
    response = Client().post(
        "/sign-in/", {"username": "c@example.org", "password": factories.PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_forms_refuse_a_post_without_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead, backend="carepact.accounts.backends.EmailBackend")
    response = client.post("/p/scan-triage/glossary/", {"term": "X", "definition": "Y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert not world.partnership.glossary.exists()


def test_every_form_on_a_page_carries_a_csrf_token(world, client_for):
    html = client_for(world.lead).get("/p/scan-triage/glossary/").content.decode()
    assert html.count('method="post"') == html.count("csrfmiddlewaretoken")


def _carepact(args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CAREPACT_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "carepact", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _carepact(
        ["check", "--deploy", "--fail-level", "WARNING"],
        CAREPACT_SECRET_KEY="k7#Qz!v2@pL9$wR4^tY6&uI8*oP0(aS3)dF5_gH1+jK" + "xY2zB4nM6",
        CAREPACT_ALLOWED_HOSTS="carepact.example.org",
        CAREPACT_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _carepact(["check"], CAREPACT_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "CAREPACT_SECRET_KEY is not set" in result.stderr


def test_https_switches_are_on_outside_debug(tmp_path):
    probe = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "carepact.settings",
            "CAREPACT_SECRET_KEY": "x" * 60,
            "CAREPACT_DATA_DIR": str(tmp_path),
            "CAREPACT_DEBUG": "0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr
