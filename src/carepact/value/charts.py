"""Charts of the fairness view: shares side by side per party, and the Shapley values."""

from __future__ import annotations

import plotly.graph_objects as go

from carepact.core.charts import style


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def shares_figure(fair, *, with_agreed: bool) -> go.Figure:
    """Grouped bars: each party's share of contributions, agreed share, realised share (%)."""
    names = [organisation.name for organisation, _ in fair.rows]
    fig = style(go.Figure())
    fig.add_bar(x=names, y=[_pct(r.contribution_share) for _, r in fair.rows], name="Put in (%)")
    if with_agreed:
        fig.add_bar(x=names, y=[_pct(r.agreed_share) for _, r in fair.rows], name="Agreed (%)")
    fig.add_bar(x=names, y=[_pct(r.realised_share) for _, r in fair.rows], name="Received (%)")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="Party")
    fig.update_yaxes(title_text="Share (%)", range=[0, 100])
    return fig


def shapley_figure(view) -> go.Figure:
    fig = style(go.Figure(), height=300)
    fig.add_bar(
        x=[organisation.name for organisation, _, _ in view.rows],
        y=[round(float(value), 2) for _, value, _ in view.rows],
        name=f"Shapley value ({view.entry.unit})",
    )
    fig.update_xaxes(title_text="Party")
    fig.update_yaxes(title_text=view.entry.unit)
    return fig
