"""The ledger, the fairness view, coalition values and the value case.

Writing functions take the acting person first, check access, change rows and append their
audit event in the caller's transaction. Shares, gaps and Shapley values are computed by
``carepact.engine.value``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db.models import Prefetch

from carepact.accounts.models import HEALTHCARE_KINDS, Organisation, User
from carepact.core import audit, clock
from carepact.core.errors import Invalid
from carepact.core.indicators import Reading
from carepact.engine.value import money, shapley
from carepact.engine.value.shares import PartyShare, SharesError, check_agreed, fairness
from carepact.outcomes import seams
from carepact.outcomes import services as outcomes
from carepact.partnerships.models import Partnership, Party, Role
from carepact.partnerships.rules import Action, access_for
from carepact.value.models import (
    RETURNED_TO_NHS,
    Benefit,
    BenefitKind,
    BenefitShare,
    CoalitionValues,
    Contribution,
    ContributionKind,
    EvidenceStrength,
    ValueCase,
)
from carepact.value.rules import may_record_for

CASE_FIELDS = (
    "summary",
    "sites",
    "sites_detail",
    "population_reached",
    "population_detail",
    "outcome_label",
    "outcome_quantity",
    "outcome_source",
    "evidence",
    "evidence_strength",
    "scaling_needs",
)
MAX_SHAPLEY_PAGE_PARTIES = 6  # a form with a field per coalition: 63 fields at most


def active_parties(partnership: Partnership) -> list[Organisation]:
    return [
        p.organisation
        for p in partnership.parties.filter(status=Party.Status.ACTIVE)
        .select_related("organisation")
        .order_by("invited_at", "pk")
    ]


# -- the ledger ------------------------------------------------------------------------------


@dataclass
class Ledger:
    parties: list[Organisation]
    contributions: list[Contribution]
    benefits: list[Benefit]
    # currency → organisation id → minor units
    contributed: dict[str, dict[int, int]] = field(default_factory=dict)
    realised: dict[str, dict[int, int]] = field(default_factory=dict)
    # organisation id → benefits without a money value credited (publications, patient benefit)
    unpriced: dict[int, int] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str]:
        seen: list[str] = []
        for currency in [*self.contributed, *self.realised]:
            if currency not in seen:
                seen.append(currency)
        return seen

    def contributed_total(self) -> dict[str, int]:
        return {c: sum(v.values()) for c, v in self.contributed.items()}

    def returned_to_nhs(self) -> dict[str, int]:
        return money.totals(
            (b.currency, b.amount_minor)
            for b in self.benefits
            if b.kind in RETURNED_TO_NHS and b.amount_minor is not None
        )


def ledger(partnership: Partnership) -> Ledger:
    """Every contribution and benefit, with totals per currency and party (few queries)."""
    contributions = list(
        partnership.contributions.select_related("organisation", "recorded_by", "recorded_for")
    )
    benefits = list(
        partnership.benefits.select_related("recorded_by", "recorded_for").prefetch_related(
            Prefetch("shares", queryset=BenefitShare.objects.select_related("organisation"))
        )
    )
    result = Ledger(active_parties(partnership), contributions, benefits)
    contributed: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for c in contributions:
        contributed[c.currency][c.organisation_id] += c.amount_minor
    realised: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    unpriced: dict[int, int] = defaultdict(int)
    for b in benefits:
        for share in b.shares.all():
            if b.amount_minor is None:
                unpriced[share.organisation_id] += 1
            else:
                part = (Decimal(b.amount_minor) * share.percent / 100).to_integral_value()
                realised[b.currency][share.organisation_id] += int(part)
    result.contributed = {c: dict(v) for c, v in contributed.items()}
    result.realised = {c: dict(v) for c, v in realised.items()}
    result.unpriced = dict(unpriced)
    return result


def _party(partnership: Partnership, organisation: Organisation) -> None:
    if not Party.objects.filter(
        partnership=partnership, organisation=organisation, status=Party.Status.ACTIVE
    ).exists():
        raise Invalid(
            f"{organisation} is not an active party to this partnership.",
            errors={"organisation": ["Choose a party."]},
        )


def _currency(code: str, errors: dict, name: str = "currency") -> str:
    try:
        return money.check_currency(code)
    except money.MoneyError as exc:
        errors[name] = [str(exc).capitalize() + "."]
        return ""


def _amount(text, currency: str, errors: dict, name: str) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        return money.to_minor(text, currency)
    except money.MoneyError as exc:
        errors[name] = [str(exc).capitalize() + "."]
        return None


def record_contribution(
    actor: User,
    partnership: Partnership,
    *,
    organisation: Organisation,
    kind: str,
    description: str,
    currency: str = "GBP",
    amount: str | None = None,
    fte_months: str | Decimal | None = None,
    rate: str | None = None,
    valuation_method: str = "",
    contributed_on: date,
) -> Contribution:
    """Put one party's contribution on the ledger, valued in money with the method stated.

    Staff time is given as FTE-months and the cost of one FTE-month; its value is their
    product. Any other kind is given as an amount with the method by which it was valued.
    """
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    _party(partnership, organisation)
    may_record_for(
        own_party=organisation in access.party_organisations,
        is_lead=Role.LEAD in access.roles,
    ).check()
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    method = (valuation_method or "").strip()
    if kind not in ContributionKind.values:
        errors["kind"] = ["Choose what kind of contribution it is."]
    if not description:
        errors["description"] = ["Say what was contributed."]
    elif len(description) > 300:
        errors["description"] = ["Keep it under 300 characters."]
    if not isinstance(contributed_on, date):
        errors["contributed_on"] = ["Enter a date."]
    currency = _currency(currency, errors)
    months = None
    rate_minor = None
    amount_minor = None
    if kind == ContributionKind.STAFF_TIME:
        try:
            months = Decimal(str(fte_months)) if fte_months not in (None, "") else None
        except InvalidOperation:
            months = None
        if months is None or months <= 0 or months >= 10**6:
            errors["fte_months"] = ["Give the staff time in FTE-months, more than 0."]
        if currency:
            rate_minor = _amount(rate, currency, errors, "rate")
            if rate_minor is None and "rate" not in errors:
                errors["rate"] = ["Give the cost of one FTE-month."]
        if amount not in (None, ""):
            errors["amount"] = ["For staff time, give FTE-months and a rate; the value follows."]
        if not errors:
            amount_minor = money.staff_time_value(months, rate_minor)
            method = method or (
                f"{months.normalize():f} FTE-months at "
                f"{money.format_money(rate_minor, currency)} per FTE-month."
            )
    elif kind in ContributionKind.values:
        if fte_months not in (None, "") or rate not in (None, ""):
            errors["fte_months"] = ["FTE-months and a rate are for staff time only."]
        if currency:
            amount_minor = _amount(amount, currency, errors, "amount")
            if amount_minor is None and "amount" not in errors:
                errors["amount"] = ["Give the value of the contribution."]
        if kind == ContributionKind.CASH:
            method = method or "Cash, at face value."
        elif not method:
            errors["valuation_method"] = [
                "Say how the contribution was valued (market rate, cost, an agreed figure)."
            ]
    if errors:
        raise Invalid("The contribution needs correcting.", errors=errors)
    contribution = Contribution.objects.create(
        partnership=partnership,
        organisation=organisation,
        kind=kind,
        description=description,
        amount_minor=amount_minor,
        currency=currency,
        fte_months=months,
        rate_minor=rate_minor,
        valuation_method=method,
        contributed_on=contributed_on,
        recorded_by=actor,
        recorded_for=access.acting_organisation,
        recorded_at=clock.now(),
    )
    audit.record(
        actor,
        action="contribution.record",
        obj=contribution,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} recorded a contribution of {contribution.amount} "
            f"({ContributionKind(kind).label.lower()}) by {organisation}."
        ),
        summary={
            "organisation": organisation.name,
            "kind": kind,
            "description": description,
            "amount_minor": amount_minor,
            "currency": currency,
            "fte_months": str(months) if months is not None else None,
            "rate_minor": rate_minor,
            "valuation_method": method,
            "contributed_on": contributed_on.isoformat(),
        },
    )
    return contribution


def record_benefit(
    actor: User,
    partnership: Partnership,
    *,
    kind: str,
    description: str,
    realised_on: date,
    shares: dict[Organisation, Decimal | str | int],
    amount: str | None = None,
    currency: str = "",
    valuation_method: str = "",
) -> Benefit:
    """Put a benefit on the ledger, attributed to parties in percentages adding to 100.

    Value returned to the NHS (fees, milestones, royalties) needs an amount and goes to the
    NHS or public-health parties only.
    """
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    method = (valuation_method or "").strip()
    if kind not in BenefitKind.values:
        errors["kind"] = ["Choose what kind of benefit it is."]
    if not description:
        errors["description"] = ["Say what the benefit is."]
    elif len(description) > 300:
        errors["description"] = ["Keep it under 300 characters."]
    if not isinstance(realised_on, date):
        errors["realised_on"] = ["Enter a date."]
    amount_minor = None
    if amount not in (None, ""):
        currency = _currency(currency, errors)
        if currency:
            amount_minor = _amount(amount, currency, errors, "amount")
        if not method:
            errors["valuation_method"] = ["Say how the amount was worked out."]
    else:
        currency = ""
        if kind in RETURNED_TO_NHS or kind in (BenefitKind.REVENUE, BenefitKind.COST_SAVING):
            errors["amount"] = ["Give the amount of money."]
    parties = {o.pk: o for o in active_parties(partnership)}
    cleaned: dict[Organisation, Decimal] = {}
    for organisation, percent in shares.items():
        try:
            value = Decimal(str(percent)) if percent not in (None, "") else Decimal(0)
        except InvalidOperation:
            errors["shares"] = ["Each share is a percentage."]
            break
        if value == 0:
            continue
        if organisation.pk not in parties:
            errors["shares"] = [f"{organisation} is not an active party."]
        elif not 0 < value <= 100 or value != value.quantize(Decimal("0.01")):
            errors["shares"] = ["Each share is a percentage above 0, to two decimals at most."]
        else:
            cleaned[organisation] = value
    if "shares" not in errors:
        if not cleaned:
            errors["shares"] = ["Attribute the benefit to at least one party."]
        elif sum(cleaned.values()) != 100:
            errors["shares"] = [
                f"The shares add up to {sum(cleaned.values()):f}%: they must add up to 100%."
            ]
        elif kind in RETURNED_TO_NHS and any(o.kind not in HEALTHCARE_KINDS for o in cleaned):
            errors["shares"] = [
                "Value returned to the NHS is attributed to NHS or public-health parties only."
            ]
    if errors:
        raise Invalid("The benefit needs correcting.", errors=errors)
    benefit = Benefit.objects.create(
        partnership=partnership,
        kind=kind,
        description=description,
        amount_minor=amount_minor,
        currency=currency,
        valuation_method=method,
        realised_on=realised_on,
        recorded_by=actor,
        recorded_for=access.acting_organisation,
        recorded_at=clock.now(),
    )
    BenefitShare.objects.bulk_create(
        BenefitShare(benefit=benefit, organisation=o, percent=p) for o, p in cleaned.items()
    )
    audit.record(
        actor,
        action="benefit.record",
        obj=benefit,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=(
            f"{actor} recorded the benefit {description!r} ({BenefitKind(kind).label.lower()}"
            f"{', ' + benefit.amount if amount_minor is not None else ''})."
        ),
        summary={
            "kind": kind,
            "description": description,
            "amount_minor": amount_minor,
            "currency": currency,
            "valuation_method": method,
            "realised_on": realised_on.isoformat(),
            "shares": {o.name: f"{p:f}" for o, p in cleaned.items()},
        },
    )
    return benefit


# -- fairness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrencyFairness:
    currency: str
    rows: list[tuple[Organisation, PartyShare]]
    contributed_total: int
    realised_total: int


@dataclass(frozen=True)
class Fairness:
    parties: list[Organisation]
    agreed: Reading  # value: {slug: fraction} when recorded
    agreed_problem: str
    by_currency: list[CurrencyFairness]
    unpriced: dict[int, int]


def agreed_shares(partnership: Partnership, parties: list[Organisation]) -> tuple[Reading, str]:
    """The benefit shares the agreement sets, as fractions by slug, from the agreements seam.

    Answers NOT_RECORDED until an app provides ``value.agreed_benefit_shares``; a reading
    that does not divide the benefits among the parties is reported, not used.
    """
    reading = seams.read("value.agreed_benefit_shares", partnership)
    if not reading.measured or reading.value is None:
        return seams.NOT_RECORDED, ""
    try:
        shares = {str(k): float(v) / 100 for k, v in dict(reading.value).items()}
        check_agreed(shares, [p.slug for p in parties])
    except (SharesError, TypeError, ValueError) as exc:
        return seams.NOT_RECORDED, f"The agreed shares could not be used: {exc}."
    return Reading(shares, True, reading.detail), ""


def fairness_view(partnership: Partnership, the_ledger: Ledger | None = None) -> Fairness:
    """Per currency: each party's contribution, agreed and realised shares, and the gap."""
    the_ledger = the_ledger or ledger(partnership)
    parties = the_ledger.parties
    agreed, problem = agreed_shares(partnership, parties)
    by_currency = []
    for currency in the_ledger.currencies:
        contributed = {
            o.slug: the_ledger.contributed.get(currency, {}).get(o.pk, 0) for o in parties
        }
        realised = {o.slug: the_ledger.realised.get(currency, {}).get(o.pk, 0) for o in parties}
        rows = fairness(
            [o.slug for o in parties],
            contributed,
            realised,
            agreed.value if agreed.measured else None,
        )
        by_currency.append(
            CurrencyFairness(
                currency,
                list(zip(parties, rows, strict=True)),
                sum(contributed.values()),
                sum(realised.values()),
            )
        )
    return Fairness(parties, agreed, problem, by_currency, the_ledger.unpriced)


