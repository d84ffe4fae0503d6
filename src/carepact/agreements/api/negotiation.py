"""Proposals, answers, signature and amendments as JSON."""

from __future__ import annotations

from django.db import transaction
from ninja import Status

from carepact.agreements import services
from carepact.agreements.api import router
from carepact.agreements.api.output import agreement_out, load, single_proposal
from carepact.agreements.api.schemas import (
    AgreementOut,
    CommentIn,
    CounterIn,
    ProposalOut,
    ReasonIn,
    SignIn,
)

P = "/partnerships/{slug}/agreements"
A = P + "/{agreement_id}"


def _answer(request, slug, agreement_id, proposal_id, answer, comment):
    _, agreement = load(request.auth, slug, agreement_id)
    proposal = services.get_proposal(request.auth, agreement, proposal_id)
    with transaction.atomic():
        services.respond(request.auth, proposal, answer=answer, comment=comment)
    return single_proposal(request.auth, proposal)


@router.post(A + "/proposals/{proposal_id}/accept", response=ProposalOut)
def accept(request, slug: str, agreement_id: int, proposal_id: int, payload: CommentIn = None):
    return _answer(
        request, slug, agreement_id, proposal_id, "accept", payload.comment if payload else ""
    )


@router.post(A + "/proposals/{proposal_id}/reject", response=ProposalOut)
def reject(request, slug: str, agreement_id: int, proposal_id: int, payload: CommentIn):
    return _answer(request, slug, agreement_id, proposal_id, "reject", payload.comment)


@router.post(A + "/proposals/{proposal_id}/counter", response={201: ProposalOut})
def counter(request, slug: str, agreement_id: int, proposal_id: int, payload: CounterIn):
    _, agreement = load(request.auth, slug, agreement_id)
    proposal = services.get_proposal(request.auth, agreement, proposal_id)
    with transaction.atomic():
        new = services.counter(
            request.auth,
            proposal,
            clause_key=payload.clause,
            parameters=payload.parameters,
            comment=payload.comment,
        )
    return Status(201, single_proposal(request.auth, new))


@router.post(A + "/proposals/{proposal_id}/withdraw", response=ProposalOut)
def withdraw(request, slug: str, agreement_id: int, proposal_id: int, payload: CommentIn = None):
    _, agreement = load(request.auth, slug, agreement_id)
    proposal = services.get_proposal(request.auth, agreement, proposal_id)
    with transaction.atomic():
        services.withdraw(request.auth, proposal, comment=payload.comment if payload else "")
    return single_proposal(request.auth, proposal)


@router.post(A + "/send", response=AgreementOut, summary="Send for signature")
def send(request, slug: str, agreement_id: int):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.send_for_signature(request.auth, agreement)
    return agreement_out(request.auth, agreement)


@router.post(A + "/recall", response=AgreementOut, summary="Back from signature to negotiation")
def recall(request, slug: str, agreement_id: int, payload: ReasonIn):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.recall(request.auth, agreement, reason=payload.reason)
    return agreement_out(request.auth, agreement)


@router.post(A + "/sign", response=AgreementOut, summary="Sign (re-enter your password)")
def sign(request, slug: str, agreement_id: int, payload: SignIn):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.sign(request.auth, agreement, password=payload.password)
    return agreement_out(request.auth, agreement)


@router.post(A + "/amendments", response={201: AgreementOut}, summary="Start an amendment")
def amend(request, slug: str, agreement_id: int, payload: ReasonIn):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.start_amendment(request.auth, agreement, reason=payload.reason)
    return Status(201, agreement_out(request.auth, agreement))
