"""Results across three health checks: the trend charts and the numbers in their tables.

Everyone in both parties answers every round, so each party has two cells (6 managers,
6 specialists and clinicians). Answers within a cell are identical, so every figure can be
worked out by hand. C9.3 is reversed: a cell answering v everywhere scores (v + 6) / 3 on C9.
"""

import html
import re
from datetime import UTC, datetime

import pytest

from carepact.core import clock
from carepact.health import services
from tests.integration.health.conftest import uniform
from tests.integration.test_pages import check_structure

# (organisation, level) → (value everywhere, value about the other party on C2 and C7)
ROUNDS = [
    # Round 1: everyone answers 4.
    (datetime(2025, 1, 10, 9, tzinfo=UTC), {}),
    # Round 2: the company's specialists answer 2.
    (datetime(2025, 7, 10, 9, tzinfo=UTC), {("brightscan", "specialist"): (2, 2)}),
    # Round 3: the company's managers answer 3 and its specialists 1; the trust's
    # specialists now rate the company 3 (C2, C7 and mistrust) and everything else 4.
    (
        datetime(2026, 1, 12, 9, tzinfo=UTC),
        {
            ("brightscan", "manager"): (3, 3),
            ("brightscan", "specialist"): (1, 1),
            ("northgate", "specialist"): (4, 3),
        },
    ),
]


def run_rounds(crowd):
    found = None
    for moment, answers in ROUNDS:
        with clock.travel(moment):
            found = crowd.open(days=10)
            for invitation in crowd.invitations(found):
                key = (invitation.organisation.slug, invitation.level)
                value, about = answers.get(key, (4, 4))
                other = "brightscan" if key[0] == "northgate" else "northgate"
                crowd.answer(invitation, uniform(found, value, about={other: about}))
        with clock.travel(moment.replace(day=20)):
            crowd.close(found)
    return found


def chart_table(page: str, chart_id: str) -> dict[str, dict[str, str]]:
    """The no-JavaScript table under a chart: row header → column header → cell text."""
    start = page.index(f'id="{chart_id}-data"')
    table = page[page.index("<table>", start) : page.index("</table>", start)]
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    rows = [
        [html.unescape(c).strip() for c in cell.findall(row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    header, body = rows[0], rows[1:]
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in body}


WAVES = ["Round 1, 2025-01", "Round 2, 2025-07", "Round 3, 2026-01"]


@pytest.fixture
def three_rounds(crowd):
    return run_rounds(crowd)


def test_the_trend_tables_show_each_rounds_numbers(three_rounds, client_for, world):
    response = client_for(world.observer).get("/p/scan-triage/health/rounds/3/results/")
    assert response.status_code == 200
    page = response.content.decode()
    check_structure(page, "results over three rounds")
    assert "Trends appear from the second health check" not in page
    for chart in ("health-trend", "health-index-trend", "health-trust-trend"):
        assert f'id="{chart}-data"' in page

    # Partnership score per factor: the mean of the two parties, each the mean of its two
    # levels. C1 — round 1: 4; round 2: (4 + (4 + 2)/2)/2 = 3.5; round 3: (4 + 2)/2 = 3.
    # C2 — round 3: the trust (4 + 3)/2 = 3.5 and the company 2, so 2.75.
    # C9 — round 1: 10/3; round 2: (10/3 + (10/3 + 8/3)/2)/2 = 19/6; round 3:
    # (10/3 + (3 + 7/3)/2)/2 = 3.
    trend = chart_table(page, "health-trend")
    assert list(trend) == WAVES
    c1, c2, c9 = (
        next(name for name in trend[WAVES[0]] if name.startswith(f"{code} "))
        for code in ("C1", "C2", "C9")
    )
    assert [trend[w][c1] for w in WAVES] == ["4", "3.5", "3"]
    assert [trend[w][c2] for w in WAVES] == ["4", "3.5", "2.75"]
    assert [trend[w][c9] for w in WAVES] == ["3.33", "3.17", "3"]

    # The index is (mean of C1-C13 − 1) × 25:
    # round 1: 12 factors at 4 and C9 at 10/3 → (154/39 − 1) × 25 = 73.7;
    # round 2: 12 at 3.5 and C9 at 19/6 → ((42 + 19/6)/13 − 1) × 25 = 61.9;
    # round 3: the trust's specialists' answers about the company (3) enter both
    # directional factors, C2 and C7, which are 2.75; ten at 3 and C9 at 3
    # → ((30 + 5.5 + 3)/13 − 1) × 25 = 49.0.
    index = chart_table(page, "health-index-trend")
    assert {w: row["Health index"] for w, row in index.items()} == {
        WAVES[0]: "73.7",
        WAVES[1]: "61.9",
        WAVES[2]: "49",
    }

    # Trust (C2) by party and level: a party's score is its people's rating of the other.
    trust = chart_table(page, "health-trust-trend")
    columns = {
        "Northgate NHS Trust": ["4", "4", "3.5"],
        "Northgate NHS Trust: Managers": ["4", "4", "4"],
        "Northgate NHS Trust: Specialists and clinicians": ["4", "4", "3"],
        "Brightscan AI": ["4", "3", "2"],
        "Brightscan AI: Managers": ["4", "4", "3"],
        "Brightscan AI: Specialists and clinicians": ["4", "2", "1"],
    }
    assert list(trust) == WAVES
    assert list(trust[WAVES[0]]) == list(columns)
    for column, values in columns.items():
        assert [trust[w][column] for w in WAVES] == values, column


def test_the_report_behind_the_page_carries_the_same_trends(three_rounds):
    report = services.report_for(three_rounds)
    waves = report["trends"]["waves"]
    assert [(w["number"], w["date"], w["index"]) for w in waves] == [
        (1, "2025-01-20", 73.7),
        (2, "2025-07-20", 61.9),
        (3, "2026-01-20", 49.0),
    ]
    changes = {c["construct"]: c for c in report["trends"]["changes"]}
    # C1 fell from 3.5 to 3 since round 2: half a point, a meaningful change; the same
    # 24 people answered both rounds, so the paired change is the same.
    assert changes["C1"]["from"] == 2 and changes["C1"]["to"] == 3
    assert changes["C1"]["difference"] == -0.5 and changes["C1"]["meaningful"] is True
    assert changes["C1"]["paired_n"] == 24
    assert changes["C2"]["difference"] == -0.75  # 3.5 → 2.75
