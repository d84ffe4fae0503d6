"""Negotiation through the services: proposals, answers, counters, more than two parties."""

import pytest

from carepact.agreements import services
from carepact.agreements.models import Proposal
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from tests.integration.agreements.helpers import atomic, draft, mou_clauses


def negotiating(world, clauses=None, **kwargs):
    agreement = draft(
        world, clauses=clauses or {"term-exit": mou_clauses("x")["term-exit"]}, **kwargs
    )
    atomic(services.open_negotiation, world.lead, agreement)
    return agreement


def term(agreement):
    return services.slot(services.current_version(agreement), "term-exit").parameters["term"]


def propose_term(world, agreement, who, months=36, comment="A third year."):
    return atomic(
        services.propose,
        who,
        agreement,
        family="term-exit",
        parameters={"term": f"{months} months"},
        comment=comment,
    )


def test_a_proposal_records_who_when_which_party_and_why(world):
    agreement = negotiating(world)
    proposal = propose_term(world, agreement, world.partner_admin)
    assert (proposal.proposed_by, proposal.organisation, proposal.comment) == (
        world.partner_admin,
        world.company,
        "A third year.",
    )
    assert proposal.created_at and proposal.round == 1
    (point,) = services.open_points(agreement, services.current_version(agreement))
    assert point.waiting_on == [world.trust]
    assert "Lasts for: 24 months → 36 months" in point.change.summary
    event = AuditEvent.objects.filter(action="proposal.create").get()
    assert event.organisation_label == world.company.name and "Waiting on" in event.message


def test_acceptance_by_the_other_party_changes_the_clause(world):
    agreement = negotiating(world)
    proposal = propose_term(world, agreement, world.partner_admin)
    atomic(services.respond, world.lead, proposal, answer="accept")
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.resolved_at
    assert term(agreement) == {"value": 36, "unit": "months"}


def test_rejection_leaves_the_clause_and_needs_a_reason(world):
    agreement = negotiating(world)
    proposal = propose_term(world, agreement, world.partner_admin)
    with pytest.raises(Invalid, match="why you reject"):
        atomic(services.respond, world.lead, proposal, answer="reject")
    atomic(services.respond, world.lead, proposal, answer="reject", comment="Two years suffice.")
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert term(agreement) == {"value": 24, "unit": "months"}


def test_with_three_parties_a_proposal_waits_for_both_others(world, third):
    agreement = negotiating(world)
    proposal = propose_term(world, agreement, third.person)
    atomic(services.respond, world.partner_admin, proposal, answer="accept")
    (point,) = services.open_points(agreement, services.current_version(agreement))
    assert point.waiting_on == [world.trust] and point.accepted_by == [world.company]
    assert term(agreement) == {"value": 24, "unit": "months"}  # not yet
    atomic(services.respond, world.lead, proposal, answer="accept")
    assert term(agreement) == {"value": 36, "unit": "months"}


def test_a_counter_is_the_next_round_and_the_first_proposer_answers_it(world, third):
    agreement = negotiating(world)
    first = propose_term(world, agreement, world.partner_admin, months=48)
    second = atomic(
        services.counter,
        world.lead,
        first,
        parameters={"term": "30 months"},
        comment="Thirty months, then review.",
    )
    first.refresh_from_db()
    assert first.status == "countered"
    assert (second.round, second.counter_to, second.organisation) == (2, first, world.trust)
    (point,) = services.open_points(agreement, services.current_version(agreement))
    assert point.proposal == second
    assert point.waiting_on == [world.company, third.organisation]
    atomic(services.respond, third.person, second, answer="accept")
    atomic(services.respond, world.partner_admin, second, answer="accept")
    assert term(agreement) == {"value": 30, "unit": "months"}


def test_a_counter_identical_to_the_proposal_is_refused(world):
    agreement = negotiating(world)
    first = propose_term(world, agreement, world.partner_admin)
    with pytest.raises(Invalid, match="accept it instead"):
        atomic(services.counter, world.lead, first, parameters={}, comment="Same.")


