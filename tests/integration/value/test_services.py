"""The ledger, the fairness view, coalition values and the value case, through the services."""

import io
import json
from datetime import date

import pytest
from django.db import transaction
from pypdf import PdfReader

from carepact.core.errors import Denied, Invalid
from carepact.core.indicators import Reading
from carepact.core.models import AuditEvent
from carepact.outcomes import seams
from carepact.outcomes import services as outcomes
from carepact.value import services
from carepact.value.models import Contribution
from tests import factories
from tests.integration.outcomes.helpers import kpi


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


DAY = date(2026, 2, 1)


def contribute(world, who, organisation, **fields):
    return atomic(
        services.record_contribution,
        who,
        world.partnership,
        organisation=organisation,
        contributed_on=DAY,
        **fields,
    )


def test_staff_time_is_valued_as_fte_months_at_a_rate(world):
    c = contribute(
        world,
        world.lead,
        world.trust,
        kind="staff_time",
        description="Radiologists",
        fte_months="2.5",
        rate="11,500",
    )
    assert (c.amount_minor, c.currency, c.fte_months, c.rate_minor) == (
        2_875_000,
        "GBP",
        2.5,
        1_150_000,
    )
    assert c.valuation_method == "2.5 FTE-months at £11,500.00 per FTE-month."
    event = AuditEvent.objects.get(action="contribution.record")
    assert event.summary["amount_minor"] == 2_875_000 and "£28,750.00" in event.message


def test_cash_is_at_face_value_and_anything_else_needs_its_method(world):
    cash = contribute(
        world, world.lead, world.trust, kind="cash", description="Pilot", amount="5000"
    )
    assert cash.valuation_method == "Cash, at face value."
    with pytest.raises(Invalid) as caught:
        contribute(world, world.lead, world.trust, kind="data", description="Images", amount="9")
    assert "valuation_method" in caught.value.errors


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "staff_time", "fte_months": "0", "rate": "100"}, "fte_months"),
        ({"kind": "staff_time", "fte_months": "1"}, "rate"),
        ({"kind": "staff_time", "fte_months": "1", "rate": "9", "amount": "9"}, "amount"),
        ({"kind": "cash", "amount": "12.345"}, "amount"),
        ({"kind": "cash", "amount": "10", "currency": "QQQ"}, "currency"),
        ({"kind": "cash"}, "amount"),
        ({"kind": "goodwill", "amount": "1"}, "kind"),
    ],
)
def test_contribution_validation(world, fields, field):
    with pytest.raises(Invalid) as caught:
        contribute(world, world.lead, world.trust, description="Something", **fields)
    assert field in caught.value.errors


def test_a_member_records_for_their_own_party_and_a_lead_for_any(world):
    member = world.partner_admin  # member role, Brightscan
    contribute(world, member, world.company, kind="cash", description="Ours", amount="1")
    with pytest.raises(Denied, match="your own organisation"):
        contribute(world, member, world.trust, kind="cash", description="Theirs", amount="1")
    contribute(world, world.lead, world.company, kind="cash", description="Theirs", amount="1")
    with pytest.raises(Denied):
        contribute(world, world.observer, world.trust, kind="cash", description="x", amount="1")
    with pytest.raises(Invalid, match="not an active party"):
        contribute(world, world.lead, world.stranger_org, kind="cash", description="x", amount="1")


def benefit(world, **fields):
    return atomic(
        services.record_benefit,
        world.lead,
        world.partnership,
        realised_on=DAY,
        **{"description": "A benefit", **fields},
    )


def test_benefits_are_attributed_in_shares_that_add_up_to_100(world):
    b = benefit(
        world,
        kind="publication",
        shares={world.trust: 60, world.company: "40"},
    )
    assert {s.organisation: s.percent for s in b.shares.all()} == {
        world.trust: 60,
        world.company: 40,
    }
    with pytest.raises(Invalid) as caught:
        benefit(world, kind="publication", shares={world.trust: 60, world.company: 30})
    assert "add up to 90%" in caught.value.errors["shares"][0]


