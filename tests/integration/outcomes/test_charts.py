"""The KPI breakdown chart: one line per population group, with its numbers as a table."""

import html
import re
from datetime import date

import pytest

from carepact.core.charts import table_for
from carepact.outcomes import charts, services
from tests.integration.outcomes.helpers import atomic, kpi

# Median days to diagnosis by deprivation (lower is better): the most deprived group has
# no value for March. Ethnicity has one period only. One overall value as well.
VALUES = [
    ("deprivation", "Most deprived", date(2026, 1, 1), 44.0),
    ("deprivation", "Least deprived", date(2026, 1, 1), 38.0),
    ("deprivation", "Most deprived", date(2026, 2, 1), 45.5),
    ("deprivation", "Least deprived", date(2026, 2, 1), 37.0),
    ("deprivation", "Least deprived", date(2026, 3, 1), 36.0),
    ("ethnicity", "White", date(2026, 2, 1), 40.0),
    ("ethnicity", "Black", date(2026, 2, 1), 43.0),
    ("", "", date(2026, 1, 1), 41.0),
]


@pytest.fixture
def broken_down(world):
    made = kpi(world)
    for dimension, group, period, value in VALUES:
        atomic(
            services.record_measurement,
            world.lead,
            made,
            period=period,
            value=value,
            dimension=dimension,
            group=group,
        )
    return made


def test_the_breakdown_figure_has_one_trace_per_group(broken_down):
    found = services.progress(broken_down, services.measurements_of(broken_down))
    by = {b.dimension: b for b in found.breakdowns}
    assert list(by) == ["ethnicity", "deprivation"]  # in the order of the dimensions

    fig = charts.breakdown_figure(broken_down, by["deprivation"].series)
    traces = [(t.name, list(t.x), list(t.y)) for t in fig.data]
    assert traces == [
        ("Least deprived", ["2026-01", "2026-02", "2026-03"], [38.0, 37.0, 36.0]),
        # No value for March: a gap in the line, not a zero or a carried-over value.
        ("Most deprived", ["2026-01", "2026-02", "2026-03"], [44.0, 45.5, None]),
    ]
    assert all(t.mode == "lines+markers" and t.connectgaps is False for t in fig.data)
    assert fig.layout.xaxis.title.text == "Period"
    assert fig.layout.yaxis.title.text == "days"
    table = table_for(fig)
    assert table.columns == ["Period", "Least deprived", "Most deprived"]
    assert table.rows == [
        ["2026-01", "38", "44"],
        ["2026-02", "37", "45.5"],
        ["2026-03", "36", "—"],
    ]

    ethnicity = charts.breakdown_figure(broken_down, by["ethnicity"].series)
    assert [(t.name, list(t.x), list(t.y)) for t in ethnicity.data] == [
        ("Black", ["2026-02"], [43.0]),
        ("White", ["2026-02"], [40.0]),
    ]


def test_the_kpi_page_draws_each_breakdown_with_its_table(broken_down, world, client_for):
    page = client_for(world.observer).get(f"/p/scan-triage/outcomes/kpis/{broken_down.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    chart_id = f"kpi-{broken_down.pk}-deprivation"
    assert f'data-chart-source="{chart_id}-data"' in text
    start = text.index(f'id="{chart_id}-data"')
    table = text[text.index("<table>", start) : text.index("</table>", start)]
    rows = [
        [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    assert rows == [
        ["Period", "Least deprived", "Most deprived"],
        ["2026-01", "38", "44"],
        ["2026-02", "37", "45.5"],
        ["2026-03", "36", "—"],
    ]
    # The latest period with two groups is February: 45.5 − 37 = 8.5 days apart.
    assert "the gap between Least deprived (best) and Most deprived (furthest behind)" in text
    assert "<strong>8.5 days</strong>" in text
