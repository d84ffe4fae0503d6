"""A national opt-out list of thousands of numbers imports in batches, and a later
list skips everyone already opted out (queries stay within databases' parameter caps)."""

from django.db import transaction

from carepact.consent import services
from carepact.consent.models import ConsentRecord
from carepact.engine.release.synth import _nhs_numbers


def test_a_list_of_forty_thousand_numbers(world):
    numbers, _ = _nhs_numbers(0, 12_000)
    content = "\n".join(str(n) for n in numbers) + "\n"
    with transaction.atomic():
        batch = services.import_optouts(world.lead, world.trust, content=content)
    assert (batch.imported, batch.rejected) == (12_000, 0)
    assert ConsentRecord.objects.count() == 12_000
    with transaction.atomic():
        again = services.import_optouts(world.lead, world.trust, content=content)
    assert (again.imported, again.skipped) == (0, 12_000)
