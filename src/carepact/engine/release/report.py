"""The risk and utility report: JSON for machines, one self-contained HTML page for people.

Everything in it is a count, a share, a level name or a column name; no value from the
data appears, so the report can travel with the release and into the platform's records.
The HTML page draws its charts as inline SVG and needs no network.
"""

from __future__ import annotations

import html
from typing import Any

from carepact.engine.release.model import Analysis, NodeOutcome
from carepact.engine.release.spec import ReleaseSpec

SIZE_BUCKETS = ((1, 1), (2, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, 999), (1000, None))


def size_distribution(sizes: list[int]) -> list[dict[str, Any]]:
    out = []
    for lo, hi in SIZE_BUCKETS:
        members = [s for s in sizes if s >= lo and (hi is None or s <= hi)]
        label = f"{lo}" if lo == hi else (f"{lo}+" if hi is None else f"{lo}-{hi}")
        out.append({"size": label, "classes": len(members), "records": sum(members)})
    return out


def risk_of(sizes: list[int]) -> dict[str, Any]:
    """Prosecutor model: an attacker who knows the person is in the release re-identifies
    them with probability 1 / (size of their class)."""
    released = sum(sizes)
    if not released:
        return {"highest": 0.0, "average": 0.0, "records_at_highest": 0}
    smallest = min(sizes)
    return {
        "highest": 1 / smallest,
        "average": len(sizes) / released,
        "records_at_highest": sum(s for s in sizes if s == smallest),
    }


def build_report(
    spec: ReleaseSpec,
    analysis: Analysis,
    *,
    released: int,
    consent: dict[str, Any],
    columns: dict[str, Any],
    engine: str,
) -> dict[str, Any]:
    """The report as plain data (what ``report.json`` holds)."""
    best = analysis.best
    assert best is not None
    levels = {
        d.column: {"level": lv, "name": d.level_names[lv], "levels": list(d.level_names)}
        for d, lv in zip(analysis.domains, best.levels, strict=True)
    }
    per_qi = {}
    sizes = analysis.class_sizes
    metric = spec.privacy.metric
    return {
        "rows": {
            "in": analysis.rows_in,
            "excluded_by_consent": analysis.excluded_consent,
            "excluded_missing_identifier": analysis.excluded_no_id,
            "suppressed": best.suppressed,
            "released": released,
        },
        "consent": consent,
        "columns": columns,
        "privacy_model": {
            "k": spec.privacy.k,
            "l": {s.column: {"l": s.l, "kind": s.kind} for s in spec.sensitive if s.l is not None},
            "suppression_limit": spec.privacy.suppression_limit,
            "metric": metric,
        },
        "levels": levels,
        "achieved": {
            "k": best.k_achieved,
            "l": {s.column: v for s, v in zip(spec.sensitive, best.l_achieved, strict=True)},
            "suppressed_share": best.suppressed / analysis.rows if analysis.rows else 0.0,
        },
        "classes": {
            "count": best.classes,
            "distribution": size_distribution(sizes),
            "smallest": min(sizes) if sizes else 0,
            "largest": max(sizes) if sizes else 0,
        },
        "risk": {"model": "prosecutor", **risk_of(sizes)},
        "information_loss": {
            "loss": float(best.loss),
            "loss_exact": f"{best.loss.numerator}/{best.loss.denominator}",
            "discernibility": best.discernibility,
            "average_class_size_ratio": (released / best.classes / spec.privacy.k)
            if best.classes
            else 0.0,
            **per_qi,
        },
        "search": {
            "engine": engine,
            "lattice_size": analysis.lattice_size,
            "evaluated": analysis.evaluated,
            "tagged_by_monotonicity": analysis.tagged,
            "pruned_by_bound": analysis.pruned,
            "candidates": [_candidate(o, analysis, metric) for o in analysis.candidates[:10]],
        },
    }


def _candidate(o: NodeOutcome, analysis: Analysis, metric: str) -> dict[str, Any]:
    return {
        "levels": {
            d.column: d.level_names[lv] for d, lv in zip(analysis.domains, o.levels, strict=True)
        },
        "loss": float(o.loss),
        "discernibility": o.discernibility,
        "suppressed": o.suppressed,
    }


