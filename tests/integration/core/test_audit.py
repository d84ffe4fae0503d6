"""The audit trail: appended in the service's transaction, and every kind of tampering caught."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from carepact.core import audit
from carepact.core.models import AuditEvent
from carepact.partnerships import services


@pytest.fixture
def trail(world):
    """Four events in the partnership's chain, written through services."""
    p = world.partnership
    with transaction.atomic():
        for n in range(4):
            services.propose_term(world.lead, p, term=f"Term {n}", definition=f"Meaning {n}")
    return list(AuditEvent.objects.for_partnership(p.pk).order_by("seq"))


def verify_partnership(world):
    return audit.verify([audit.scope_for(partnership=world.partnership)])[0]


def run_verify(*args):
    try:
        call_command("audit", "verify", *args)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def test_record_refuses_to_run_outside_a_transaction(transactional_db, world):
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit.record(world.lead, action="x", partnership=world.partnership)


def test_a_failed_service_leaves_no_event(transactional_db, world):
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        services.propose_term(world.lead, world.partnership, term="A", definition="B")
        raise RuntimeError("something after the write failed")
    assert not AuditEvent.objects.exists()


def test_events_chain_and_carry_who_what_and_for_whom(world, trail):
    first, second = trail[0], trail[1]
    assert [e.seq for e in trail] == [1, 2, 3, 4]
    assert second.prev_hash == first.hash
    assert first.actor_label == "Lee Lead" and first.organisation_label == "Northgate NHS Trust"
    assert first.action == "glossary.propose" and first.object_type == "glossaryterm"
    assert verify_partnership(world).broken is None
    assert run_verify("--partnership", "scan-triage") == (0, "")


def test_altered_event_is_named(world, trail):
    AuditEvent.objects.filter(pk=trail[1].pk).update(message="Nobody proposed anything.")
    broken = verify_partnership(world).broken
    assert broken.seq == 2 and "altered" in broken.problem
    code, text = run_verify()
    assert code == 1 and f"event {trail[1].pk}" in text and "altered" in text


def test_deleted_event_is_named(world, trail):
    AuditEvent.objects.filter(pk=trail[1].pk).delete()
    broken = verify_partnership(world).broken
    assert broken.seq == 3 and "missing" in broken.problem
    assert run_verify("--partnership", "scan-triage")[0] == 1


def test_reordered_events_are_caught(world, trail):
    a, b = trail[1], trail[2]
    AuditEvent.objects.filter(pk=a.pk).update(seq=99)
    AuditEvent.objects.filter(pk=b.pk).update(seq=2)
    AuditEvent.objects.filter(pk=a.pk).update(seq=3)
    broken = verify_partnership(world).broken
    assert broken is not None and broken.seq == 2
    assert run_verify()[0] == 1


def test_deleted_last_event_is_caught_by_the_head(world, trail):
    AuditEvent.objects.filter(pk=trail[-1].pk).delete()
    broken = verify_partnership(world).broken
    assert broken is not None and "end were deleted" in broken.problem


def test_verify_names_an_unknown_partnership(world):
    code, text = run_verify("--partnership", "no-such-thing")
    assert code == 2 and "no-such-thing" in text


def test_audit_page_shows_a_broken_chain(world, trail, client_for):
    AuditEvent.objects.filter(pk=trail[0].pk).update(summary={"term": "forged"})
    response = client_for(world.observer).get("/p/scan-triage/audit/")
    assert "does not verify" in response.content.decode()
