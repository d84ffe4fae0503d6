"""The carepact command line: demo, createadmin, serve's argument checks."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carepact.accounts.models import Organisation, User
from carepact.core import audit
from carepact.core.models import AuditEvent, DemoLoad
from carepact.health import demo as health_demo
from carepact.partnerships.models import Partnership, Stage


def test_demo_loads_once_and_reuses_what_is_there(db):
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "Loaded the demo" in text
    assert "tom.okafor@northfield.nhs.example" in text and "carepact-demo-2026" in text
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Partnership.objects.count(),
        AuditEvent.objects.count(),
    )
    # 15 named people and the platform administrator, and the colleagues the health demo
    # invites so that each group it shows has enough answers.
    colleagues = sum(sum(levels.values()) for _, _, levels in health_demo.COLLEAGUES.values())
    assert counts[:3] == (4, 16 + colleagues, 2)

    again = io.StringIO()
    call_command("demo", no_serve=True, stdout=again)
    assert "Already loaded, reused" in again.getvalue()
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Partnership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert set(DemoLoad.objects.values_list("app", flat=True)) >= {"accounts", "partnerships"}


def test_demo_partnerships_are_at_different_stages_with_an_intact_trail(db):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    stages = dict(Partnership.objects.values_list("slug", "stage"))
    # The agreements demo signs the AI pathway's MoU, then moves it on to operating.
    assert stages["eastmoor-cardiometabolic-data-partnership"] == Stage.AGREEING
    assert stages["ai-assisted-chest-x-ray-triage-pathway"] == Stage.OPERATING
    assert all(report.broken is None for report in audit.verify())
    levels = set(
        User.objects.filter(memberships__organisation__slug__startswith="northfield").values_list(
            "memberships__level", flat=True
        )
    )
    assert levels == {"executive", "manager", "specialist", "clinician"}


def test_createadmin_reads_the_password_from_stdin(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a very long admin passphrase\n"))
    call_command(
        "createadmin",
        email="Root@Example.org",
        name="Root",
        password_stdin=True,
        stdout=io.StringIO(),
    )
    admin = User.objects.get(email="root@example.org")
    assert admin.is_superuser and admin.check_password("a very long admin passphrase")
    assert AuditEvent.objects.filter(action="user.create_admin", object_id=str(admin.pk)).exists()


def test_createadmin_refuses_a_weak_password_with_exit_2(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError) as caught:
        call_command("createadmin", email="r@example.org", name="R", password_stdin=True)
    assert caught.value.returncode == 2
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"), [({"port": 0}, "--port"), ({"workers": 0}, "--workers")]
)
def test_serve_checks_its_arguments(args, message):
    with pytest.raises(CommandError, match=message) as caught:
        call_command("serve", **args)
    assert caught.value.returncode == 2
