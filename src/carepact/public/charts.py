"""The public page's KPI charts, drawn from the public view only (never from the models)."""

from __future__ import annotations

import plotly.graph_objects as go

from carepact.core.charts import style


def public_kpi_figure(kpi: dict) -> go.Figure:
    fig = style(go.Figure(), height=300)
    fig.add_scatter(
        x=[point["period"] for point in kpi["series"]],
        y=[point["value"] for point in kpi["series"]],
        name=f"Measured ({kpi['unit']})",
        mode="lines+markers",
        line={"width": 3},
    )
    fig.add_scatter(
        x=[kpi["target_date"][:7]],
        y=[kpi["target"]],
        name="Target",
        mode="markers",
        marker={"symbol": "star", "size": 14},
    )
    fig.update_xaxes(title_text="Month")
    fig.update_yaxes(title_text=kpi["unit"])
    return fig
