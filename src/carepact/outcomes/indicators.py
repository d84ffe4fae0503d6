"""The outcomes indicators other apps read (see core.indicators)."""

from __future__ import annotations

from carepact.core.indicators import Reading, provide
from carepact.outcomes import services


def _patient_outcome_kpis(partnership) -> Reading:
    count = services.outcome_kpi_count(partnership)
    return Reading(count, detail=f"{count} patient-outcome KPI{'s' if count != 1 else ''}")


def _kpi_status(partnership) -> Reading:
    counts = services.overview(partnership).counts()
    total = sum(counts.values())
    if not total:
        return Reading(counts, detail="no KPIs defined")
    parts = [f"{n} {key.replace('_', ' ')}" for key, n in counts.items() if n]
    return Reading(counts, detail=", ".join(parts))


provide("patient_outcome_kpis", _patient_outcome_kpis)
provide("kpi_status", _kpi_status)
