import pytest
from django.db import transaction

from carepact.core.errors import Denied, Invalid
from carepact.core.indicators import read
from carepact.core.models import AuditEvent
from carepact.governance import services
from carepact.governance.models import Action, Escalation, Risk


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


def test_only_leads_set_up_bodies(world):
    with pytest.raises(Denied):
        atomic(services.create_body, world.partner_admin, world.partnership, name="B", kind="board")


def test_body_members_must_belong_to_a_party(world, board):
    with pytest.raises(Invalid, match="not an active party"):
        atomic(
            services.add_member,
            world.lead,
            board,
            person=world.outsider,
            organisation=world.stranger_org,
        )


def test_decision_shares_by_party(world, board, yesterday):
    def decide(proposer, org):
        atomic(
            services.record_decision,
            world.lead,
            world.partnership,
            body=board,
            title="Something",
            proposed_by=proposer,
            proposed_for=org,
            decided_on=yesterday,
            outcome="agreed",
            positions={world.trust: ("for", ""), world.company: ("for", "")},
        )

    for _ in range(3):
        decide(world.partner_admin, world.company)
    decide(world.lead, world.trust)
    atomic(
        services.record_meeting,
        world.lead,
        world.partnership,
        body=board,
        held_on=yesterday,
        title="Board",
        agenda=[
            ("A", world.company),
            ("B", world.company),
            ("C", world.trust),
            ("D", world.company),
        ],
        attendees=[
            (world.lead, world.trust),
            (world.observer, world.trust),
            (world.partner_admin, world.company),
        ],
    )
    shares = services.behavioural_shares(world.partnership)
    assert shares.decisions_proposed == {"northgate": 0.25, "brightscan": 0.75}
    assert shares.agenda_items == {"northgate": 0.25, "brightscan": 0.75}
    assert shares.attendance == pytest.approx({"northgate": 2 / 3, "brightscan": 1 / 3})
    reading = read(world.partnership, "governance_shares")
    assert reading.measured and reading.value["decisions_proposed"]["brightscan"] == 0.75


def test_no_meetings_means_shares_not_measured(world):
    assert read(world.partnership, "governance_shares").measured is False


def test_dissent_must_carry_its_reason(world, board, yesterday):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.record_decision,
            world.lead,
            world.partnership,
            body=board,
            title="X",
            proposed_by=world.lead,
            proposed_for=world.trust,
            decided_on=yesterday,
            outcome="agreed",
            positions={world.company: ("against", " ")},
        )
    assert "voted against" in caught.value.errors["positions"][0]
    decision = atomic(
        services.record_decision,
        world.lead,
        world.partnership,
        body=board,
        title="X",
        proposed_by=world.lead,
        proposed_for=world.trust,
        decided_on=yesterday,
        outcome="agreed",
        positions={world.company: ("against", "Costs fall on us.")},
    )
    assert decision.positions.get().note == "Costs fall on us."
    event = AuditEvent.objects.get(action="governance.decision_record")
    assert "dissent: Brightscan AI" in event.message


def test_observers_cannot_record(world, board, yesterday):
    with pytest.raises(Denied):
        atomic(
            services.record_meeting,
            world.observer,
            world.partnership,
            body=board,
            held_on=yesterday,
            title="Board",
        )


def test_overdue_actions_are_flagged_and_counted(world, yesterday):
    late = atomic(
        services.create_action,
        world.lead,
        world.partnership,
        title="Late",
        owner=world.partner_admin,
        owner_organisation=world.company,
        due_on=yesterday,
    )
    atomic(
        services.create_action,
        world.lead,
        world.partnership,
        title="On time",
        owner=world.lead,
        owner_organisation=world.trust,
        due_on=yesterday.replace(year=yesterday.year + 1),
    )
    assert list(services.overdue_actions(world.partnership)) == [late]
    assert read(world.partnership, "overdue_actions").value == 1
    atomic(services.set_action_status, world.partner_admin, late, status=Action.Status.DONE)
    assert read(world.partnership, "overdue_actions").value == 0


