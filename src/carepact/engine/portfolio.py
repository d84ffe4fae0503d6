"""Early-warning signals across a portfolio of partnerships.

Each rule reads one fact about a partnership and, when it crosses its threshold, names a
signal with the evidence. A partnership showing at least ``AT_RISK_SIGNALS`` signals at once
is marked at risk: one bad month is noise, several problems together are how partnerships
fail (seed 003).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

AT_RISK_SIGNALS = 2


@dataclass(frozen=True)
class Thresholds:
    stalled_days: dict[str, int] = field(
        default_factory=lambda: {"scoping": 120, "agreeing": 180, "mobilising": 120}
    )
    health_index_low: float = 60.0
    contracting_days_slow: float = 120.0
    overdue_obligations: int = 1
    overdue_actions: int = 1
    open_escalations: int = 1
    risk_heat_high: int = 15


@dataclass(frozen=True)
class Signal:
    key: str
    text: str


def signals(facts: Mapping[str, Any], thresholds: Thresholds = Thresholds()) -> list[Signal]:
    """The warning signals a partnership's facts show. A fact that is ``None`` (not measured)
    raises no signal: it is reported as not measured, not as fine, by the caller."""
    found: list[Signal] = []
    stage, days = facts.get("stage"), facts.get("stage_days")
    limit = thresholds.stalled_days.get(stage or "")
    if limit is not None and days is not None and days > limit:
        found.append(Signal("stalled", f"{days} days in {stage} (more than {limit})"))
    health = facts.get("health_index")
    if health is not None and health < thresholds.health_index_low:
        found.append(
            Signal("health", f"health index {health:.0f} (below {thresholds.health_index_low:.0f})")
        )
    warnings = facts.get("health_warnings") or []
    if warnings:
        found.append(
            Signal(
                "health_warnings", f"{len(warnings)} health warning(s): {'; '.join(warnings[:3])}"
            )
        )
    contracting = facts.get("contracting_days")
    if contracting is not None and contracting > thresholds.contracting_days_slow:
        found.append(Signal("contracting", f"{contracting:.0f} days from draft to signature"))
    for key, label in (
        ("overdue_obligations", "overdue data obligation(s)"),
        ("overdue_actions", "overdue action(s)"),
        ("open_escalations", "open escalation(s) or grievance(s)"),
    ):
        value = facts.get(key)
        if value is not None and value >= getattr(thresholds, key):
            found.append(Signal(key, f"{value} {label}"))
    heat = facts.get("risk_heat")
    if heat is not None and heat >= thresholds.risk_heat_high:
        found.append(Signal("risk", f"an open risk scored {heat} of 25"))
    kpis = facts.get("kpi_status") or {}
    if kpis.get("off_track"):
        found.append(Signal("kpi", f"{kpis['off_track']} KPI(s) off track"))
    if stage in ("operating", "reviewing", "scaling") and facts.get("patient_outcome_kpis") == 0:
        found.append(Signal("no_outcomes", "operating with no patient-outcome KPI"))
    return found


def at_risk(found: Iterable[Signal]) -> bool:
    return len(list(found)) >= AT_RISK_SIGNALS


def median_days(spans: Iterable[float]) -> float | None:
    values = list(spans)
    return statistics.median(values) if values else None
