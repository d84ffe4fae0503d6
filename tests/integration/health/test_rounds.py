"""Opening, reminding and closing rounds: who may, what they send, what the trail says."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from carepact.core import clock
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.health import services
from carepact.health.models import Invitation, Response, Round
from carepact.partnerships.models import Stage
from tests.integration.health.conftest import uniform


def in_days(n):
    return (clock.now() + timedelta(days=n)).date()


def test_opening_invites_every_member_of_every_party_once_with_their_level(crowd):
    found = crowd.open()
    invited = Invitation.objects.filter(round=found)
    members = 4 + len(crowd.people)  # lead, observer, partner admin and member, and the crowd
    assert invited.count() == members
    levels = dict(invited.values_list("person__email", "level"))
    assert levels["c-clinician-0@brightscan.example"] == "specialist"  # clinicians are experts
    assert levels["t-manager-0@northgate.example"] == "manager"
    assert found.parties == [
        {"key": "northgate", "name": "Northgate NHS Trust", "industry": False},
        {"key": "brightscan", "name": "Brightscan AI", "industry": True},
    ]
    event = AuditEvent.objects.get(action="health.round_open")
    assert event.summary["invited"] == members


def test_each_person_gets_their_own_link_by_mail_after_commit(
    crowd, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.open_round(
            crowd.world.lead,
            crowd.partnership,
            closes_on=in_days(14),
            link_for=lambda token: f"https://carepact.test/health/respond/{token}/",
        )
    assert len(mail.outbox) == 4 + len(crowd.people)
    links = {
        m.body.split("https://carepact.test/health/respond/")[1].split("/")[0] for m in mail.outbox
    }
    assert len(links) == len(mail.outbox)
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "without your name" in mail.outbox[0].body


@pytest.mark.parametrize("who", ["observer", "partner_admin", "partner_member"])
def test_only_a_lead_opens_a_round(world, who):
    with pytest.raises(Denied, match="Only a partnership lead"), transaction.atomic():
        services.open_round(getattr(world, who), world.partnership, closes_on=in_days(7))


def test_one_round_at_a_time_and_a_sensible_closing_date(crowd):
    crowd.open()
    with pytest.raises(Conflict, match="already open"), transaction.atomic():
        services.open_round(crowd.world.lead, crowd.partnership, closes_on=in_days(7))


@pytest.mark.parametrize(
    ("days", "field"), [(0, "closes_on"), (-3, "closes_on"), (93, "closes_on")]
)
def test_closing_date_must_be_in_the_next_three_months(world, days, field):
    with pytest.raises(Invalid) as caught, transaction.atomic():
        services.open_round(world.lead, world.partnership, closes_on=in_days(days))
    assert field in caught.value.errors


def test_a_closed_partnership_has_no_more_health_checks(world):
    world.partnership.stage = Stage.CLOSED
    world.partnership.save()
    with pytest.raises(Conflict, match="closed"), transaction.atomic():
        services.open_round(world.lead, world.partnership, closes_on=in_days(7))


def test_reminders_go_only_to_people_who_have_not_answered(
    crowd, django_capture_on_commit_callbacks
):
    found = crowd.open()
    answered = crowd.invitations(found)[:5]
    for invitation in answered:
        crowd.answer(invitation, uniform(found, 4))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sent = services.send_reminders(crowd.world.lead, found, link_for=lambda t: f"/r/{t}/")
    assert sent == len(crowd.invitations(found)) - 5
    reminded = {m.to[0] for m in mail.outbox}
    assert not reminded & {i.person.email for i in answered}
    event = AuditEvent.objects.get(action="health.remind")
    assert event.summary == {"number": 1, "reminded": sent}  # a count, never names


def test_closing_discards_unfinished_answers_and_computes_the_results(crowd):
    found = crowd.open()
    invitations = crowd.invitations(found)
    for invitation in invitations[:12]:
        crowd.answer(invitation, uniform(found, 4))
    crowd.answer(invitations[12], uniform(found, 2), submit=False)
    with pytest.raises(Conflict, match="when the health check closes"):
        services.report_for(found)
    crowd.close(found)
    found.refresh_from_db()
    assert found.status == Round.Status.CLOSED
    assert Response.objects.filter(round=found, submitted=False).count() == 0
    assert Response.objects.filter(round=found).count() == 12
    report = services.report_for(found)
    assert report["participation"]["responded"] == 12
    assert {s["id"] for s in report["structural"]} == {f"S{n}" for n in range(1, 8)}
    event = AuditEvent.objects.get(action="health.round_close")
    assert event.summary["unfinished_discarded"] == 1


def test_the_close_due_command_lists_then_closes_rounds_past_their_date(crowd):
    import io

    from django.core.management import call_command

    found = crowd.open(days=3)
    with clock.travel(clock.now() + timedelta(days=5)):
        out = io.StringIO()
        call_command("health", "close-due", stdout=out)
        assert "would close scan-triage: health check 1" in out.getvalue()
        assert Round.objects.get(pk=found.pk).is_open
        call_command("health", "close-due", "--execute", stdout=io.StringIO())
    assert not Round.objects.get(pk=found.pk).is_open
    assert AuditEvent.objects.get(action="health.round_close").actor_id is None