def test_one_open_proposal_per_clause(world):
    agreement = negotiating(world)
    propose_term(world, agreement, world.partner_admin)
    with pytest.raises(Conflict, match="already has an open proposal"):
        propose_term(world, agreement, world.lead, months=12)


def test_a_proposal_must_change_something_and_say_why(world):
    agreement = negotiating(world)
    with pytest.raises(Invalid, match="changes nothing"):
        propose_term(world, agreement, world.lead, months=24)
    with pytest.raises(Invalid, match="Say why"):
        propose_term(world, agreement, world.lead, comment=" ")


def test_a_party_does_not_answer_its_own_proposal_but_may_withdraw_it(world):
    agreement = negotiating(world)
    proposal = propose_term(world, agreement, world.partner_admin)
    with pytest.raises(Conflict, match="Your party made this proposal"):
        atomic(services.respond, world.partner_admin, proposal, answer="accept")
    with pytest.raises(Conflict, match="Only the party that made"):
        atomic(services.withdraw, world.lead, proposal)
    atomic(services.withdraw, world.partner_admin, proposal)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert not services.open_points(agreement, services.current_version(agreement))


def test_answering_twice_is_refused(world, third):
    agreement = negotiating(world)
    proposal = propose_term(world, agreement, third.person)
    atomic(services.respond, world.lead, proposal, answer="accept")
    with pytest.raises(Conflict, match="already accepted"):
        atomic(services.respond, world.lead, proposal, answer="accept")


def test_adding_and_removing_clauses_are_proposals_too(world):
    agreement = negotiating(world)
    add = atomic(
        services.add_clause,
        world.partner_admin,
        agreement,
        clause_key="confidentiality-mutual",
        parameters={},
        comment="We will share our model internals.",
    )
    assert isinstance(add, Proposal) and add.kind == "add"
    atomic(services.respond, world.lead, add, answer="accept")
    assert services.slot(services.current_version(agreement), "confidentiality")
    remove = atomic(
        services.remove_clause,
        world.lead,
        agreement,
        family="confidentiality",
        comment="Covered by our existing NDA.",
    )
    atomic(services.respond, world.partner_admin, remove, answer="accept")
    assert not services.slot(services.current_version(agreement), "confidentiality")


def test_observers_and_people_outside_the_agreement_cannot_negotiate(world, third):
    agreement = atomic(
        services.create_agreement,
        world.lead,
        world.partnership,
        kind="ip",
        title="Trust and university only",
        parties=[world.trust, third.organisation],
    )
    atomic(
        services.add_clause,
        world.lead,
        agreement,
        clause_key="term-exit",
        parameters=mou_clauses("x")["term-exit"],
    )
    atomic(services.open_negotiation, world.lead, agreement)
    with pytest.raises(Denied, match="Only people of a party"):
        propose_term(world, agreement, world.partner_admin)  # the company is not a party
    with pytest.raises(Denied, match="other than observer"):
        propose_term(world, agreement, world.observer)
    proposal = propose_term(world, agreement, third.person)
    with pytest.raises(Denied):
        atomic(services.respond, world.partner_admin, proposal, answer="accept")


def test_no_proposals_in_a_draft(world):
    agreement = draft(world, clauses={"term-exit": mou_clauses("x")["term-exit"]})
    with pytest.raises(Conflict, match="draft"):
        propose_term(world, agreement, world.lead)


def test_history_keeps_every_round(world):
    agreement = negotiating(world)
    first = propose_term(world, agreement, world.partner_admin, months=48)
    second = atomic(
        services.counter, world.lead, first, parameters={"term": "30 months"}, comment="30."
    )
    atomic(services.respond, world.partner_admin, second, answer="accept")
    rounds = [point.proposal.status for _, point in services.history(agreement, "term-exit")]
    assert rounds == ["accepted", "countered"]
    stats = services.agreement_analytics(agreement)
    assert stats.rounds == 2 and stats.topics[0].topic == "term_exit"