def test_value_returned_to_the_nhs_goes_to_nhs_parties_with_an_amount(world):
    with pytest.raises(Invalid) as caught:
        benefit(world, kind="nhs_royalty", shares={world.company: 100})
    assert set(caught.value.errors) == {"amount", "shares"}
    b = benefit(
        world,
        kind="nhs_royalty",
        amount="4500",
        currency="GBP",
        valuation_method="5% of the licence.",
        shares={world.trust: 100},
    )
    assert b.returned_to_nhs and b.amount == "£4,500.00"


def _ledger(world):
    contribute(world, world.lead, world.trust, kind="cash", description="A", amount="30000")
    contribute(world, world.lead, world.company, kind="cash", description="B", amount="70000")
    contribute(
        world, world.lead, world.company, kind="cash", description="C", amount="500", currency="EUR"
    )
    benefit(
        world,
        kind="cost_saving",
        amount="60000",
        currency="GBP",
        valuation_method="Tariff.",
        shares={world.trust: 100},
    )
    benefit(
        world,
        kind="revenue",
        amount="40000",
        currency="GBP",
        valuation_method="Contract.",
        shares={world.company: 100},
    )
    benefit(world, kind="publication", shares={world.trust: 50, world.company: 50})


def test_the_ledger_keeps_each_currency_apart(world):
    _ledger(world)
    ledger = services.ledger(world.partnership)
    assert ledger.currencies == ["GBP", "EUR"]
    assert ledger.contributed == {
        "GBP": {world.trust.pk: 3_000_000, world.company.pk: 7_000_000},
        "EUR": {world.company.pk: 50_000},
    }
    assert ledger.realised == {"GBP": {world.trust.pk: 6_000_000, world.company.pk: 4_000_000}}
    assert ledger.unpriced == {world.trust.pk: 1, world.company.pk: 1}


def test_the_fairness_view_without_and_with_an_agreed_share(world):
    _ledger(world)
    view = services.fairness_view(world.partnership)
    assert not view.agreed.measured and view.agreed.detail == "not yet recorded"
    gbp = next(f for f in view.by_currency if f.currency == "GBP")
    trust_row = dict((o, r) for o, r in gbp.rows)[world.trust]
    assert (trust_row.contribution_share, trust_row.realised_share) == (0.3, 0.6)
    assert trust_row.gap_basis == "contribution" and trust_row.imbalanced

    seams.register(
        "value.agreed_benefit_shares",
        lambda p: Reading({"northgate": 50, "brightscan": 50}, True, "clause 9 of the DSA"),
    )
    try:
        view = services.fairness_view(world.partnership)
    finally:
        seams.unregister("value.agreed_benefit_shares")
    assert view.agreed.measured and view.agreed.detail == "clause 9 of the DSA"
    gbp = next(f for f in view.by_currency if f.currency == "GBP")
    trust_row = dict((o, r) for o, r in gbp.rows)[world.trust]
    assert trust_row.agreed_share == 0.5 and trust_row.gap == pytest.approx(0.1)


def test_agreed_shares_that_do_not_add_up_are_reported_not_used(world):
    _ledger(world)
    seams.register(
        "value.agreed_benefit_shares", lambda p: Reading({"northgate": 70, "brightscan": 50})
    )
    try:
        view = services.fairness_view(world.partnership)
    finally:
        seams.unregister("value.agreed_benefit_shares")
    assert not view.agreed.measured and "add up to 100%" in view.agreed_problem


def test_coalition_values_give_shapley_values_that_add_up(world):
    atomic(
        services.enter_coalition_values,
        world.lead,
        world.partnership,
        basis="Five-year net value",
        unit="£ thousands",
        values={"northgate": "40", "brightscan": 15, "brightscan+northgate": "180"},
    )
    view = services.shapley_view(world.partnership)
    values = {o.slug: v for o, v, _ in view.rows}
    assert values == {"northgate": 102.5, "brightscan": 77.5}  # 40 + 125/2 and 15 + 125/2
    assert view.efficient and view.grand == 180
    event = AuditEvent.objects.get(action="coalition_values.enter")
    assert event.summary["values"]["northgate+brightscan"] == "180"


