"""The negotiation state machine, for two parties and more."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepact.engine.agreements import negotiation as n
from carepact.engine.agreements.negotiation import (
    Answer,
    NegotiationError,
    ProposalStatus,
    VersionStatus,
)

THREE = {"trust", "uni", "pharma"}


def run(parties, proposer, moves):
    state = n.start(proposer, parties)
    for party, answer in moves:
        state = n.respond(state, party, answer)
    return state


TABLE = [
    # (parties, proposer, moves, status after, still waiting on)
    ({"a", "b"}, "a", [], ProposalStatus.OPEN, {"b"}),  # the other party is asked
    ({"a", "b"}, "a", [("b", "accept")], ProposalStatus.ACCEPTED, set()),
    ({"a", "b"}, "a", [("b", "reject")], ProposalStatus.REJECTED, set()),
    ({"a", "b"}, "a", [("b", "counter")], ProposalStatus.COUNTERED, set()),
    (THREE, "pharma", [], ProposalStatus.OPEN, {"trust", "uni"}),
    # one of two acceptances: still open, waiting on the other
    (THREE, "pharma", [("uni", "accept")], ProposalStatus.OPEN, {"trust"}),
    (THREE, "pharma", [("uni", "accept"), ("trust", "accept")], ProposalStatus.ACCEPTED, set()),
    # a rejection by any party ends it, even after another accepted
    (THREE, "pharma", [("uni", "accept"), ("trust", "reject")], ProposalStatus.REJECTED, set()),
    (THREE, "trust", [("pharma", "counter")], ProposalStatus.COUNTERED, set()),
]


@pytest.mark.parametrize(("parties", "proposer", "moves", "status", "waiting"), TABLE)
def test_respond_truth_table(parties, proposer, moves, status, waiting):
    state = run(parties, proposer, moves)
    assert state.status == status
    assert state.waiting_on == waiting


REFUSED = [
    # (parties, proposer, moves before, the refused move, words in the reason)
    ({"a", "b"}, "a", [], ("a", "accept"), "Your party made this proposal"),
    ({"a", "b"}, "a", [], ("z", "accept"), "Only a party"),
    (THREE, "trust", [("uni", "accept")], ("uni", "reject"), "already accepted"),
    ({"a", "b"}, "a", [("b", "accept")], ("b", "reject"), "already accepted"),  # closed
    ({"a", "b"}, "a", [("b", "reject")], ("b", "accept"), "already rejected"),
]


@pytest.mark.parametrize(("parties", "proposer", "before", "move", "reason"), REFUSED)
def test_moves_the_machine_refuses(parties, proposer, before, move, reason):
    state = run(parties, proposer, before)
    with pytest.raises(NegotiationError, match=reason):
        n.respond(state, *move)


def test_start_needs_a_party_and_a_counterpart():
    with pytest.raises(NegotiationError, match="Only a party"):
        n.start("z", {"a", "b"})
    with pytest.raises(NegotiationError, match="at least two"):
        n.start("a", {"a"})


def test_only_the_proposer_withdraws_an_open_proposal():
    state = n.start("a", {"a", "b"})
    with pytest.raises(NegotiationError, match="Only the party that made"):
        n.withdraw(state, "b")
    assert n.withdraw(state, "a").status == ProposalStatus.WITHDRAWN
    with pytest.raises(NegotiationError, match="already accepted"):
        n.withdraw(n.respond(state, "b", Answer.ACCEPT), "a")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parties=st.sets(st.sampled_from("abcdefg"), min_size=2, max_size=7),
    data=st.data(),
)
def test_accepted_exactly_when_every_other_party_accepts(parties, data):
    proposer = data.draw(st.sampled_from(sorted(parties)))
    others = sorted(parties - {proposer})
    order = data.draw(st.permutations(others))
    state = n.start(proposer, parties)
    for i, party in enumerate(order):
        assert state.status == ProposalStatus.OPEN
        assert state.waiting_on == set(order[i:])
        state = n.respond(state, party, Answer.ACCEPT)
    assert state.status == ProposalStatus.ACCEPTED


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parties=st.sets(st.sampled_from("abcdef"), min_size=3, max_size=6),
    data=st.data(),
)
def test_one_rejection_ends_the_proposal_whatever_came_before(parties, data):
    proposer, *others = sorted(parties)
    accepting = data.draw(st.integers(0, len(others) - 1))
    state = n.start(proposer, parties)
    for party in others[:accepting]:
        state = n.respond(state, party, Answer.ACCEPT)
    state = n.respond(state, others[accepting], Answer.REJECT)
    assert state.status == ProposalStatus.REJECTED and not state.waiting_on


VERSION_TABLE = [
    # (status, move, result or None when refused)
    (VersionStatus.DRAFT, "open_negotiation", VersionStatus.NEGOTIATING),
    (VersionStatus.NEGOTIATING, "send_for_signature", VersionStatus.SIGNING),
    (VersionStatus.DRAFT, "send_for_signature", None),  # negotiate first
    (VersionStatus.SIGNING, "recall", VersionStatus.NEGOTIATING),
    (VersionStatus.SIGNING, "complete_signatures", VersionStatus.SIGNED),
    (VersionStatus.SIGNED, "recall", None),  # a signed version never reopens
    (VersionStatus.SIGNED, "supersede", VersionStatus.SUPERSEDED),
    (VersionStatus.SUPERSEDED, "open_negotiation", None),
]


@pytest.mark.parametrize(("status", "move", "result"), VERSION_TABLE)
def test_version_moves(status, move, result):
    if result is None:
        with pytest.raises(NegotiationError):
            n.move(status, move)
    else:
        assert n.move(status, move) == result


def test_proposals_only_while_negotiating():
    assert n.proposals_allowed("negotiating") is None
    assert "draft" in n.proposals_allowed("draft")
    assert "amendment" in n.proposals_allowed("signed")
    assert "out for signature" in n.proposals_allowed("signing")


def test_send_refusal_names_every_reason():
    assert n.send_refusal(complete_reason="", open_points=0) is None
    both = n.send_refusal(complete_reason="A clause is missing.", open_points=2)
    assert "incomplete. A clause is missing." in both and "2 proposals are still open" in both