def test_only_owner_or_lead_closes_an_action(world, yesterday):
    action = atomic(
        services.create_action,
        world.lead,
        world.partnership,
        title="Late",
        owner=world.partner_admin,
        owner_organisation=world.company,
        due_on=yesterday,
    )
    with pytest.raises(Denied):
        atomic(services.set_action_status, world.observer, action, status="done")


def test_escalation_is_routed_with_a_date(world, board):
    atomic(
        services.set_route,
        world.lead,
        world.partnership,
        kind="escalation",
        body=board,
        respond_within_days=10,
    )
    escalation = atomic(
        services.raise_escalation,
        world.observer,
        world.partnership,
        kind="escalation",
        title="Stuck",
        description="No reply for weeks.",
    )
    assert escalation.handled_by == board
    assert (escalation.respond_by - services.today()).days == 10


def test_anonymous_grievance_hides_its_author_from_the_other_party(world, board, client_for):
    """The other party learns nothing about who raised it: not on the page, not through the
    API, not in the audit trail."""
    grievance = atomic(
        services.raise_escalation,
        world.partner_member,
        world.partnership,
        kind="grievance",
        title="Not heard",
        description="Our views are ignored.",
        anonymous=True,
    )
    secret = (world.partner_member.full_name, world.partner_member.email)
    other = client_for(world.lead)
    pages = [
        other.get("/p/scan-triage/governance/escalations/").content.decode(),
        other.get(f"/p/scan-triage/governance/escalations/{grievance.pk}/").content.decode(),
        other.get("/api/v1/partnerships/scan-triage/governance/escalations").content.decode(),
        other.get("/api/v1/partnerships/scan-triage/audit").content.decode(),
        other.get("/p/scan-triage/audit/").content.decode(),
    ]
    for page in pages:
        assert not any(s in page for s in secret)
    assert "Raised in confidence" in pages[1]
    event = AuditEvent.objects.get(action="governance.grievance_raise")
    assert event.actor_id is None and event.actor_label == "" and event.organisation_label == ""
    own = (
        client_for(world.partner_admin)
        .get(f"/p/scan-triage/governance/escalations/{grievance.pk}/")
        .content.decode()
    )
    assert world.partner_member.full_name in own  # the raiser's own party may know


def test_resolving_needs_a_resolution_and_a_handler(world, board):
    atomic(
        services.set_route,
        world.lead,
        world.partnership,
        kind="grievance",
        body=board,
        respond_within_days=14,
    )
    grievance = atomic(
        services.raise_escalation,
        world.observer,
        world.partnership,
        kind="grievance",
        title="T",
        description="D",
    )
    with pytest.raises(Denied):
        atomic(
            services.handle_escalation, world.observer, grievance, status="resolved", resolution="x"
        )
    with pytest.raises(Invalid):
        atomic(services.handle_escalation, world.partner_admin, grievance, status="resolved")
    atomic(
        services.handle_escalation,
        world.partner_admin,
        grievance,
        status="resolved",
        resolution="Agreed a new process.",
    )
    assert Escalation.objects.get().status == "resolved"


def test_risk_scores_are_1_to_5_and_past_review_is_flagged(world, yesterday):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.create_risk,
            world.lead,
            world.partnership,
            title="R",
            category="data",
            owner=world.lead,
            likelihood=6,
            impact=0,
            review_on=yesterday,
        )
    assert set(caught.value.errors) == {"likelihood", "impact"}
    risk = atomic(
        services.create_risk,
        world.lead,
        world.partnership,
        title="R",
        category="power",
        owner=world.partner_admin,
        likelihood=4,
        impact=5,
        review_on=yesterday,
    )
    assert risk.score == 20
    assert list(services.overdue_reviews(world.partnership)) == [risk]
    assert read(world.partnership, "risk_heat").value == 20
    atomic(services.update_risk, world.lead, risk, status=Risk.Status.CLOSED)
    assert read(world.partnership, "risk_heat").value == 0


def test_meetings_cannot_be_recorded_before_they_happen(world, board):
    from datetime import timedelta

    with pytest.raises(Invalid) as caught:
        atomic(
            services.record_meeting,
            world.lead,
            world.partnership,
            body=board,
            held_on=services.today() + timedelta(days=1),
            title="Future",
        )
    assert "once they have been held" in caught.value.errors["held_on"][0]
