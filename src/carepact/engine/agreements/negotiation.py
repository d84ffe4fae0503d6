"""The negotiation state machine: proposals and answers between any number of parties.

A proposal changes one clause slot (a new alternative or new parameters, a new clause, or
the removal of one). The proposing party agrees to it by proposing it; every other party to
the agreement answers once: accept, reject or counter. It is accepted when all of them have
accepted, rejected as soon as one rejects, and countered as soon as one counters (the
counter is a new proposal, one round later, that the others, the first proposer included,
answer in turn). The proposer may withdraw it while it is open.

The version of an agreement moves draft → negotiating → signing → signed (→ superseded
when an amendment is signed); signing can be recalled to negotiating before everyone has
signed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class ProposalStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTERED = "countered"
    WITHDRAWN = "withdrawn"


class Answer(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    COUNTER = "counter"


class NegotiationError(ValueError):
    """A move the state machine does not allow; the message says why."""


@dataclass(frozen=True)
class ProposalState:
    proposer: str  # the proposing party's key
    parties: frozenset[str]  # every party to the agreement, the proposer's included
    status: ProposalStatus = ProposalStatus.OPEN
    accepted_by: frozenset[str] = frozenset()

    @property
    def answering(self) -> frozenset[str]:
        """The parties whose answer the proposal needs."""
        return self.parties - {self.proposer}

    @property
    def waiting_on(self) -> frozenset[str]:
        """The parties that have not answered yet (none unless open)."""
        if self.status != ProposalStatus.OPEN:
            return frozenset()
        return self.answering - self.accepted_by


def start(proposer: str, parties: frozenset[str] | set[str]) -> ProposalState:
    parties = frozenset(parties)
    if proposer not in parties:
        raise NegotiationError("Only a party to the agreement can propose a change to it.")
    if len(parties) < 2:
        raise NegotiationError("An agreement needs at least two parties to negotiate.")
    return ProposalState(proposer=proposer, parties=parties)


def respond(state: ProposalState, party: str, answer: str) -> ProposalState:
    """The state after ``party`` answers; raises :class:`NegotiationError` when it may not."""
    answer = Answer(answer)
    if state.status != ProposalStatus.OPEN:
        raise NegotiationError(f"This proposal is already {state.status.value}.")
    if party not in state.parties:
        raise NegotiationError("Only a party to the agreement can answer its proposals.")
    if party == state.proposer:
        raise NegotiationError(
            "Your party made this proposal: withdraw it, or wait for the other parties."
        )
    if party in state.accepted_by:
        raise NegotiationError("Your party has already accepted this proposal.")
    if answer == Answer.REJECT:
        return replace(state, status=ProposalStatus.REJECTED)
    if answer == Answer.COUNTER:
        return replace(state, status=ProposalStatus.COUNTERED)
    accepted = state.accepted_by | {party}
    status = ProposalStatus.ACCEPTED if accepted >= state.answering else ProposalStatus.OPEN
    return replace(state, accepted_by=accepted, status=status)


def withdraw(state: ProposalState, party: str) -> ProposalState:
    if state.status != ProposalStatus.OPEN:
        raise NegotiationError(f"This proposal is already {state.status.value}.")
    if party != state.proposer:
        raise NegotiationError("Only the party that made a proposal can withdraw it.")
    return replace(state, status=ProposalStatus.WITHDRAWN)


# -- versions --------------------------------------------------------------------------------


class VersionStatus(StrEnum):
    DRAFT = "draft"
    NEGOTIATING = "negotiating"
    SIGNING = "signing"
    SIGNED = "signed"
    SUPERSEDED = "superseded"


VERSION_MOVES: dict[str, tuple[VersionStatus, VersionStatus]] = {
    # move: (from, to)
    "open_negotiation": (VersionStatus.DRAFT, VersionStatus.NEGOTIATING),
    "send_for_signature": (VersionStatus.NEGOTIATING, VersionStatus.SIGNING),
    "recall": (VersionStatus.SIGNING, VersionStatus.NEGOTIATING),
    "complete_signatures": (VersionStatus.SIGNING, VersionStatus.SIGNED),
    "supersede": (VersionStatus.SIGNED, VersionStatus.SUPERSEDED),
}

_STATE_WORDS = {
    VersionStatus.DRAFT: "is still a draft",
    VersionStatus.NEGOTIATING: "is being negotiated",
    VersionStatus.SIGNING: "is out for signature",
    VersionStatus.SIGNED: "is signed and frozen: change it with an amendment",
    VersionStatus.SUPERSEDED: "has been replaced by a signed amendment",
}


def move(status: str, name: str) -> VersionStatus:
    """The status after ``name``; raises :class:`NegotiationError` saying why not."""
    before, after = VERSION_MOVES[name]
    if VersionStatus(status) != before:
        raise NegotiationError(f"This version {_STATE_WORDS[VersionStatus(status)]}.")
    return after


def editable_directly(status: str) -> bool:
    """Drafts are edited directly; once negotiation opens, changes go through proposals."""
    return VersionStatus(status) == VersionStatus.DRAFT


def proposals_allowed(status: str) -> str | None:
    """None when proposals may be made, else why not."""
    if VersionStatus(status) == VersionStatus.NEGOTIATING:
        return None
    if VersionStatus(status) == VersionStatus.DRAFT:
        return "This version is a draft: edit it directly, or open it for negotiation first."
    return f"This version {_STATE_WORDS[VersionStatus(status)]}."


def send_refusal(*, complete_reason: str, open_points: int) -> str | None:
    """Why a version cannot go out for signature, or None when it can."""
    reasons = []
    if complete_reason:
        reasons.append(f"The agreement is incomplete. {complete_reason}")
    if open_points:
        reasons.append(
            f"{open_points} proposal{' is' if open_points == 1 else 's are'} still open: "
            "settle every open point first."
        )
    return " ".join(reasons) or None
