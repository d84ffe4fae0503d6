"""Negotiation: proposals on clause slots, answered by every other party to the agreement.

The rules of the state machine live in ``carepact.engine.agreements.negotiation``; this
module loads the state from the database, applies one move, stores the result and records
it in the audit trail. An accepted proposal changes the clause at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from carepact.accounts.models import Organisation, User
from carepact.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementVersion,
    Proposal,
    ProposalResponse,
)
from carepact.agreements.rules import AgreementAction
from carepact.agreements.services.access import (
    AgreementAccess,
    agreement_access,
    current_version,
    party_organisations,
)
from carepact.agreements.services.drafting import (
    carried_over,
    check_parameters,
    context_for,
    get_library_clause,
    slot,
    snapshot,
    target_version,
)
from carepact.agreements.services.library import latest_version
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine.agreements import diff, negotiation
from carepact.engine.agreements.analytics import days
from carepact.engine.agreements.negotiation import Answer, ProposalStatus

# -- reading ---------------------------------------------------------------------------------


def proposals_of(version: AgreementVersion):
    return version.proposals.select_related(
        "organisation",
        "proposed_by",
        "clause_version__clause",
        "target__clause_version__clause",
        "counter_to__organisation",
    ).prefetch_related(
        Prefetch(
            "responses",
            queryset=ProposalResponse.objects.select_related("organisation", "person"),
        )
    )


def get_proposal(actor: User, agreement: Agreement, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(
            pk=proposal_id,
            version__agreement=agreement,
            version__agreement__partnership__in=type(agreement.partnership)
            .objects.visible_to(actor)
            .values("pk"),
        )
        .select_related(
            "version__agreement__partnership",
            "organisation",
            "clause_version__clause",
            "target__clause_version__clause",
        )
        .first()
    )
    if proposal is None:
        raise NotFound("No such proposal in this agreement.")
    return proposal


def _state(proposal: Proposal, parties: list[Organisation]) -> negotiation.ProposalState:
    accepted = {r.organisation.slug for r in proposal.responses.all() if r.answer == Answer.ACCEPT}
    return negotiation.ProposalState(
        proposer=proposal.organisation.slug,
        parties=frozenset(o.slug for o in parties),
        status=ProposalStatus(proposal.status),
        accepted_by=frozenset(accepted),
    )


def describe(proposal: Proposal, ctx) -> diff.ClauseDiff:
    """What the proposal would change, as a clause diff against the clause as it stands."""
    before = None
    if proposal.target is not None:
        before = snapshot(
            proposal.target.clause_version, proposal.target.parameters, proposal.family, ctx
        )
    after = None
    if proposal.clause_version is not None and proposal.kind != Proposal.Kind.REMOVE:
        after = snapshot(proposal.clause_version, proposal.parameters, proposal.family, ctx)
    return diff.diff_versions([before] if before else [], [after] if after else [])[0]


@dataclass
class PointView:
    """One proposal as the agreement page shows it."""

    proposal: Proposal
    change: diff.ClauseDiff
    title: str
    waiting_on: list[Organisation]
    accepted_by: list[Organisation]
    days_open: float
    can_answer: bool
    can_withdraw: bool

    @property
    def waiting_for(self) -> list[Organisation]:
        """Those who have said yes and are waiting: the proposer and any that accepted."""
        return [self.proposal.organisation, *self.accepted_by]


def point_view(
    proposal: Proposal, parties: list[Organisation], ctx, aa: AgreementAccess | None, now=None
) -> PointView:
    state = _state(proposal, parties)
    by_slug = {o.slug: o for o in parties}
    change = describe(proposal, ctx)
    acting = aa.acting.slug if aa and aa.acting else None
    end = proposal.resolved_at or now or clock.now()
    return PointView(
        proposal=proposal,
        change=change,
        title=change.title,
        waiting_on=[o for o in parties if o.slug in state.waiting_on],
        accepted_by=[by_slug[s] for s in sorted(state.accepted_by) if s in by_slug],
        days_open=days(proposal.created_at, end),
        can_answer=bool(aa and aa.can(AgreementAction.RESPOND) and acting in state.waiting_on),
        can_withdraw=bool(
            aa
            and aa.can(AgreementAction.PROPOSE)
            and acting == state.proposer
            and state.status == ProposalStatus.OPEN
        ),
    )


def open_points(
    agreement: Agreement, version: AgreementVersion, aa: AgreementAccess | None = None
) -> list[PointView]:
    """Proposals waiting for answers, oldest first, with who waits on whom."""
    parties = party_organisations(agreement)
    ctx = context_for(agreement, version)
    now = clock.now()
    return [
        point_view(p, parties, ctx, aa, now)
        for p in proposals_of(version).filter(status=ProposalStatus.OPEN)
    ]


def history(agreement: Agreement, family: str, aa: AgreementAccess | None = None):
    """Every proposal ever made on one clause slot, across versions, newest first."""
    parties = party_organisations(agreement)
    points = []
    for version in agreement.versions.order_by("-number"):
        ctx = context_for(agreement, version)
        for proposal in proposals_of(version).filter(family=family).order_by("-created_at", "-pk"):
            points.append((version, point_view(proposal, parties, ctx, aa)))
    return points


# -- moves -----------------------------------------------------------------------------------


def _negotiating(agreement: Agreement) -> AgreementVersion:
    version = current_version(agreement)
    reason = negotiation.proposals_allowed(version.status)
    if reason:
        raise Conflict(reason)
    return version


def _comment(comment: str, *, required: str | None) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise Invalid(required, errors={"comment": [required]})
    if len(comment) > 4000:
        raise Invalid("Keep the comment under 4,000 characters.", errors={"comment": ["Too long."]})
    return comment


def _open_on_slot(version: AgreementVersion, family: str) -> Proposal | None:
    return (
        version.proposals.filter(family=family, status=ProposalStatus.OPEN)
        .select_related("organisation")
        .first()
    )


def _content(
    agreement: Agreement,
    version: AgreementVersion,
    *,
    family: str,
    target: AgreementClause | None,
    clause_key: str | None,
    parameters: dict[str, Any],
    use_latest: bool,
    base: tuple[Any, dict] | None = None,
):
    """(kind, clause version, values) proposed for a slot.

    ``base`` is what the proposal starts from (the clause as it stands, or for a counter
    the proposal it answers): parameters not given keep their value from it, and a clause
    key naming another alternative switches to that alternative's newest wording.
    """
    if base is None:
        base = (target.clause_version, target.parameters) if target else (None, {})
    base_cv, base_values = base
    if clause_key and (base_cv is None or clause_key != base_cv.clause.key):
        clause = get_library_clause(clause_key)
        if clause.family != family:
            raise Invalid(
                "That clause is not an alternative for this one.",
                errors={"clause": ["Choose an alternative of the same clause."]},
            )
        new_cv = latest_version(clause)
    elif base_cv is None:
        raise Invalid("Choose the clause to add.", errors={"clause": ["Required."]})
    elif use_latest:
        new_cv = target_version(base_cv, None, family, use_latest=True)
    else:
        new_cv = base_cv
    ctx = context_for(agreement, version)
    values = check_parameters(new_cv, carried_over(base_cv, base_values, new_cv, parameters), ctx)
    if target is not None and new_cv == target.clause_version and values == target.parameters:
        raise Invalid(
            "This changes nothing in the clause as it stands: change a parameter or choose "
            "an alternative (or reject the proposal)."
        )
    return (Proposal.Kind.CHANGE if target else Proposal.Kind.ADD), new_cv, values


def _start(aa: AgreementAccess, version: AgreementVersion, family: str) -> None:
    aa.check(AgreementAction.PROPOSE)
    try:
        negotiation.start(aa.acting.slug, {o.slug for o in aa.parties})
    except negotiation.NegotiationError as exc:
        raise Conflict(str(exc)) from None
    existing = _open_on_slot(version, family)
    if existing is not None:
        raise Conflict(
            f"{existing.organisation} already has an open proposal on this clause: accept, "
            "reject or counter it instead."
        )


def _record_proposal(actor, aa, agreement, proposal: Proposal, verb: str) -> None:
    ctx = context_for(agreement, proposal.version)
    change = describe(proposal, ctx)
    others = [o.name for o in aa.parties if o != aa.acting]
    audit.record(
        actor,
        action=f"proposal.{verb}",
        obj=proposal,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=(
            f"{actor} ({aa.acting}) {'countered with' if verb == 'counter' else 'proposed'}: "
            f"{change.summary} Waiting on {', '.join(others)}."
        ),
        summary={
            "agreement": agreement.pk,
            "version": proposal.version.number,
            "kind": proposal.kind,
            "family": proposal.family,
            "clause": proposal.clause_version.clause.key if proposal.clause_version else None,
            "parameters": proposal.parameters,
            "comment": proposal.comment,
            "round": proposal.round,
            "counter_to": proposal.counter_to_id,
        },
    )


def propose(
    actor: User,
    agreement: Agreement,
    *,
    family: str,
    clause_key: str | None = None,
    parameters: dict[str, Any] | None = None,
    use_latest: bool = False,
    comment: str = "",
) -> Proposal:
    """Propose new parameters or another alternative for a clause, or a clause to add."""
    aa = agreement_access(actor, agreement.partnership, agreement)
    version = _negotiating(agreement)
    _start(aa, version, family)
    comment = _comment(comment, required="Say why you propose this, for the other parties.")
    target = slot(version, family)
    kind, cv, values = _content(
        agreement,
        version,
        family=family,
        target=target,
        clause_key=clause_key,
        parameters=parameters or {},
        use_latest=use_latest,
    )
    proposal = Proposal.objects.create(
        version=version,
        kind=kind,
        family=family,
        topic=cv.clause.topic,
        target=target,
        clause_version=cv,
        parameters=values,
        comment=comment,
        proposed_by=actor,
        organisation=aa.acting,
        created_at=clock.now(),
    )
    _record_proposal(actor, aa, agreement, proposal, "create")
    return proposal


def propose_removal(actor: User, agreement: Agreement, *, family: str, comment: str) -> Proposal:
    aa = agreement_access(actor, agreement.partnership, agreement)
    version = _negotiating(agreement)
    _start(aa, version, family)
    comment = _comment(comment, required="Say why the clause should go, for the other parties.")
    target = slot(version, family)
    if target is None:
        raise NotFound("This agreement has no such clause.")
    proposal = Proposal.objects.create(
        version=version,
        kind=Proposal.Kind.REMOVE,
        family=family,
        topic=target.topic,
        target=target,
        comment=comment,
        proposed_by=actor,
        organisation=aa.acting,
        created_at=clock.now(),
    )
    _record_proposal(actor, aa, agreement, proposal, "create")
    return proposal


def _apply(proposal: Proposal, actor: User) -> None:
    if proposal.kind == Proposal.Kind.CHANGE:
        target = proposal.target
        target.clause_version, target.parameters = proposal.clause_version, proposal.parameters
        target.save(update_fields=["clause_version", "parameters"])
    elif proposal.kind == Proposal.Kind.ADD:
        AgreementClause.objects.create(
            version=proposal.version,
            clause_version=proposal.clause_version,
            family=proposal.family,
            topic=proposal.topic,
            parameters=proposal.parameters,
            added_by=proposal.proposed_by,
            added_at=clock.now(),
        )
    else:
        proposal.target.delete()


def _answer(actor: User, proposal: Proposal, answer: Answer) -> tuple[AgreementAccess, Any]:
    agreement = proposal.version.agreement
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.RESPOND)
    if proposal.version_id != current_version(agreement).pk:
        raise Conflict("This proposal belongs to an earlier version and can no longer change.")
    try:
        state = negotiation.respond(_state(proposal, aa.parties), aa.acting.slug, answer)
    except negotiation.NegotiationError as exc:
        raise Conflict(str(exc)) from None
    return aa, state


def respond(actor: User, proposal: Proposal, *, answer: str, comment: str = "") -> Proposal:
    """Accept or reject another party's proposal for the actor's organisation."""
    if answer not in (Answer.ACCEPT, Answer.REJECT):
        raise Invalid("Answer accept or reject (or counter with your own proposal).")
    aa, state = _answer(actor, proposal, Answer(answer))
    comment = _comment(
        comment,
        required="Say why you reject it, so the others can answer."
        if answer == Answer.REJECT
        else None,
    )
    now = clock.now()
    ProposalResponse.objects.create(
        proposal=proposal,
        organisation=aa.acting,
        person=actor,
        answer=answer,
        comment=comment,
        at=now,
    )
    agreement = proposal.version.agreement
    change = describe(proposal, context_for(agreement, proposal.version))
    proposal.status = state.status.value
    if state.status != ProposalStatus.OPEN:
        proposal.resolved_at = now
    proposal.save(update_fields=["status", "resolved_at"])
    if state.status == ProposalStatus.ACCEPTED:
        _apply(proposal, actor)
    waiting = [o.name for o in aa.parties if o.slug in state.waiting_on]
    outcome = {
        ProposalStatus.ACCEPTED: "Every party has now accepted it: the clause is changed.",
        ProposalStatus.REJECTED: "The clause stays as it was.",
        ProposalStatus.OPEN: f"Still waiting on {', '.join(waiting)}.",
    }[state.status]
    audit.record(
        actor,
        action=f"proposal.{answer}",
        obj=proposal,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=(
            f"{actor} {'accepted' if answer == Answer.ACCEPT else 'rejected'} for {aa.acting} "
            f"the proposal by {proposal.organisation}: {change.summary} {outcome}"
        ),
        summary={
            "agreement": agreement.pk,
            "version": proposal.version.number,
            "proposal": proposal.pk,
            "family": proposal.family,
            "status": proposal.status,
            "comment": comment,
            "waiting_on": sorted(state.waiting_on),
        },
    )
    return proposal


def counter(
    actor: User,
    proposal: Proposal,
    *,
    clause_key: str | None = None,
    parameters: dict[str, Any] | None = None,
    comment: str = "",
) -> Proposal:
    """Answer a proposal with a different one for the same clause: the next round."""
    aa, state = _answer(actor, proposal, Answer.COUNTER)
    comment = _comment(comment, required="Say what your counter-proposal changes, and why.")
    agreement = proposal.version.agreement
    version = proposal.version
    target = slot(version, proposal.family)
    base = (
        (proposal.clause_version, proposal.parameters)
        if proposal.clause_version is not None
        else None
    )
    kind, cv, values = _content(
        agreement,
        version,
        family=proposal.family,
        target=target,
        clause_key=clause_key,
        parameters=parameters or {},
        use_latest=False,
        base=base,
    )
    if (
        proposal.kind != Proposal.Kind.REMOVE
        and cv == proposal.clause_version
        and values == proposal.parameters
    ):
        raise Invalid("This counter-proposal is the same as the proposal: accept it instead.")
    now = clock.now()
    ProposalResponse.objects.create(
        proposal=proposal,
        organisation=aa.acting,
        person=actor,
        answer=Answer.COUNTER,
        comment=comment,
        at=now,
    )
    proposal.status, proposal.resolved_at = state.status.value, now
    proposal.save(update_fields=["status", "resolved_at"])
    new = Proposal.objects.create(
        version=version,
        kind=kind,
        family=proposal.family,
        topic=cv.clause.topic,
        target=target,
        clause_version=cv,
        parameters=values,
        comment=comment,
        proposed_by=actor,
        organisation=aa.acting,
        created_at=now,
        counter_to=proposal,
        round=proposal.round + 1,
    )
    _record_proposal(actor, aa, agreement, new, "counter")
    return new


def withdraw(actor: User, proposal: Proposal, *, comment: str = "") -> Proposal:
    agreement = proposal.version.agreement
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.PROPOSE)
    try:
        state = negotiation.withdraw(_state(proposal, aa.parties), aa.acting.slug)
    except negotiation.NegotiationError as exc:
        raise Conflict(str(exc)) from None
    proposal.status, proposal.resolved_at = state.status.value, clock.now()
    proposal.save(update_fields=["status", "resolved_at"])
    audit.record(
        actor,
        action="proposal.withdraw",
        obj=proposal,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=f"{actor} withdrew {aa.acting}'s proposal on “{proposal.family}”.",
        summary={
            "agreement": agreement.pk,
            "version": proposal.version.number,
            "proposal": proposal.pk,
            "comment": _comment(comment, required=None),
        },
    )
    return proposal
