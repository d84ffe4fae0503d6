"""The one function that decides what the public sees of a partnership: a whitelist.

:func:`public_view` builds the public page from named fields, one by one, never by passing
a model or a queryset to a template or a serialiser; the HTML page and the JSON answer are
both rendered from its result. Anything not written here never reaches the public: not the
vision, the people, the ledger's contributions, notes, methods or the audit trail. Counts
of patients are rounded (``public.rounding``); a KPI value based on fewer than 10 people is
withheld. See docs/adr/0008-public-page-whitelist-and-rounding.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from carepact.engine.outcomes.status import assess
from carepact.engine.value.money import format_money
from carepact.outcomes import seams
from carepact.outcomes import services as outcomes
from carepact.partnerships.models import Party
from carepact.public.models import Publication, ValueShown
from carepact.public.rounding import SMALL, public_count
from carepact.value.models import RETURNED_TO_NHS, Benefit, BenefitKind

NATIONAL_OPT_OUT = "https://www.nhs.uk/your-nhs-data-matters/"

# Benefits the public may see, when the parties choose to show value at all.
PUBLIC_BENEFIT_KINDS = frozenset(
    {*RETURNED_TO_NHS, BenefitKind.PATIENT_BENEFIT, BenefitKind.PUBLICATION}
)

# The keys of the public view, exactly; tests compare against these.
FIELDS = (
    "slug",
    "title",
    "type",
    "stage",
    "summary",
    "parties",
    "datasets",
    "releases",
    "value_returned",
    "outcome_kpis",
    "how_to_opt_out",
    "patient_page",
    "national_opt_out",
    "contact",
    "published_at",
)
KPI_FIELDS = (
    "name",
    "type",
    "unit",
    "better_when",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "latest",
    "status",
    "series",
)


def _seam_list(name: str, partnership, shape) -> dict[str, Any]:
    reading = seams.read(name, partnership)
    if not reading.measured or reading.value is None:
        return {"recorded": False, "items": []}
    return {"recorded": True, "items": [shape(item) for item in reading.value]}


def _dataset(item: dict) -> dict:
    return {
        "name": str(item.get("name", "")),
        "description": str(item.get("description", "")),
        "patients": public_count(item.get("patients")),
    }


def _release(item: dict) -> dict:
    when = item.get("date")
    return {
        "date": when.isoformat() if isinstance(when, date) else str(when or ""),
        "purpose": str(item.get("purpose", "")),
        "dataset": str(item.get("dataset", "")),
        "patients": public_count(item.get("patients")),
    }


def _value(partnership, shown: str) -> dict[str, Any]:
    if shown == ValueShown.NONE:
        return {"shown": shown, "returned_to_nhs": [], "items": [], "counts": {}}
    benefits = list(
        Benefit.objects.filter(partnership=partnership, kind__in=PUBLIC_BENEFIT_KINDS).order_by(
            "realised_on", "pk"
        )
    )
    totals: dict[str, int] = {}
    for b in benefits:
        if b.kind in RETURNED_TO_NHS and b.amount_minor is not None:
            totals[b.currency] = totals.get(b.currency, 0) + b.amount_minor
    counts: dict[str, int] = {}
    for b in benefits:
        label = BenefitKind(b.kind).label
        counts[label] = counts.get(label, 0) + 1
    items = []
    if shown == ValueShown.ITEMS:
        items = [
            {
                "kind": BenefitKind(b.kind).label,
                "description": b.description,
                "date": b.realised_on.isoformat(),
                "amount": format_money(b.amount_minor, b.currency)
                if b.amount_minor is not None
                else None,
            }
            for b in benefits
        ]
    return {
        "shown": shown,
        "returned_to_nhs": [
            {"currency": c, "minor": m, "formatted": format_money(m, c)} for c, m in totals.items()
        ],
        "items": items,
        "counts": counts,
    }


def _kpis(partnership) -> list[dict[str, Any]]:
    overview = outcomes.overview(partnership)
    found = []
    for objective in overview.objectives:
        for kpi in objective.kpis.all():
            if not kpi.is_outcome:
                continue
            item = overview.progress[kpi.pk]
            shown = [m for m in item.overall if m.count is None or m.count >= SMALL]
            latest = shown[-1] if shown else None
            # judged on the values shown, so a withheld value cannot show through the status
            status = assess(
                kpi.path(), [(kpi.period_end(m.period), m.value) for m in shown], kpi.unit
            )
            found.append(
                {
                    "name": kpi.name,
                    "type": kpi.get_type_display(),
                    "unit": kpi.unit,
                    "better_when": kpi.get_direction_display().lower(),
                    "baseline": kpi.baseline,
                    "baseline_date": kpi.baseline_date.isoformat(),
                    "target": kpi.target,
                    "target_date": kpi.target_date.isoformat(),
                    "latest": {
                        "period": kpi.period_label(latest.period),
                        "value": latest.value,
                    }
                    if latest
                    else None,
                    "status": status.label,
                    "series": [{"period": f"{m.period:%Y-%m}", "value": m.value} for m in shown],
                }
            )
    return found


def _safe_url(value) -> str | None:
    """A link for the public page: a site path or an https address, nothing else."""
    url = str(value or "")
    if (url.startswith("/") and not url.startswith("//")) or url.startswith("https://"):
        return url
    return None


def public_view(publication: Publication) -> dict[str, Any]:
    """Everything the public page shows, and nothing else."""
    partnership = publication.partnership
    page = seams.read("public.patient_page", partnership)
    view = {
        "slug": partnership.slug,
        "title": partnership.title,
        "type": partnership.get_type_display(),
        "stage": partnership.get_stage_display(),
        "summary": publication.summary,
        "parties": [
            {"name": p.organisation.name, "kind": p.organisation.get_kind_display()}
            for p in partnership.parties.filter(status=Party.Status.ACTIVE)
            .select_related("organisation")
            .order_by("invited_at", "pk")
        ],
        "datasets": _seam_list("public.datasets", partnership, _dataset),
        "releases": _seam_list("public.releases", partnership, _release),
        "value_returned": _value(partnership, publication.show_value),
        "outcome_kpis": _kpis(partnership) if publication.show_kpis else [],
        "how_to_opt_out": publication.how_to_opt_out,
        "patient_page": _safe_url(page.value) if page.measured else None,
        "national_opt_out": NATIONAL_OPT_OUT,
        "contact": publication.contact,
        "published_at": publication.published_at.date().isoformat()
        if publication.published_at
        else None,
    }
    if tuple(view) != FIELDS:  # the whitelist and the builder must not drift apart
        raise RuntimeError("public_view() and FIELDS disagree")
    return view