def test_coalition_values_that_miss_a_coalition_are_refused(world):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.enter_coalition_values,
            world.lead,
            world.partnership,
            basis="b",
            unit="u",
            values={"northgate": 1, "brightscan": 2},
        )
    assert (
        "Missing the value of coalition 'northgate+brightscan'" in caught.value.errors["values"][0]
    )


def test_a_new_party_makes_old_coalition_values_stale(world):
    atomic(
        services.enter_coalition_values,
        world.lead,
        world.partnership,
        basis="b",
        unit="u",
        values={"northgate": 1, "brightscan": 2, "northgate+brightscan": 5},
    )
    factories.PartyFactory(partnership=world.partnership)
    view = services.shapley_view(world.partnership)
    assert view.rows == [] and "enter them again" in view.problem


def _case(world):
    made = kpi(world)
    kpi(world, made.objective, type="process", name="Images read within a day")
    atomic(outcomes.record_measurement, world.lead, made, period=date(2026, 1, 1), value=39)
    _ledger(world)
    atomic(
        services.update_value_case,
        world.lead,
        world.partnership,
        summary="Faster diagnosis of lung cancer.",
        sites=2,
        population_reached=18400,
        outcome_label="patient diagnosed within 28 days",
        outcome_quantity=200,
        evidence="Before and after, one trust.",
        evidence_strength="before_after",
        scaling_needs="A second trust with another PACS.",
    )


def test_the_value_case_divides_cost_by_outcome_per_currency(world):
    _case(world)
    facts = services.case_facts(world.partnership)
    assert [(c.currency, c.total_minor, c.per_unit_minor) for c in facts.cost_per_outcome] == [
        ("GBP", 10_000_000, 50_000),
        ("EUR", 50_000, 250),
    ]
    ((_objective, items),) = facts.objectives
    assert [i.kpi.name for i in items] == ["Median days from X-ray to diagnosis"]
    assert facts.other_kpis == 1
    with pytest.raises(Invalid) as caught:
        atomic(services.update_value_case, world.lead, world.partnership, evidence_strength="vibes")
    assert "evidence_strength" in caught.value.errors


def test_the_value_case_pdf_reads_back(world, client_for):
    _case(world)
    response = client_for(world.partner_admin).get("/p/scan-triage/value/case/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="value-case-scan-triage.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for words in (
        "Scan triage",
        "Outcomes against targets",
        "Median days from X-ray to diagnosis",
        "Cost per unit of outcome",
        "£500.00",  # £100,000 of contributions over 200 patients
        "Before-and-after comparison at one site",
        "A second trust with another PACS",
    ):
        assert words in text, words
    assert "Images read within a day" not in text  # process KPIs are counted, not shown
    assert len(reader.pages) == 1
    outsider = client_for(world.outsider).get("/p/scan-triage/value/case/?format=pdf")
    assert outsider.status_code == 404


def test_the_api_sends_money_as_minor_units_with_the_currency(world, client_for):
    _ledger(world)
    ledger = client_for(world.observer).get("/api/v1/partnerships/scan-triage/ledger").json()
    assert ledger["contributions"][0]["value"] == {
        "minor": 3_000_000,
        "currency": "GBP",
        "formatted": "£30,000.00",
    }
    response = client_for(world.lead).post(
        "/api/v1/partnerships/scan-triage/contributions",
        json.dumps(
            {
                "organisation": "brightscan",
                "kind": "cash",
                "description": "More",
                "contributed_on": "2026-03-01",
                "amount": "10.50",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"]["minor"] == 1050
    assert Contribution.objects.filter(description="More").get().organisation == world.company
