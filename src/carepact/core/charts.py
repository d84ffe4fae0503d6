"""Charts people can read: Plotly figures drawn in the browser, with a table beside each.

A view builds a ``plotly.graph_objects.Figure`` and passes it to the ``{% chart %}`` tag.
The figure travels as a JSON data block (never executed, so the CSP allows it) and our own
``carepact/charts.js`` draws it with the Plotly script served from the installed package.
Without JavaScript, or for a screen reader, the same numbers are in a table under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

BRAND = ["#14607a", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2b6cb0", "#975a16"]


def style(fig: go.Figure, *, height: int = 360) -> go.Figure:
    """The house look: our colours, readable type, no Plotly logo, room for labels."""
    fig.update_layout(
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        colorway=BRAND,
        font={"family": "system-ui, sans-serif", "size": 14, "color": "#1d2430"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(gridcolor="#e2e7ee", zerolinecolor="#c5ccd6")
    fig.update_yaxes(gridcolor="#e2e7ee", zerolinecolor="#c5ccd6")
    return fig


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[Any]]


def _fmt(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else "—"
    return "—" if value is None else value


def table_for(fig: go.Figure) -> Table:
    """The figure's numbers as a table: its text equivalent.

    Bar and line traces become one row per x value and one column per trace; a heatmap
    becomes one row per y label and one column per x label.
    """
    traces = list(fig.data)
    if traces and traces[0].type == "heatmap":
        heat = traces[0]
        xs = list(heat.x) if heat.x is not None else list(range(len(heat.z[0])))
        ys = list(heat.y) if heat.y is not None else list(range(len(heat.z)))
        rows = [[y, *(_fmt(v) for v in row)] for y, row in zip(ys, heat.z, strict=False)]
        return Table(["", *map(str, xs)], rows)
    xs: list[Any] = []
    for trace in traces:
        for x in trace.x if trace.x is not None else []:
            if x not in xs:
                xs.append(x)
    columns = [
        fig.layout.xaxis.title.text or "",
        *(t.name or f"series {i + 1}" for i, t in enumerate(traces)),
    ]
    rows = []
    for x in xs:
        row = [x]
        for trace in traces:
            lookup = dict(
                zip(
                    trace.x if trace.x is not None else [],
                    trace.y if trace.y is not None else [],
                    strict=False,
                )
            )
            row.append(_fmt(lookup.get(x)))
        rows.append(row)
    return Table(columns, rows)
