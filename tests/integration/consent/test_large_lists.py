"""A national opt-out list of thousands of numbers imports in batches, and a later
list skips everyone already opted out (queries stay within databases' parameter caps)."""

from django.db import transaction

from carepact.consent import services
from carepact.consent.models import ConsentRecord
from carepact.engine.release.synth import _nhs_numbers

TWELVE_THOUSAND = 12_000


def test_a_list_of_twelve_thousand_numbers(world):
    # Enough to break the caps if sent in one query: one look-up parameter a number is
    # more than SQLite's 999 (older builds), and one insert of every row, a dozen fields
    # each, is more than PostgreSQL's 65,535; small enough to run in a few seconds.
    fields = len(ConsentRecord._meta.concrete_fields)
    assert TWELVE_THOUSAND > 999 and TWELVE_THOUSAND * fields > 65_535
    numbers, _ = _nhs_numbers(0, TWELVE_THOUSAND)
    assert len(numbers) == TWELVE_THOUSAND
    content = "\n".join(str(n) for n in numbers) + "\n"
    with transaction.atomic():
        batch = services.import_optouts(world.lead, world.trust, content=content)
    assert (batch.imported, batch.rejected) == (TWELVE_THOUSAND, 0)
    assert ConsentRecord.objects.count() == TWELVE_THOUSAND
    with transaction.atomic():
        again = services.import_optouts(world.lead, world.trust, content=content)
    assert (again.imported, again.skipped) == (0, TWELVE_THOUSAND)
