"""The data section's busiest pages do not grow their queries with the partnership's data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carepact.core import clock
from carepact.data.models import AccessRequest, JobStatus, Release, WithdrawalObligation
from tests import factories
from tests.integration.data.routes import COLUMNS


def grow(world, dataset, n: int) -> None:
    for _ in range(n):
        person = factories.member(world.company)
        request = AccessRequest.objects.create(
            partnership=world.partnership, dataset=dataset, requester=person,
            organisation=world.company, purpose="HMB", lay_summary="s" * 30,
            public_benefit="b" * 30, decision={"allowed": True, "reasons": []},
        )  # fmt: skip
        release = Release.objects.create(
            partnership=world.partnership, dataset=dataset, request=request,
            recipient=world.company, status=JobStatus.SUCCEEDED,
        )  # fmt: skip
        WithdrawalObligation.objects.create(
            partnership=world.partnership, release=release, recipient=world.company,
            patients=1, due_on=clock.now().date(),
        )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/p/scan-triage/data/",
        "/p/scan-triage/data/requests/",
        "/p/scan-triage/data/obligations/",
        "/p/scan-triage/data/policies/",
        "/data/",
    ],
)
def test_data_pages_do_not_grow_queries(world, client_for, url):
    from carepact.data.models import Dataset

    dataset = Dataset.objects.create(
        partnership=world.partnership, owner=world.trust, name="Scans", slug="scans",
        location="x.parquet", patient_id_column="nhs_number", columns=COLUMNS,
        draft_permission="HMB",
    )  # fmt: skip
    client = client_for(world.partner_admin)
    grow(world, dataset, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, dataset, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), f"{url}: {len(small)} queries became {len(large)}"
    assert len(large) <= 40
