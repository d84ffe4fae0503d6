"""An obligation after a withdrawal that is not met in time is flagged: due soon, then
overdue, on the partnership's Data page to the owner and to the recipient's people, and by
the ``overdue_obligations`` indicator; meeting it clears the flag."""

from __future__ import annotations

from datetime import timedelta

from carepact.consent import registry
from carepact.consent import services as consent
from carepact.core import clock
from carepact.core.indicators import read
from carepact.data import services
from carepact.data.models import JobStatus, WithdrawalObligation
from carepact.data.services import obligations as obligation_services
from carepact.engine.release import membership_matches
from tests.integration.data.conftest import REQUEST, atomic
from tests.integration.data.test_releases import numbers, worker

DATA = "/p/scan-triage/data/"


def overdue_after_withdrawals(partnership) -> str:
    return read(partnership, "overdue_obligations").detail.split(": ")[1].split(",")[0]


def test_an_unmet_obligation_is_flagged_due_soon_then_overdue_to_both_parties(
    transactional_db, data_world, dataset, agreement, data_dir, client_for
):
    w = data_world.world
    # One release, received by the company, for two of its people: the requester and a
    # colleague named in the request (a release has one recipient organisation).
    made = atomic(
        services.submit_request,
        data_world.researcher,
        dataset,
        users=[w.partner_member],
        **REQUEST,
    )
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    worker()
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED, release.error
    nhs = numbers(data_dir)
    hashes = {registry.patient_hash(w.trust, n): n for n in nhs[:100]}
    inside = sorted(membership_matches(data_dir / release.files["membership"], set(hashes)))
    atomic(
        consent.record_choice,
        data_world.steward,
        w.trust,
        nhs_number=hashes[inside[0]],
        decision="deny",
    )
    obligation = WithdrawalObligation.objects.get()
    assert obligation.recipient == w.company
    assert overdue_after_withdrawals(w.partnership) == "0 after withdrawals"
    due = f"{obligation.due_on.day} {obligation.due_on:%b %Y}"
    start = clock.now()
    viewers = {
        "owner's steward": client_for(data_world.steward),
        "requester": client_for(data_world.researcher),
        "named colleague": client_for(w.partner_member),
    }
    flag = f"must delete or replace the release of {dataset.name} by {due}"

    # Today: open, not flagged.
    for who, client in viewers.items():
        page = client.get(DATA).content.decode()
        assert flag not in page, who

    # Six days before it is due: due soon, to everyone.
    with clock.travel(start + timedelta(days=obligation_services.DAYS_TO_ACT - 6)):
        for who, client in viewers.items():
            page = client.get(DATA).content.decode()
            assert f"Due soon: {w.company.name} {flag}" in page, who
            assert "Overdue:" not in page, who
        assert overdue_after_withdrawals(w.partnership) == "0 after withdrawals"

    # The day after the due date: overdue, to both parties, and counted.
    with clock.travel(start + timedelta(days=obligation_services.DAYS_TO_ACT + 1)):
        for who, client in viewers.items():
            page = client.get(DATA).content.decode()
            assert f"Overdue: {w.company.name} {flag}" in page, who
            listing = client.get(DATA + "obligations/").content.decode()
            assert '<span class="tag bad">overdue</span>' in listing, who
        states = {
            who.email: [(v.state, v.can_acknowledge) for v in views]
            for who, views in (
                (p, obligation_services.obligations_of(p, w.partnership))
                for p in (data_world.steward, data_world.researcher)
            )
        }
        assert states == {
            data_world.steward.email: [("overdue", False)],
            data_world.researcher.email: [("overdue", True)],
        }
        reading = read(w.partnership, "overdue_obligations")
        assert overdue_after_withdrawals(w.partnership) == "1 after withdrawals"
        assert reading.value >= 1
        # The recipient deletes it, late: the flag and the count go.
        atomic(
            services.acknowledge,
            data_world.researcher,
            obligation,
            action="deleted",
            note="Deleted late, sorry.",
        )
        for who, client in viewers.items():
            assert flag not in client.get(DATA).content.decode(), who
        assert overdue_after_withdrawals(w.partnership) == "0 after withdrawals"
        assert read(w.partnership, "overdue_obligations").value == reading.value - 1
