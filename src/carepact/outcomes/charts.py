"""KPI charts: the measured values against the planned path, and each breakdown by group.

The x axis is the period as ``YYYY-MM`` (the month the period starts), which Plotly draws
as a date axis and the table under the chart shows as written. The planned path is the
first trace, defined on every period shown, so the table's rows run in date order.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from carepact.core.charts import style
from carepact.engine.outcomes import periods
from carepact.outcomes.models import Kpi


def _x(period: date) -> str:
    return f"{period:%Y-%m}"


def kpi_figure(kpi: Kpi, overall: list[tuple[date, float]]) -> go.Figure:
    """``overall``: (period start, value) pairs of the overall measurements."""
    path = kpi.path()
    shown = {periods.period_start(kpi.baseline_date, kpi.frequency): None}
    for period, _ in overall:
        shown[period] = None
    shown[periods.period_start(kpi.target_date, kpi.frequency)] = None
    xs = sorted(shown)
    fig = style(go.Figure())
    fig.add_scatter(
        x=[_x(p) for p in xs],
        y=[round(path.planned(kpi.period_end(p)), 3) for p in xs],
        name="Planned path to target",
        mode="lines",
        line={"dash": "dash", "width": 2},
    )
    fig.add_scatter(
        x=[_x(p) for p, _ in overall],
        y=[v for _, v in overall],
        name=f"Measured ({kpi.unit})",
        mode="lines+markers",
        line={"width": 3},
    )
    fig.update_xaxes(title_text="Period")
    fig.update_yaxes(title_text=kpi.unit)
    return fig


def breakdown_figure(kpi: Kpi, series: dict[str, dict[date, float]]) -> go.Figure:
    """One line per population group; ``series`` is group → period → value."""
    every = sorted({p for values in series.values() for p in values})
    fig = style(go.Figure())
    for group, values in series.items():
        fig.add_scatter(
            x=[_x(p) for p in every],
            y=[values.get(p) for p in every],
            name=group,
            mode="lines+markers",
            connectgaps=False,
        )
    fig.update_xaxes(title_text="Period")
    fig.update_yaxes(title_text=kpi.unit)
    return fig