# -- Shapley ---------------------------------------------------------------------------------


def coalitions(parties: list[Organisation]) -> list[tuple[str, list[Organisation]]]:
    """Every non-empty coalition of the parties: (key of slugs joined by '+', members)."""
    found = []
    for mask in range(1, 1 << len(parties)):
        members = [p for k, p in enumerate(parties) if mask >> k & 1]
        found.append((shapley.coalition_key(p.slug for p in members), members))
    found.sort(key=lambda item: (len(item[1]), item[0]))
    return found


def enter_coalition_values(
    actor: User,
    partnership: Partnership,
    *,
    basis: str,
    unit: str,
    values: dict[str, object],
) -> CoalitionValues:
    """Record what each coalition of parties could achieve alone (keys: slugs joined by '+')."""
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    parties = active_parties(partnership)
    errors: dict[str, list[str]] = {}
    basis, unit = (basis or "").strip(), (unit or "").strip()
    if not basis:
        errors["basis"] = ["Say what the values measure (for example, expected net value)."]
    if not unit:
        errors["unit"] = ["Give the unit of the values (for example, £ thousands)."]
    if len(parties) < 2:
        errors["values"] = ["Shapley values need at least two parties."]
    game = None
    if not errors:
        try:
            game = shapley.game_from_mapping(values, [p.slug for p in parties])
        except shapley.GameError as exc:
            errors["values"] = [str(exc).capitalize() + "."]
    if errors:
        raise Invalid("The coalition values need correcting.", errors=errors)
    stored = {
        shapley.coalition_key(p.slug for p in members): str(game.value({p.slug for p in members}))
        for _, members in coalitions(parties)
    }
    entry = CoalitionValues.objects.create(
        partnership=partnership,
        basis=basis,
        unit=unit,
        values=stored,
        entered_by=actor,
        entered_for=access.acting_organisation,
        entered_at=clock.now(),
    )
    audit.record(
        actor,
        action="coalition_values.enter",
        obj=entry,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} entered coalition values ({basis}, {unit}) for the Shapley view.",
        summary={"basis": basis, "unit": unit, "values": stored},
    )
    return entry


