from datetime import date

import pytest

from carepact.engine import governance, portfolio


def test_shares_count_each_party_and_keep_silent_parties_at_zero():
    result = governance.shares(["nhs", "pharma", "pharma", "pharma"], ["nhs", "pharma", "uni"])
    assert result == {"nhs": 0.25, "pharma": 0.75, "uni": 0.0}


def test_shares_of_nothing_is_none_not_an_even_split():
    assert governance.shares([], ["nhs", "pharma"]) is None


def test_shares_ignore_events_from_organisations_that_are_not_parties():
    assert governance.shares(["nhs", "gone"], ["nhs", "pharma"]) == {"nhs": 1.0, "pharma": 0.0}


def test_heat_grid_places_each_risk_by_impact_row_and_likelihood_column():
    grid = governance.heat_grid([(5, 1), (5, 1), (2, 4)])
    assert grid[0][4] == 2 and grid[3][1] == 1
    assert sum(map(sum, grid)) == 3


def test_heat_grid_refuses_scores_outside_1_to_5():
    with pytest.raises(ValueError):
        governance.heat_grid([(6, 1)])


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (5, 3, "high"),
        (3, 5, "high"),
        (2, 4, "medium"),
        (4, 2, "medium"),
        (2, 3, "low"),
        (1, 1, "low"),
    ],
)
def test_risk_level(likelihood, impact, level):
    assert governance.risk_level(likelihood, impact) == level


def test_overdue_only_when_open_and_past_due():
    today = date(2026, 11, 23)
    assert governance.is_overdue(date(2026, 11, 22), today, open_=True)
    assert not governance.is_overdue(date(2026, 11, 23), today, open_=True)  # due today: not yet
    assert not governance.is_overdue(date(2026, 11, 1), today, open_=False)  # closed
    assert not governance.is_overdue(None, today, open_=True)


SIGNAL_TABLE = [
    # (facts, signal keys expected)
    ({"stage": "agreeing", "stage_days": 181}, ["stalled"]),  # past the agreeing limit
    ({"stage": "agreeing", "stage_days": 180}, []),  # on the limit: not yet
    ({"stage": "operating", "stage_days": 900}, []),  # operating has no stall limit
    ({"health_index": 59.0}, ["health"]),
    ({"health_index": None}, []),  # not measured raises nothing
    ({"health_warnings": ["Trust falling"]}, ["health_warnings"]),
    ({"contracting_days": 121.0}, ["contracting"]),
    ({"overdue_obligations": 1}, ["overdue_obligations"]),
    ({"overdue_actions": 0, "open_escalations": 0}, []),
    ({"overdue_actions": 2, "open_escalations": 1}, ["overdue_actions", "open_escalations"]),
    ({"risk_heat": 15}, ["risk"]),
    ({"risk_heat": 14}, []),
    ({"kpi_status": {"off_track": 1, "on_track": 3}}, ["kpi"]),
    ({"stage": "operating", "patient_outcome_kpis": 0}, ["no_outcomes"]),
    ({"stage": "agreeing", "patient_outcome_kpis": 0}, []),  # too early to expect outcomes
    ({"stage": "operating", "patient_outcome_kpis": None}, []),  # not measured is not zero
]


@pytest.mark.parametrize(("facts", "expected"), SIGNAL_TABLE)
def test_portfolio_signals(facts, expected):
    assert [s.key for s in portfolio.signals(facts)] == expected


def test_at_risk_needs_two_signals_at_once():
    one = portfolio.signals({"overdue_actions": 1})
    two = portfolio.signals({"overdue_actions": 1, "risk_heat": 20})
    assert not portfolio.at_risk(one) and portfolio.at_risk(two)


def test_median_days():
    assert portfolio.median_days([10, 30, 20]) == 20
    assert portfolio.median_days([]) is None
