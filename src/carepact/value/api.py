"""The ledger, the fairness view, Shapley values and the value case as JSON.

Money goes out as whole minor units with the currency (and a formatted string to show);
amounts come in as decimal strings or numbers in major units (``"25000.00"``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from ninja import Router, Schema, Status

from carepact.accounts.models import Organisation
from carepact.core.errors import Invalid
from carepact.engine.value.money import format_money
from carepact.partnerships import services as partnerships
from carepact.value import services
from carepact.value.models import Benefit, Contribution

router = Router(tags=["value and benefit sharing"])
P = "/partnerships/{slug}"


class MoneyOut(Schema):
    minor: int
    currency: str
    formatted: str


class ContributionIn(Schema):
    organisation: str  # party slug
    kind: str
    description: str
    contributed_on: date
    currency: str = "GBP"
    amount: Decimal | None = None
    fte_months: Decimal | None = None
    rate: Decimal | None = None
    valuation_method: str = ""


class ContributionOut(Schema):
    id: int
    organisation: str
    kind: str
    description: str
    value: MoneyOut
    fte_months: Decimal | None
    rate_minor: int | None
    valuation_method: str
    contributed_on: date
    recorded_by: str
    recorded_at: datetime


class BenefitIn(Schema):
    kind: str
    description: str
    realised_on: date
    shares: dict[str, Decimal]  # party slug → percent; the shares add up to 100
    amount: Decimal | None = None
    currency: str = ""
    valuation_method: str = ""


class BenefitOut(Schema):
    id: int
    kind: str
    description: str
    value: MoneyOut | None
    valuation_method: str
    realised_on: date
    returned_to_nhs: bool
    shares: dict[str, Decimal]
    recorded_by: str
    recorded_at: datetime


class PartyTotalOut(Schema):
    organisation: str
    currency: str
    contributed_minor: int
    realised_minor: int


class LedgerOut(Schema):
    parties: list[str]
    currencies: list[str]
    contributions: list[ContributionOut]
    benefits: list[BenefitOut]
    totals: list[PartyTotalOut]


class ShareRowOut(Schema):
    organisation: str
    contributed_minor: int
    contribution_share: float | None
    agreed_share: float | None
    realised_minor: int
    realised_share: float | None
    gap: float | None
    gap_basis: str
    imbalanced: bool


class CurrencyOut(Schema):
    currency: str
    contributed_minor: int
    realised_minor: int
    rows: list[ShareRowOut]


class ShapleyRowOut(Schema):
    organisation: str
    value: float
    share: float | None


class ShapleyOut(Schema):
    basis: str | None
    unit: str | None
    entered_at: datetime | None
    coalition_values: dict[str, float]
    values: list[ShapleyRowOut]
    grand_coalition: float | None
    efficient: bool
    problem: str


class FairnessOut(Schema):
    agreed_shares_recorded: bool
    agreed_shares_source: str
    by_currency: list[CurrencyOut]
    unpriced_benefits: dict[str, int]
    shapley: ShapleyOut


class CoalitionValuesIn(Schema):
    basis: str
    unit: str
    values: dict[str, Decimal]  # party slugs joined by "+" → value


class CaseIn(Schema):
    summary: str = ""
    sites: int | None = None
    sites_detail: str = ""
    population_reached: int | None = None
    population_detail: str = ""
    outcome_label: str = ""
    outcome_quantity: float | None = None
    outcome_source: str = ""
    evidence: str = ""
    evidence_strength: str = ""
    scaling_needs: str = ""


class OutcomeKpiOut(Schema):
    objective: str
    kpi: str
    type: str
    unit: str
    baseline: float
    latest: float | None
    target: float
    target_date: date
    status: str


class CostOut(Schema):
    currency: str
    contributions_minor: int
    per_unit_minor: int | None


class CaseOut(CaseIn):
    outcome_kpis: list[OutcomeKpiOut]
    cost_per_outcome: list[CostOut]
    returned_to_nhs: list[MoneyOut]


def _money(minor: int | None, currency: str) -> dict | None:
    if minor is None:
        return None
    return {"minor": minor, "currency": currency, "formatted": format_money(minor, currency)}


def _contribution_out(c: Contribution) -> dict:
    return {
        "id": c.pk,
        "organisation": c.organisation.slug,
        "kind": c.kind,
        "description": c.description,
        "value": _money(c.amount_minor, c.currency),
        "fte_months": c.fte_months,
        "rate_minor": c.rate_minor,
        "valuation_method": c.valuation_method,
        "contributed_on": c.contributed_on,
        "recorded_by": str(c.recorded_by or ""),
        "recorded_at": c.recorded_at,
    }


def _benefit_out(b: Benefit) -> dict:
    return {
        "id": b.pk,
        "kind": b.kind,
        "description": b.description,
        "value": _money(b.amount_minor, b.currency),
        "valuation_method": b.valuation_method,
        "realised_on": b.realised_on,
        "returned_to_nhs": b.returned_to_nhs,
        "shares": {s.organisation.slug: s.percent for s in b.shares.all()},
        "recorded_by": str(b.recorded_by or ""),
        "recorded_at": b.recorded_at,
    }


def _party(slug: str, field: str = "organisation") -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Invalid("No organisation with that slug.", errors={field: [f"Unknown: {slug}."]})
    return organisation


def _shapley_out(partnership) -> dict:
    view = services.shapley_view(partnership)
    entry = view.entry
    return {
        "basis": entry.basis if entry else None,
        "unit": entry.unit if entry else None,
        "entered_at": entry.entered_at if entry else None,
        "coalition_values": {k: float(Decimal(v)) for k, v in entry.values.items()}
        if entry
        else {},
        "values": [
            {"organisation": o.slug, "value": float(value), "share": share}
            for o, value, share in view.rows
        ],
        "grand_coalition": float(view.grand) if view.grand is not None else None,
        "efficient": view.efficient,
        "problem": view.problem,
    }


@router.get(f"{P}/ledger", response=LedgerOut, summary="Contributions and benefits")
def get_ledger(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    the_ledger = services.ledger(partnership)
    return {
        "parties": [o.slug for o in the_ledger.parties],
        "currencies": the_ledger.currencies,
        "contributions": [_contribution_out(c) for c in the_ledger.contributions],
        "benefits": [_benefit_out(b) for b in the_ledger.benefits],
        "totals": [
            {
                "organisation": o.slug,
                "currency": currency,
                "contributed_minor": the_ledger.contributed.get(currency, {}).get(o.pk, 0),
                "realised_minor": the_ledger.realised.get(currency, {}).get(o.pk, 0),
            }
            for o in the_ledger.parties
            for currency in the_ledger.currencies
        ],
    }


@router.post(f"{P}/contributions", response={201: ContributionOut}, summary="Record a contribution")
def record_contribution(request, slug: str, payload: ContributionIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        contribution = services.record_contribution(
            request.auth,
            partnership,
            organisation=_party(payload.organisation),
            kind=payload.kind,
            description=payload.description,
            currency=payload.currency,
            amount=None if payload.amount is None else str(payload.amount),
            fte_months=payload.fte_months,
            rate=None if payload.rate is None else str(payload.rate),
            valuation_method=payload.valuation_method,
            contributed_on=payload.contributed_on,
        )
    return Status(201, _contribution_out(contribution))


@router.post(f"{P}/benefits", response={201: BenefitOut}, summary="Record a benefit")
def record_benefit(request, slug: str, payload: BenefitIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    shares = {_party(s, "shares"): p for s, p in payload.shares.items()}
    with transaction.atomic():
        benefit = services.record_benefit(
            request.auth,
            partnership,
            kind=payload.kind,
            description=payload.description,
            realised_on=payload.realised_on,
            shares=shares,
            amount=None if payload.amount is None else str(payload.amount),
            currency=payload.currency,
            valuation_method=payload.valuation_method,
        )
    return Status(201, _benefit_out(benefit))


@router.get(f"{P}/fairness", response=FairnessOut, summary="Shares put in, agreed, received")
def get_fairness(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    view = services.fairness_view(partnership)
    return {
        "agreed_shares_recorded": view.agreed.measured,
        "agreed_shares_source": view.agreed.detail,
        "by_currency": [
            {
                "currency": fair.currency,
                "contributed_minor": fair.contributed_total,
                "realised_minor": fair.realised_total,
                "rows": [
                    {
                        "organisation": o.slug,
                        "contributed_minor": row.contributed,
                        "contribution_share": row.contribution_share,
                        "agreed_share": row.agreed_share,
                        "realised_minor": row.realised,
                        "realised_share": row.realised_share,
                        "gap": row.gap,
                        "gap_basis": row.gap_basis,
                        "imbalanced": row.imbalanced,
                    }
                    for o, row in fair.rows
                ],
            }
            for fair in view.by_currency
        ],
        "unpriced_benefits": {o.slug: view.unpriced.get(o.pk, 0) for o in view.parties},
        "shapley": _shapley_out(partnership),
    }


@router.post(
    f"{P}/coalition-values",
    response={201: ShapleyOut},
    summary="Enter coalition values; answers the Shapley values",
)
def enter_coalition_values(request, slug: str, payload: CoalitionValuesIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.enter_coalition_values(
            request.auth,
            partnership,
            basis=payload.basis,
            unit=payload.unit,
            values=dict(payload.values),
        )
    return Status(201, _shapley_out(partnership))


def _case_out(partnership) -> dict:
    facts = services.case_facts(partnership)
    case = facts.case
    fields = {f: getattr(case, f) for f in services.CASE_FIELDS} if case else {}
    return {
        **CaseIn(**{k: v for k, v in fields.items() if v is not None}).dict(),
        "outcome_kpis": [
            {
                "objective": objective.title,
                "kpi": item.kpi.name,
                "type": item.kpi.type,
                "unit": item.kpi.unit,
                "baseline": item.kpi.baseline,
                "latest": item.latest.value if item.latest else None,
                "target": item.kpi.target,
                "target_date": item.kpi.target_date,
                "status": item.assessment.status.value,
            }
            for objective, items in facts.objectives
            for item in items
        ],
        "cost_per_outcome": [
            {
                "currency": c.currency,
                "contributions_minor": c.total_minor,
                "per_unit_minor": c.per_unit_minor,
            }
            for c in facts.cost_per_outcome
        ],
        "returned_to_nhs": [_money(m, c) for c, m in facts.returned_to_nhs.items()],
    }


@router.get(f"{P}/value-case", response=CaseOut, summary="The value case")
def get_value_case(request, slug: str):
    return _case_out(partnerships.get_partnership(request.auth, slug))


@router.put(f"{P}/value-case", response=CaseOut, summary="Write the value case")
def put_value_case(request, slug: str, payload: CaseIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.update_value_case(request.auth, partnership, **payload.dict())
    return _case_out(partnership)