@dataclass(frozen=True)
class ShapleyView:
    entry: CoalitionValues | None
    rows: list[tuple[Organisation, Fraction, float | None]]  # party, value, share of total
    grand: Fraction | None
    efficient: bool
    problem: str  # why the values cannot be shown, when they cannot
    table: list[tuple[str, Fraction]]  # coalition names → value, for the page


def shapley_view(partnership: Partnership) -> ShapleyView:
    """The latest coalition values and each party's Shapley value, with the efficiency check."""
    entry = partnership.coalition_values.select_related("entered_by").first()
    if entry is None:
        return ShapleyView(None, [], None, False, "", [])
    parties = active_parties(partnership)
    try:
        game = shapley.game_from_mapping(entry.values, [p.slug for p in parties])
    except shapley.GameError as exc:
        return ShapleyView(
            entry,
            [],
            None,
            False,
            f"The coalition values no longer fit the parties ({exc}): enter them again.",
            [],
        )
    phi = shapley.shapley(game)
    efficient = shapley.efficiency_gap(game, phi) == 0
    grand = game.grand
    rows = [(p, phi[p.slug], float(phi[p.slug] / grand) if grand else None) for p in parties]
    table = [
        (" + ".join(o.name for o in members), game.value({o.slug for o in members}))
        for _, members in coalitions(parties)
    ]
    return ShapleyView(entry, rows, grand, efficient, "", table)


