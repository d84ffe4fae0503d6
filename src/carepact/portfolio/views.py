"""Portfolio pages: the table, the board by stage, CSV export."""

from __future__ import annotations

import csv

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render

from carepact.partnerships.models import LIFECYCLE, PartnershipType, Stage
from carepact.portfolio import services

COLUMNS = [
    ("stage_days", "Days in stage"),
    ("health_index", "Health index"),
    ("contracting_days", "Contracting days"),
    ("open_access_requests", "Open access requests"),
    ("open_obligations", "Open obligations"),
    ("kpi_status", "KPI status"),
    ("overdue_actions", "Overdue actions"),
    ("open_escalations", "Open escalations"),
    ("risk_heat", "Risk heat"),
]


class FilterForm(forms.Form):
    stage = forms.ChoiceField(required=False, choices=[("", "Any stage"), *Stage.choices])
    type = forms.ChoiceField(required=False, choices=[("", "Any type"), *PartnershipType.choices])
    at_risk = forms.BooleanField(required=False, label="Only at risk")
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[
            ("signals", "Most warning signals"),
            ("title", "Title"),
            ("stage", "Stage"),
            ("health", "Health index"),
        ],
    )


def _selection(request, organisation):
    form = FilterForm(request.GET or None)
    choice = form.cleaned_data if form.is_valid() else {}
    all_rows = services.rows(request.user, organisation)
    chosen = services.filtered(
        all_rows,
        stage=choice.get("stage") or "",
        type=choice.get("type") or "",
        at_risk=bool(choice.get("at_risk")),
        sort=choice.get("sort") or "signals",
    )
    return form, all_rows, chosen


def shown(value) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items() if v) or "none"
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)


def mine(request):
    organisation = services.default_organisation(request.user)
    if organisation is None:
        return render(request, "portfolio/none.html")
    return redirect("portfolio:organisation", slug=organisation.slug)


def portfolio(request, slug):
    organisation = services.get_organisation(request.user, slug)
    form, all_rows, chosen = _selection(request, organisation)
    table = [
        (row, [(label, shown(row.facts[key]), row.facts[key] is None) for key, label in COLUMNS])
        for row in chosen
    ]
    board = [
        (Stage(s).label, [r for r in chosen if r.stage == s]) for s in [*LIFECYCLE, Stage.CLOSED]
    ]
    query = request.GET.urlencode()
    return render(
        request,
        "portfolio/portfolio.html",
        {
            "organisation": organisation,
            "form": form,
            "table": table,
            "columns": [label for _, label in COLUMNS],
            "board": board,
            "summary": services.summary(request.user, organisation, all_rows),
            "csv_query": query,
            "view": request.GET.get("view", "table"),
        },
    )


def portfolio_csv(request, slug):
    organisation = services.get_organisation(request.user, slug)
    _, _, chosen = _selection(request, organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-portfolio.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["partnership", "type", "stage", *[label for _, label in COLUMNS], "at risk", "signals"]
    )
    for row in chosen:
        writer.writerow(
            [
                row.title,
                row.type_label,
                row.stage_label,
                *[shown(row.facts[key]) for key, _ in COLUMNS],
                "yes" if row.at_risk else "no",
                "; ".join(s.text for s in row.signals),
            ]
        )
    return response
