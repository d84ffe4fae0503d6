"""The report (carepact.health.report/1) shaped for the results page, its charts and its CSV.

Everything here reads the stored report only, so the page, the CSV, the API and the
command show the same, already suppressed, figures.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import plotly.graph_objects as go

from carepact.core.charts import style
from carepact.engine.health.aggregate import band
from carepact.engine.health.playbook import entries
from carepact.engine.health.scoring import LEVELS

BAND_LABELS = {
    "excellent": "Excellent",
    "strength": "Strength",
    "discuss": "Discuss",
    "concern": "Concern",
}
BAND_TAGS = {"excellent": "good", "strength": "good", "discuss": "warn", "concern": "bad"}
SEVERITY_TAGS = {"critical": "bad", "warning": "warn", "watch": ""}
STATUS_LABELS = {
    "triggered": "Warning raised",
    "clear": "Clear",
    "not_measured": "Not measured",
    "partly_measured": "Partly measured",
    "not_applicable": "Not applicable",
}
# Red for concern, amber for discuss, green for strength, on the 1-5 scale.
HEAT_SCALE = [[0.0, "#a32020"], [0.45, "#e0a030"], [0.7, "#f3e7b0"], [1.0, "#1f6f3f"]]


def fmt(value, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{places}f}"


def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def ci_text(ci, places: int = 2) -> str:
    return "" if not ci else f"{fmt(ci[0], places)} to {fmt(ci[1], places)}"


@dataclass
class Score:
    """One figure as a table cell: mean, interval, band and whether the band is provisional."""

    mean: str
    ci: str
    n: int | None
    band: str
    tag: str
    provisional: bool
    shown: bool

    @classmethod
    def of(cls, figure: dict | None) -> Score:
        if not figure or figure.get("mean") is None:
            n = figure.get("n") if figure else None
            return cls("—", "", n, "", "", False, False)
        key = figure.get("band")
        return cls(
            fmt(figure["mean"]),
            ci_text(figure.get("ci")),
            figure.get("n"),
            BAND_LABELS.get(key, ""),
            BAND_TAGS.get(key, ""),
            bool(figure.get("provisional")),
            True,
        )


def names_of(report: dict) -> dict[str, str]:
    return {p["key"]: p["name"] for p in report["parties"]}


def shown_parties(report: dict) -> list[dict]:
    return [p for p in report["parties"] if p["shown"]]


def construct_rows(report: dict) -> list[dict]:
    changes = {c["construct"]: c for c in report["trends"]["changes"]}
    parties = shown_parties(report)
    rows = []
    for c in report["constructs"]:
        change = changes.get(c["code"])
        rows.append(
            {
                "code": c["code"],
                "name": c["name"],
                "outcome": c["outcome"],
                "partnership": Score.of(c["partnership"]),
                "pooled": fmt(c["partnership"].get("pooled_mean")),
                "parties": [Score.of(c["parties"].get(p["key"])) for p in parties],
                "dont_know": pct(c["dont_know_rate"]),
                "change": None
                if change is None
                else {
                    "difference": f"{change['difference']:+.2f}",
                    "ci": f"({ci_text(change['ci'])})",
                    "meaningful": change["meaningful"],
                    "paired": None
                    if change["paired_difference"] is None
                    else f"{change['paired_difference']:+.2f} among the {change['paired_n']} "
                    "who answered both",
                },
            }
        )
    return rows


def heat_rows(report: dict) -> list[dict]:
    """Each shown cell as a row of construct scores, for the table under the heatmap."""
    names = names_of(report)
    rows = []
    for party in shown_parties(report):
        for cell in party["cells"]:
            scores = []
            for c in report["constructs"]:
                figure = next((x for x in c["cells"] if x["cell"] == cell["cell"]), None)
                scores.append(Score.of(figure))
            rows.append(
                {
                    "label": f"{names[party['key']]}: {cell['label']}",
                    "n": cell["n"],
                    "scores": scores,
                }
            )
    return rows


def index_band(index: dict | None) -> tuple[str, str] | None:
    """The band of the 0-100 index, read on the 1-5 scale it is made from."""
    if not index or index.get("value") is None:
        return None
    found = band(index["value"] / 100 * 4 + 1)
    return (BAND_LABELS[found[0]], BAND_TAGS[found[0]]) if found else None


def warnings(report: dict) -> list[dict]:
    book = entries()
    return [
        {
            **w,
            "tag": SEVERITY_TAGS.get(w["severity"], ""),
            "entries": [book[p["key"]] for p in w["playbook"]],
        }
        for w in report["warnings"]
    ]


def rules(report: dict) -> list[dict]:
    return [{**r, "label": STATUS_LABELS.get(r["status"], r["status"])} for r in report["rules"]]


# -- charts ----------------------------------------------------------------------------------


def profile_figure(report: dict) -> go.Figure:
    fig = style(go.Figure(), height=420)
    shorts = [c["short"] for c in report["constructs"]]
    for party in shown_parties(report):
        fig.add_bar(
            x=shorts,
            y=[c["parties"].get(party["key"], {}).get("mean") for c in report["constructs"]],
            name=party["name"],
        )
    fig.add_scatter(
        x=shorts,
        y=[c["partnership"]["mean"] for c in report["constructs"]],
        name="Partnership",
        mode="markers",
        marker={"symbol": "diamond", "size": 11, "color": "#1d2430"},
    )
    fig.update_yaxes(range=[1, 5], title_text="Score (1-5)", dtick=1)
    fig.update_xaxes(title_text="Factor")
    fig.add_hline(y=3, line_dash="dot", line_color="#a32020")
    fig.add_hline(y=4, line_dash="dot", line_color="#1f6f3f")
    fig.update_layout(barmode="group", legend={"y": -0.45}, margin={"b": 150})
    return fig


def heatmap_figure(report: dict) -> go.Figure:
    names = names_of(report)
    shorts = [c["short"] for c in report["constructs"]]
    rows, z = [], []
    for party in shown_parties(report):
        for cell in party["cells"]:
            rows.append(f"{names[party['key']]}: {cell['label']} (n={cell['n']})")
            line = []
            for c in report["constructs"]:
                figure = next((x for x in c["cells"] if x["cell"] == cell["cell"]), None)
                line.append(figure["mean"] if figure else None)
            z.append(line)
    fig = style(go.Figure(), height=max(260, 90 + 48 * len(rows)))
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=shorts,
            y=rows,
            zmin=1,
            zmax=5,
            colorscale=HEAT_SCALE,
            texttemplate="%{z:.1f}",
            hoverongaps=False,
            colorbar={"title": {"text": "1-5"}},
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin={"l": 260})
    return fig


def shares_figure(report: dict) -> go.Figure | None:
    power = report.get("power")
    if not power or not power["shares"]:
        return None
    names = names_of(report)
    parties = [names[s["party"]] for s in power["shares"]]
    fig = style(go.Figure(), height=340)
    for label, key in (
        ("Perceived share", "perceived"),
        ("Agreed share", "intended"),
        ("As its own people see it", "self_view"),
        ("As the other parties see it", "others_view"),
    ):
        fig.add_bar(
            x=parties,
            y=[None if s[key] is None else round(s[key] * 100, 1) for s in power["shares"]],
            name=label,
        )
    fig.update_yaxes(title_text="Share of influence (%)", range=[0, 100])
    fig.update_xaxes(title_text="Party")
    fig.update_layout(barmode="group")
    return fig


def wave_label(wave: dict) -> str:
    kind = " (pulse)" if wave["kind"] == "pulse" else ""
    return f"Round {wave['number']}{kind}, {wave['date'][:7]}"


# Fourteen distinguishable colours, so every factor's line keeps its own.
FACTOR_COLOURS = [
    "#14607a", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2b6cb0", "#975a16",
    "#1d2430", "#a32020", "#319795", "#805ad5", "#d69e2e", "#4a5568", "#38a169",
]  # fmt: skip


def trend_figure(report: dict) -> go.Figure | None:
    waves = report["trends"]["waves"]
    if len(waves) < 2:
        return None
    labels = [wave_label(w) for w in waves]
    fig = style(go.Figure(), height=420)
    for i, c in enumerate(report["constructs"]):
        fig.add_scatter(
            x=labels,
            y=[w["constructs"].get(c["code"]) for w in waves],
            name=f"{c['code']} {c['short']}",
            mode="lines+markers",
            line={"color": FACTOR_COLOURS[i % len(FACTOR_COLOURS)]},
            visible=True if c["code"] in ("C1", "C2", "C3", "C9") else "legendonly",
        )
    fig.update_yaxes(range=[1, 5], title_text="Partnership score (1-5)")
    fig.update_xaxes(title_text="Round")
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02})
    return fig


def group_trend_figure(report: dict, code: str) -> go.Figure | None:
    """One factor over time for each party and each of its levels (as shown in each round)."""
    waves = report["trends"]["waves"]
    if len(waves) < 2:
        return None
    labels = [wave_label(w) for w in waves]
    keys: dict[str, str] = {}
    for wave in waves:
        for key, group in wave.get("groups", {}).items():
            keys.setdefault(key, group["label"])
    # A stored report's keys come back in the database's order (PostgreSQL's jsonb sorts
    # them), so the lines are put in order here: parties as the report lists them, each
    # followed by its levels from leaders to specialists.
    parties = [p["key"] for p in report.get("parties", [])]

    def position(key: str) -> tuple:
        party, _, levels = key.partition("|")
        first = levels.split("+")[0]
        return (
            parties.index(party) if party in parties else len(parties),
            party,
            LEVELS.index(first) + 1 if first in LEVELS else (0 if not levels else len(LEVELS) + 1),
            key,
        )

    keys = {key: keys[key] for key in sorted(keys, key=position)}
    fig = style(go.Figure(), height=400)
    for i, (key, label) in enumerate(keys.items()):
        fig.add_scatter(
            x=labels,
            y=[w.get("groups", {}).get(key, {}).get("constructs", {}).get(code) for w in waves],
            name=label,
            mode="lines+markers",
            line={
                "color": FACTOR_COLOURS[i % len(FACTOR_COLOURS)],
                "dash": "solid" if "|" in key else "dot",
            },
        )
    fig.update_yaxes(range=[1, 5], title_text=f"{code} score (1-5)")
    fig.update_xaxes(title_text="Round")
    fig.update_layout(legend={"orientation": "h", "y": -0.28}, height=480, margin={"b": 150})
    return fig


def index_figure(report: dict) -> go.Figure | None:
    waves = [w for w in report["trends"]["waves"] if w["index"] is not None]
    if len(waves) < 2:
        return None
    fig = style(go.Figure(), height=300)
    fig.add_scatter(
        x=[wave_label(w) for w in waves],
        y=[w["index"] for w in waves],
        name="Health index",
        mode="lines+markers",
    )
    fig.update_yaxes(range=[0, 100], title_text="Health index (0-100)")
    fig.update_xaxes(title_text="Round")
    return fig


# -- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "round",
    "kind",
    "level",
    "party",
    "group",
    "construct",
    "construct_name",
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "band",
    "provisional",
    "dont_know_rate",
]


def csv_text(report: dict) -> str:
    """Every shown figure, one row each: aggregates only, never a response."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    number, kind = report["round"]["number"], report["round"]["kind"]
    names = names_of(report)

    def row(level, party, group, c, figure, dk=None):
        if figure is None or figure.get("mean") is None:
            return
        ci = figure.get("ci") or [None, None]
        writer.writerow(
            [
                number,
                kind,
                level,
                names.get(party, party),
                group,
                c["code"],
                c["name"],
                figure["n"],
                figure["mean"],
                figure.get("sd"),
                ci[0],
                ci[1],
                figure.get("band") or "",
                "" if figure.get("provisional") is None else str(figure["provisional"]).lower(),
                "" if dk is None else dk,
            ]
        )

    for c in report["constructs"]:
        row("partnership", "", "all parties", c, c["partnership"], c["dont_know_rate"])
        for party, figure in c["parties"].items():
            row("party", party, "all levels", c, figure)
        for cell in c["cells"]:
            row("cell", cell["party"], cell["label"], c, cell, cell["dont_know_rate"])
    if report.get("index"):
        index = report["index"]
        writer.writerow(
            [number, kind, "partnership", "", "all parties", "PHI", "Health index (0-100)", "",
             index["value"], "", *(index["ci"] or ["", ""]), "", "", ""]
        )  # fmt: skip
    return out.getvalue()
