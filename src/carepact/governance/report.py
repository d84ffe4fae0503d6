"""The progress report: the partnership's state today, for a board meeting, as a page or PDF.

It reads other capabilities through indicators, so each line says "not measured" until the
capability that measures it is in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from carepact.core import clock
from carepact.core.indicators import Reading, read
from carepact.governance import services
from carepact.partnerships import services as partnerships

LINES = [
    ("Agreements", "signed_mou", "Signed MoU"),
    ("Agreements", "open_negotiation_points", "Open negotiation points"),
    ("Agreements", "contracting_days", "Days from draft to signature (median)"),
    ("Data", "releases", "Data releases made"),
    ("Data", "open_access_requests", "Access requests waiting"),
    ("Data", "overdue_obligations", "Overdue data obligations"),
    ("Outcomes", "patient_outcome_kpis", "Patient-outcome KPIs"),
    ("Outcomes", "kpi_status", "KPI status"),
    ("Health", "health_index", "Health index (0-100)"),
    ("Health", "health_warnings", "Health warnings"),
    ("Governance", "board_meetings_90_days", "Board meetings in the last 90 days"),
    ("Governance", "overdue_actions", "Overdue actions"),
    ("Governance", "open_escalations", "Open escalations and grievances"),
    ("Governance", "risk_heat", "Highest open risk (of 25)"),
]


@dataclass(frozen=True)
class Line:
    area: str
    label: str
    reading: Reading

    @property
    def shown(self) -> str:
        value = self.reading.value
        if not self.reading.measured:
            return "not measured"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dict):
            return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items()) or "none"
        if isinstance(value, list):
            return "; ".join(map(str, value)) or "none"
        if isinstance(value, float):
            return f"{value:.0f}"
        return "—" if value is None else str(value)


@dataclass(frozen=True)
class Report:
    partnership: object
    generated_at: object
    parties: list
    lines: list[Line]
    overdue_actions: list
    open_actions: list
    recent_decisions: list
    top_risks: list
    open_escalations: int


def build(partnership) -> Report:
    return Report(
        partnership=partnership,
        generated_at=clock.now(),
        parties=[p for p in partnerships.parties_of(partnership) if p.status == "active"],
        lines=[Line(area, label, read(partnership, name)) for area, name, label in LINES],
        overdue_actions=list(services.overdue_actions(partnership).select_related("owner")),
        open_actions=list(
            services.actions_of(partnership).filter(status="open").order_by("due_on")[:10]
        ),
        recent_decisions=list(services.decisions_of(partnership)[:8]),
        top_risks=list(services.risks_of(partnership).filter(status="open")[:5]),
        open_escalations=services.open_escalations(partnership).count(),
    )


def render_pdf(partnership, *, base_url: str) -> bytes:
    """The report as a PDF (WeasyPrint), laid out for A4 paper."""
    from weasyprint import HTML

    html = render_to_string("governance/report_pdf.html", {"report": build(partnership)})
    return HTML(string=html, base_url=base_url).write_pdf()