# -- the value case --------------------------------------------------------------------------


def _clean_case(fields: dict) -> dict:
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise Invalid(f"Unknown value-case field(s): {', '.join(sorted(unknown))}.")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors: dict[str, list[str]] = {}
    for name in ("sites", "population_reached"):
        value = cleaned.get(name)
        if value in ("", None):
            cleaned[name] = None
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[name] = ["A whole number, 0 or more."]
    quantity = cleaned.get("outcome_quantity")
    if quantity in ("", None):
        cleaned["outcome_quantity"] = None
    elif not isinstance(quantity, int | float) or isinstance(quantity, bool) or quantity < 0:
        errors["outcome_quantity"] = ["A number, 0 or more."]
    if cleaned.get("evidence_strength", "") not in ("", *EvidenceStrength.values):
        errors["evidence_strength"] = ["Choose one of the options."]
    limits = {"sites_detail": 300, "population_detail": 300, "outcome_label": 200}
    limits["outcome_source"] = 300
    for name, limit in limits.items():
        if len(cleaned.get(name) or "") > limit:
            errors[name] = [f"Keep it under {limit} characters."]
    if cleaned.get("outcome_quantity") is not None and not cleaned.get("outcome_label"):
        errors["outcome_label"] = ["Say what one unit of outcome is."]
    if errors:
        raise Invalid("The value case needs correcting.", errors=errors)
    return cleaned


