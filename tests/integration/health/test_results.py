"""Results on every surface (page, CSV, API, command) and the anonymity they all keep."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from carepact.core import indicators
from carepact.core.errors import Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.health import services
from carepact.health.models import Response
from tests.integration.health.conftest import uniform
from tests.integration.test_pages import check_structure


def by_party(found, crowd, counts, *, trust_value=4, company_value=2, comment=None):
    """Answer with the first ``counts[org]`` invitations of each party."""
    for org, value in ((crowd.world.trust, trust_value), (crowd.world.company, company_value)):
        for invitation in crowd.invitations(found, org)[: counts.get(org.slug, 0)]:
            answers = uniform(found, value)
            if comment:
                answers["O1"] = f"{comment} {invitation.person.full_name}"
            crowd.answer(invitation, answers)


@pytest.fixture
def closed(crowd):
    found = crowd.open()
    by_party(found, crowd, {"northgate": 10, "brightscan": 10})
    return crowd.close(found)


def figures(node):
    """Every dict in the report that carries a mean and a count."""
    if isinstance(node, dict):
        if "mean" in node and "n" in node:
            yield node
        for value in node.values():
            yield from figures(value)
    elif isinstance(node, list):
        for value in node:
            yield from figures(value)


def test_the_results_page_shows_scores_charts_and_their_tables(closed, client_for, world):
    response = client_for(world.observer).get("/p/scan-triage/health/rounds/1/results/")
    html = response.content.decode()
    check_structure(html, "results")
    for chart in ("health-profile", "health-heatmap", "health-shares"):
        assert f'id="{chart}-data"' in html  # the figure, and its numbers as a table under it
    assert html.count('class="chart-data"') >= 3
    assert "Brightscan AI" in html and "Northgate NHS Trust" in html
    assert "Download the figures (CSV)" in html
    assert "Trends appear from the second health check" in html


def test_the_trust_gap_reaches_the_warnings_with_a_playbook_entry(closed):
    report = services.report_for(closed)
    rules = {w["rule"] for w in report["warnings"]}
    assert {"R3", "R6", "R7", "R8", "R12"} <= rules  # the company answers 2 everywhere, the trust 4
    r3 = next(w for w in report["warnings"] if w["rule"] == "R3" and "C2" in w["constructs"])
    assert r3["severity"] == "warning" and r3["playbook"][0]["key"] == "relationship-reset"
    assert "a gap of 2.00" in r3["evidence"][0]


def test_the_csv_holds_aggregates_only(closed, client_for, world):
    response = client_for(world.lead).get("/p/scan-triage/health/rounds/1/results.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all(int(r["n"]) >= 5 for r in rows if r["n"])
    levels = {r["level"] for r in rows}
    assert levels == {"partnership", "party", "cell"}
    assert any(r["construct"] == "PHI" for r in rows)
    tokens = set(Response.objects.values_list("respondent", flat=True))
    assert not any(t in response.content.decode() for t in tokens)


def test_api_and_command_give_the_same_report(closed, client_for, world):
    api = client_for(world.lead).get("/api/v1/partnerships/scan-triage/health/rounds/1/results")
    out = io.StringIO()
    call_command("health", "report", "scan-triage", "--json", stdout=out)
    assert api.json() == json.loads(out.getvalue())
    assert api.json()["schema"] == "carepact.health.report/1"
    text = io.StringIO()
    call_command("health", "report", "scan-triage", "--round", "1", stdout=text)
    assert "Health index" in text.getvalue() and "C2 Trust and openness" in text.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-slug"], "No partnership"),
        (["scan-triage", "--round", "9"], "no closed health check 9"),
    ],
)
def test_the_command_refuses_with_exit_2(closed, args, message):
    with pytest.raises(CommandError, match=message) as caught:
        call_command("health", "report", *args, "--json", stdout=io.StringIO())
    assert caught.value.returncode == 2


def test_no_surface_shows_a_group_under_five_or_one_persons_answer(crowd, client_for, world):
    """Trust: 9 answers (managers and specialists merged); company: 4, held back."""
    found = crowd.open()
    by_party(found, crowd, {"northgate": 9, "brightscan": 4}, comment="Only I would say")
    crowd.close(found)
    client = client_for(world.lead)
    report = client.get("/api/v1/partnerships/scan-triage/health/rounds/1/results").json()
    for figure in figures(report):
        assert figure["mean"] is None or figure["n"] >= 5, figure
    assert report["anonymity"]["held_back"] == [{"party": "brightscan", "respondents": 4}]
    for construct in report["constructs"]:
        assert construct["parties"].keys() == {"northgate"}
        assert {c["party"] for c in construct["cells"]} == {"northgate"}
    assert all(g["n"] >= 5 for g in report["alignment"]["agreement"])
    # One shown party: no share of influence means anything without another beside it, so
    # none is given (the held-back company's influence ratings are not shown either); the
    # trust's voice is its own C9, (4 + 4 + (6 − 4)) / 3.
    assert report["power"]["shares"] == []
    assert report["power"]["balance_index"] is None
    assert report["power"]["voice"] == {"northgate": 3.333}
    html = client.get("/p/scan-triage/health/rounds/1/results/").content.decode()
    csv_text = client.get("/p/scan-triage/health/rounds/1/results.csv").content.decode()
    everything = json.dumps(report) + html + csv_text
    tokens = set(Response.objects.values_list("respondent", flat=True))
    assert not any(t in everything for t in tokens)
    # Open answers: nine from the trust are shown without attribution; none of the four
    # held-back company answers appears anywhere.
    company = {i.person.full_name for i in crowd.invitations(found, world.company)[:4]}
    assert not any(name in everything for name in company)
    assert len(report["comments"]["O1"]["answers"]) == 9
    assert "brightscan" not in csv_text and "Brightscan" not in csv_text


def test_one_response_shows_nothing_but_the_count(crowd, client_for, world):
    found = crowd.open()
    crowd.answer(crowd.invitations(found, world.trust)[0], {**uniform(found, 5), "O1": "Just me"})
    crowd.close(found)
    report = (
        client_for(world.lead)
        .get("/api/v1/partnerships/scan-triage/health/rounds/1/results")
        .json()
    )
    assert all(f["mean"] is None for f in figures(report))
    assert report["index"] is None and report["participation"]["responded"] == 1
    assert "Just me" not in json.dumps(report)


def test_response_rates_are_counts_while_the_round_is_open(crowd, client_for, world):
    found = crowd.open()
    by_party(found, crowd, {"northgate": 3})
    html = client_for(world.lead).get("/p/scan-triage/health/rounds/1/").content.decode()
    check_structure(html, "round")
    assert "Results are not shown while the round is open" in html
    counts = services.participation(found)
    trust = [c for c in counts["cells"] if c["party"] == "northgate"]
    assert sum(c["responded"] for c in trust) == 3
    assert client_for(world.lead).get("/p/scan-triage/health/rounds/1/results/").status_code == 409


def test_settings_reweigh_parties_and_recompute_closed_rounds(closed, world):
    before = services.report_for(closed)
    c1 = next(c for c in before["constructs"] if c["code"] == "C1")["partnership"]["mean"]
    assert c1 == pytest.approx(3.0)  # 4 and 2, equally weighted
    with transaction.atomic():
        services.update_settings(
            world.lead,
            world.partnership,
            party_weights={"northgate": 3, "brightscan": 1},
            intended_shares={"northgate": 70, "brightscan": 30},
            thresholds={"concern": 1.5},
        )
    closed.refresh_from_db()
    after = services.report_for(closed)
    c1 = next(c for c in after["constructs"] if c["code"] == "C1")["partnership"]["mean"]
    assert c1 == pytest.approx(3.5)
    assert not any(w["rule"] == "R1" for w in after["warnings"])  # 2.0 is above the new 1.5
    assert after["settings"]["intended_shares"] == pytest.approx(
        {"northgate": 0.7, "brightscan": 0.3}
    )
    assert AuditEvent.objects.filter(action="health.settings").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"party_weights": {"elsewhere": 1}},  # not a party
        {"party_weights": {"northgate": -1}},  # negative
        {"intended_shares": {"northgate": 0, "brightscan": 0}},  # nobody has any influence
        {"thresholds": {"bogus": 1}},  # no such threshold
    ],
)
def test_bad_settings_are_refused_with_the_reason(world, change):
    with pytest.raises(Invalid), transaction.atomic():
        services.update_settings(world.lead, world.partnership, **change)


def test_only_a_lead_changes_the_settings(world):
    with pytest.raises(Denied), transaction.atomic():
        services.update_settings(world.observer, world.partnership, party_weights={"northgate": 2})


def test_the_indicators_other_apps_read(closed, world):
    index = indicators.read(world.partnership, "health_index")
    assert index.measured and 0 <= index.value <= 100
    warnings = indicators.read(world.partnership, "health_warnings")
    assert warnings.measured and any("Trust" in title for title in warnings.value)
    rate = indicators.read(world.partnership, "response_rate")
    assert rate.value == pytest.approx(20 / (4 + 20))


def test_indicators_say_not_measured_before_any_round(world):
    assert not indicators.read(world.partnership, "health_index").measured
    assert not indicators.read(world.partnership, "response_rate").measured


def test_structural_facts_are_read_now_and_unknown_ones_say_not_measured(closed, world):
    report = services.report_for(closed)
    facts = {s["id"]: s for s in report["structural"]}
    assert facts["S1"]["measured"] and facts["S1"]["value"] is False  # no champion in the world
    assert facts["S7"]["value"] == pytest.approx(20 / 24, abs=1e-3)
    r10 = next(r for r in report["rules"] if r["id"] == "R10")
    assert r10["status"] == "triggered"
    assert any(w["rule"] == "R10" and "champion" in w["title"] for w in report["warnings"])


def test_the_overview_shows_the_latest_results_and_the_invitation(closed, crowd, client_for, world):
    crowd.open(kind="pulse")
    html = client_for(world.observer).get("/p/scan-triage/health/").content.decode()
    check_structure(html, "overview")
    assert "Latest results: health check 1" in html
    assert "Health check 2 is open" in html
    assert "You are asked to answer health check 2" in html


def test_result_pages_do_not_grow_queries_with_answers_or_rounds(crowd, client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.lead)
    first = crowd.open()
    by_party(first, crowd, {"northgate": 6, "brightscan": 6})
    crowd.close(first)
    urls = ["/p/scan-triage/health/", "/p/scan-triage/health/rounds/1/results/"]
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small[url] = len(queries)
    second = crowd.open()
    by_party(second, crowd, {"northgate": 12, "brightscan": 12})
    crowd.close(second)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == small[url] and len(queries) <= 40, (url, len(queries))
