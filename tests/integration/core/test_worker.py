"""Background tasks: queued in the database, run by `carepact worker`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carepact.core.models import DemoLoad
from tests.tasks_for_tests import mark


def test_a_queued_task_waits_for_the_worker_and_then_runs(transactional_db):
    result = mark.enqueue("queued-by-test")
    assert not DemoLoad.objects.filter(app="queued-by-test").exists()
    call_command("worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert DemoLoad.objects.filter(app="queued-by-test").exists()
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == "queued-by-test"


def test_worker_checks_its_interval():
    with pytest.raises(CommandError, match="--interval") as caught:
        call_command("worker", interval=0)
    assert caught.value.returncode == 2
