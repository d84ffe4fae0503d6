"""Contracting analytics for one agreement and across an organisation's portfolio."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from carepact.accounts.models import Membership, Organisation, User
from carepact.agreements.models import Agreement, AgreementParty, AgreementVersion, Proposal
from carepact.core import clock
from carepact.core.errors import NotFound
from carepact.engine.agreements import analytics
from carepact.engine.agreements.negotiation import ProposalStatus, VersionStatus
from carepact.partnerships.models import Partnership

FROZEN = (VersionStatus.SIGNED, VersionStatus.SUPERSEDED)


def _prefetched(queryset):
    return queryset.select_related("partnership").prefetch_related(
        Prefetch("versions", queryset=AgreementVersion.objects.order_by("number")),
        Prefetch(
            "versions__proposals",
            queryset=Proposal.objects.only(
                "id", "version_id", "topic", "created_at", "resolved_at", "status"
            ),
        ),
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
    )


def facts_for(agreement: Agreement) -> analytics.AgreementFacts:
    versions = list(agreement.versions.all())
    first_signed = next((v.signed_at for v in versions if v.status in FROZEN), None)
    return analytics.AgreementFacts(
        key=str(agreement.pk),
        kind=agreement.kind,
        first_draft=agreement.created_at,
        signed=first_signed,
        proposals=tuple(
            analytics.ProposalFact(
                topic=p.topic,
                opened=p.created_at,
                closed=p.resolved_at if p.status != ProposalStatus.OPEN else None,
            )
            for v in versions
            for p in v.proposals.all()
        ),
    )


def agreement_analytics(agreement: Agreement) -> analytics.AgreementStats:
    fresh = _prefetched(Agreement.objects.filter(pk=agreement.pk)).get()
    return analytics.agreement_stats(facts_for(fresh), clock.now())


def partnership_facts(partnership: Partnership) -> list[analytics.AgreementFacts]:
    return [facts_for(a) for a in _prefetched(Agreement.objects.filter(partnership=partnership))]


@dataclass
class PortfolioRow:
    agreement: Agreement
    status: str
    stats: analytics.AgreementStats


@dataclass
class Portfolio:
    organisation: Organisation
    stats: analytics.PortfolioStats
    rows: list[PortfolioRow]


def portfolio_organisations(actor: User) -> list[Organisation]:
    return [
        m.organisation for m in Membership.objects.filter(user=actor).select_related("organisation")
    ]


def portfolio(actor: User, organisation: Organisation) -> Portfolio:
    """Every agreement the organisation is party to, in partnerships the actor can see."""
    if not actor.is_superuser and organisation not in portfolio_organisations(actor):
        raise NotFound("You are not a member of that organisation.")
    agreements = list(
        _prefetched(
            Agreement.objects.visible_to(actor).filter(parties__organisation=organisation)
        ).order_by("partnership__title", "created_at")
    )
    now = clock.now()
    facts = [facts_for(a) for a in agreements]
    rows = [
        PortfolioRow(a, list(a.versions.all())[-1].status, analytics.agreement_stats(f, now))
        for a, f in zip(agreements, facts, strict=True)
    ]
    return Portfolio(organisation, analytics.portfolio_stats(facts, now), rows)
