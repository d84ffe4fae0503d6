"""What the agreements app tells the value and outcomes apps, through their seams.

Declared on ``AgreementsConfig.carepact_provides`` (see ``carepact.outcomes.seams``), so
neither this module nor the readers import each other. The caller has already checked that
its reader may see the partnership (or the partnerships in ``partnership_ids``): these
functions only read.

- :func:`agreed_benefit_shares` (``value.agreed_benefit_shares``): the shares the
  benefit-sharing clause of the latest signed agreement sets;
- :func:`negotiated_by` (``recognition``): proposals a person made or answered, and the
  agreements they signed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from carepact.accounts.models import User
from carepact.agreements.models import (
    AgreementClause,
    AgreementParty,
    Proposal,
    ProposalResponse,
    Signature,
)
from carepact.agreements.services.drafting import ordered_clauses
from carepact.core.indicators import Reading
from carepact.engine.agreements.negotiation import VersionStatus
from carepact.engine.agreements.topics import TOPICS, Topic
from carepact.partnerships.models import Partnership

BENEFIT_SHARING_FAMILY = "benefit-sharing"
NONE_SIGNED = Reading(None, False, "not yet recorded")


def _day(moment) -> str:
    day = timezone.localdate(moment)
    return f"{day.day} {day:%b %Y}"


def _percent(value: Any) -> Decimal | None:
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() and 0 <= found <= 100 else None


# -- value.agreed_benefit_shares -------------------------------------------------------------


def agreed_benefit_shares(partnership: Partnership) -> Reading:
    """{organisation slug: percent} from the benefit-sharing clause of the latest signed
    agreement that gives the NHS party a share of revenue.

    The clause gives ``nhs_party`` its ``share`` of the net revenue a party earns from the
    work; with one other party to the agreement, that party keeps the rest, so the shares
    add up to 100. A clause that gives benefits in kind sets no shares, and one in an
    agreement between more than two parties does not say how the rest is divided: neither
    is read as shares. Only versions in force count (signed, not superseded).
    """
    clauses = (
        AgreementClause.objects.filter(
            version__agreement__partnership=partnership,
            version__status=VersionStatus.SIGNED.value,
            family=BENEFIT_SHARING_FAMILY,
        )
        .select_related("version__agreement", "clause_version__clause")
        .order_by("-version__signed_at", "-pk")
    )
    found = next(
        (
            c
            for c in clauses
            if _percent((c.parameters or {}).get("share")) is not None
            and (c.parameters or {}).get("nhs_party")
        ),
        None,
    )
    if found is None:
        return NONE_SIGNED
    version, agreement = found.version, found.version.agreement
    nhs, share = str(found.parameters["nhs_party"]), _percent(found.parameters["share"])
    parties = list(
        AgreementParty.objects.filter(agreement=agreement)
        .order_by("position", "pk")
        .values_list("organisation__slug", flat=True)
    )
    others = [slug for slug in parties if slug != nhs]
    number = next((i for i, c in enumerate(ordered_clauses(version), 1) if c.pk == found.pk), None)
    where = (
        f"clause {number} ({found.clause_version.clause.title.lower()}) of “{agreement.title}”"
        f" version {version.number}, signed {_day(version.signed_at)}"
    )
    if nhs not in parties:
        return Reading(None, False, f"{where} names {nhs}, which is not party to it")
    if len(others) != 1:
        return Reading(
            None,
            False,
            f"{where} gives {nhs} {share.normalize():f}% of net revenue but does not say how "
            "the rest is divided between the other parties",
        )
    shares = {nhs: float(share), others[0]: float(Decimal(100) - share)}
    return Reading(shares, True, f"from {where}")


# -- recognition -----------------------------------------------------------------------------

PROPOSED = {
    Proposal.Kind.CHANGE: "Proposed a change to",
    Proposal.Kind.ADD: "Proposed adding",
    Proposal.Kind.REMOVE: "Proposed removing",
}
ANSWERED = {ProposalResponse.Answer.ACCEPT: "Accepted", ProposalResponse.Answer.REJECT: "Rejected"}


def _topic(code: str) -> str:
    try:
        return TOPICS[Topic(code)].label
    except ValueError:
        return code.replace("_", " ").capitalize()


def negotiated_by(person: User | None, partnership_ids: set[int]) -> list[dict]:
    """What ``person`` (everyone, when None: each item says whose) did in the agreements of
    those partnerships: proposals and counter-proposals made (``clause_negotiated``),
    other parties' proposals accepted or rejected (``clause_negotiated``), agreements
    signed (``agreement_signed``). Three queries, however much there is."""
    ids = set(partnership_ids)
    found: list[dict] = []

    def who(field: str) -> dict:
        return {field: person} if person is not None else {f"{field}__isnull": False}

    proposals = Proposal.objects.filter(
        version__agreement__partnership_id__in=ids, **who("proposed_by")
    ).select_related("version__agreement", "organisation")
    for p in proposals:
        agreement = p.version.agreement
        verb = "Counter-proposed" if p.counter_to_id else PROPOSED.get(p.kind, "Proposed")
        found.append(
            {
                "person_id": p.proposed_by_id,
                "kind": "clause_negotiated",
                "label": f"{verb} {_topic(p.topic).lower()} in “{agreement.title}” "
                f"for {p.organisation}",
                "partnership_id": agreement.partnership_id,
                "at": p.created_at,
                "detail": f"round {p.round}, {p.get_status_display().lower()}",
            }
        )
    responses = (
        ProposalResponse.objects.filter(
            proposal__version__agreement__partnership_id__in=ids,
            answer__in=list(ANSWERED),
            **who("person"),
        )
        .select_related("proposal__version__agreement", "proposal__organisation", "organisation")
        .order_by("at", "pk")
    )
    for r in responses:  # a counter is credited once, as the proposal it made
        proposal, agreement = r.proposal, r.proposal.version.agreement
        found.append(
            {
                "person_id": r.person_id,
                "kind": "clause_negotiated",
                "label": f"{ANSWERED[r.answer]} {proposal.organisation}'s proposal on "
                f"{_topic(proposal.topic).lower()} in “{agreement.title}” for {r.organisation}",
                "partnership_id": agreement.partnership_id,
                "at": r.at,
                "detail": f"round {proposal.round}",
            }
        )
    signatures = Signature.objects.filter(
        version__agreement__partnership_id__in=ids, **who("signed_by")
    ).select_related("version__agreement")
    for s in signatures:
        agreement = s.version.agreement
        found.append(
            {
                "person_id": s.signed_by_id,
                "kind": "agreement_signed",
                "label": f"Signed version {s.version.number} of “{agreement.title}” "
                f"for {s.organisation_name}",
                "partnership_id": agreement.partnership_id,
                "at": s.signed_at,
                "detail": s.signer_title,
            }
        )
    return found
