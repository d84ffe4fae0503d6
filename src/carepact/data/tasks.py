"""Background jobs of the data app, run by ``carepact worker``."""

from __future__ import annotations

from django.tasks import task


@task
def profile_dataset(dataset_id: int) -> str:
    """Count rows, missing and distinct values of a dataset (see ``services.run_profile``)."""
    from carepact.data.services import run_profile

    return run_profile(dataset_id)


@task
def run_release_job(release_id: int) -> str:
    """Run one release (see ``services.execute_release``)."""
    from carepact.data.services import execute_release

    return execute_release(release_id)