def update_value_case(actor: User, partnership: Partnership, **fields) -> ValueCase:
    """Write or change the words and figures of the value case."""
    access = access_for(actor, partnership)
    access.check(Action.CONTRIBUTE)
    cleaned = _clean_case(fields)
    case = ValueCase.objects.filter(partnership=partnership).first() or ValueCase(
        partnership=partnership
    )
    changed = {k: [getattr(case, k), v] for k, v in cleaned.items() if getattr(case, k) != v}
    if case.pk and not changed:
        return case
    for name, (_, value) in changed.items():
        setattr(case, name, value)
    case.updated_by, case.updated_at = actor, clock.now()
    case.save()
    audit.record(
        actor,
        action="value_case.update",
        obj=case,
        partnership=partnership,
        organisation=access.acting_organisation,
        message=f"{actor} updated the value case ({', '.join(changed) or 'no fields'}).",
        summary={"changed": sorted(changed)},
    )
    return case


@dataclass(frozen=True)
class CostPerOutcome:
    currency: str
    total_minor: int
    per_unit_minor: int | None


@dataclass
class CaseFacts:
    partnership: Partnership
    case: ValueCase | None
    objectives: list  # (objective, [KpiProgress of outcome KPIs])
    other_kpis: int
    contributed: dict[str, int]
    returned_to_nhs: dict[str, int]
    cost_per_outcome: list[CostPerOutcome]
    parties: list[Organisation]
    generated_at: object = None


def case_facts(partnership: Partnership) -> CaseFacts:
    """Everything the one-page value case shows, for the page and the PDF alike."""
    overview = outcomes.overview(partnership)
    objectives = []
    other = 0
    for objective in overview.objectives:
        items = [overview.progress[k.pk] for k in objective.kpis.all()]
        outcome_items = [i for i in items if i.kpi.is_outcome]
        other += len(items) - len(outcome_items)
        objectives.append((objective, outcome_items))
    the_ledger = ledger(partnership)
    case = ValueCase.objects.filter(partnership=partnership).first()
    contributed = the_ledger.contributed_total()
    per_outcome = []
    quantity = case.outcome_quantity if case else None
    for currency, total in contributed.items():
        per_unit = round(total / quantity) if quantity else None
        per_outcome.append(CostPerOutcome(currency, total, per_unit))
    return CaseFacts(
        partnership=partnership,
        case=case,
        objectives=objectives,
        other_kpis=other,
        contributed=contributed,
        returned_to_nhs=the_ledger.returned_to_nhs(),
        cost_per_outcome=per_outcome,
        parties=the_ledger.parties,
        generated_at=clock.now(),
    )
