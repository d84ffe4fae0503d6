"""A task the tests enqueue to prove the worker runs what the platform queues."""

from django.tasks import task

from carepact.core.models import DemoLoad


@task
def mark(app: str) -> str:
    DemoLoad.objects.create(app=app)
    return app