def _bar_chart(title: str, items: list[tuple[str, float]], *, fmt: str = "{:,.0f}") -> str:
    width, bar_h, gap, left = 700, 22, 6, 230
    top = max((v for _, v in items), default=0) or 1
    height = len(items) * (bar_h + gap) + 10
    parts = [
        f"<figure><figcaption>{html.escape(title)}</figcaption>"
        f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * (bar_h + gap)
        w = (width - left - 90) * value / top
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">'
            f"{html.escape(label)}</text>"
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#2f6f9f"></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}">'
            f"{html.escape(fmt.format(value))}</text>"
        )
    parts.append("</svg></figure>")
    return "".join(parts)


def render_html(report: dict[str, Any], *, title: str) -> str:
    """A readable, self-contained page: tables and inline SVG charts, no scripts."""
    e = html.escape
    rows = report["rows"]
    achieved = report["achieved"]
    risk = report["risk"]
    loss = report["information_loss"]
    table_rows = "".join(
        f"<tr><th>{e(k.replace('_', ' '))}</th><td>{v:,}</td></tr>" for k, v in rows.items()
    )
    level_rows = "".join(
        f"<tr><th>{e(col)}</th><td>{e(info['name'])}</td>"
        f"<td>{e(' → '.join(info['levels']))}</td></tr>"
        for col, info in report["levels"].items()
    )
    l_text = ", ".join(f"{e(c)}: {v:g}" for c, v in achieved["l"].items()) or "not required"
    dist = report["classes"]["distribution"]
    chart_classes = _bar_chart(
        "Records by size of their equivalence class", [(d["size"], d["records"]) for d in dist]
    )
    chart_rows = _bar_chart(
        "What happened to the rows",
        [(k.replace("_", " "), v) for k, v in rows.items() if k != "in"],
    )
    candidates = "".join(
        f"<tr><td>{e(', '.join(f'{c}: {n}' for c, n in cand['levels'].items()))}</td>"
        f"<td>{cand['loss']:.4f}</td><td>{cand['suppressed']:,}</td></tr>"
        for cand in report["search"]["candidates"]
    )
    model = report["privacy_model"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1b1b1b; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
th, td {{ text-align: left; padding: .25rem .75rem; border-bottom: 1px solid #ddd; }}
figure {{ margin: 1rem 0; }} figcaption {{ font-weight: 600; margin-bottom: .5rem; }}
svg text {{ font-size: 13px; }}
.big {{ font-size: 1.4rem; font-weight: 600; }}
</style></head><body>
<h1>{e(title)}</h1>
<p class="big">k = {achieved["k"]:,} achieved (asked {model["k"]:,}); l: {l_text};
highest re-identification risk {risk["highest"]:.1%}, average {risk["average"]:.2%}.</p>
<h2>Rows</h2><table>{table_rows}</table>{chart_rows}
<h2>Generalisation chosen</h2>
<table><tr><th>column</th><th>level</th><th>hierarchy</th></tr>{level_rows}</table>
<h2>Risk (prosecutor model)</h2>
<p>Someone who knows a person is in this release and knows their quasi-identifiers can at
best guess their record with probability 1 / (size of their class).</p>
<table><tr><th>highest</th><td>{risk["highest"]:.2%}</td></tr><tr><th>average</th><td>{risk["average"]:.2%}</td></tr>
<tr><th>records at the highest risk</th><td>{risk["records_at_highest"]:,}</td></tr>
<tr><th>equivalence classes</th><td>{report["classes"]["count"]:,}</td></tr></table>
{chart_classes}
<h2>Information loss</h2>
<table><tr><th>loss (average NCP, 0 = exact, 1 = all suppressed)</th>
<td>{loss["loss"]:.4f}</td></tr>
<tr><th>discernibility</th><td>{loss["discernibility"]:,}</td></tr>
<tr><th>average class size / k</th><td>{loss["average_class_size_ratio"]:.2f}</td></tr></table>
<h2>Best candidates the search found (metric: {e(model["metric"])})</h2>
<table><tr><th>levels</th><th>loss</th><th>suppressed</th></tr>{candidates}</table>
<p>Lattice of {report["search"]["lattice_size"]:,} nodes;
{report["search"]["evaluated"]:,} evaluated,
{report["search"]["tagged_by_monotonicity"]:,} ruled out by monotonicity or two-way projections,
the rest ruled out by the loss bound.</p>
</body></html>
"""
