"""Outcomes pages: each view parses input, calls one service, renders the result."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from carepact.core.errors import Invalid
from carepact.core.forms import apply_errors, submit
from carepact.engine.outcomes import csvimport
from carepact.engine.outcomes.status import STATUS_LABELS
from carepact.outcomes import charts, forms, recognition, services
from carepact.outcomes.models import KPI_TYPE_HELP, Dimension, KpiType, Source
from carepact.partnerships import services as partnerships
from carepact.partnerships.rules import Action


def index(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    overview = services.overview(partnership)
    counts = overview.counts()
    return render(
        request,
        "outcomes/index.html",
        {
            "partnership": partnership,
            "access": access,
            "alerts": overview.alerts,
            "objectives": [
                (o, [overview.progress[k.pk] for k in o.kpis.all()]) for o in overview.objectives
            ],
            "counts": [(STATUS_LABELS[s], n, s) for s, n in counts.items()],
            "kpi_total": sum(counts.values()),
        },
    )


def _owner_form(request, partnership, **kwargs):
    return forms.ObjectiveForm(
        request.POST or None, people=services.owner_candidates(partnership), **kwargs
    )


@require_http_methods(["GET", "POST"])
def objective_new(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    access.check(Action.CONTRIBUTE)
    form = _owner_form(request, partnership)
    if request.method == "POST" and form.is_valid():
        ok, objective = submit(
            form,
            lambda: services.create_objective(
                request.user,
                partnership,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                owners=form.owner_pairs(),
            ),
        )
        if ok:
            messages.success(
                request,
                f"The objective “{objective.title}” is set. Next: add the KPIs that will show "
                "whether it is met, starting with a patient outcome.",
            )
            return redirect("outcomes:objective", slug=slug, objective_id=objective.pk)
    return render(
        request,
        "outcomes/objective_form.html",
        {"partnership": partnership, "form": form, "creating": True},
    )


def objective_detail(request, slug: str, objective_id: int):
    partnership, access = partnerships.get_with_access(request.user, slug)
    objective = services.get_objective(request.user, partnership, objective_id)
    overview = services.overview(partnership)
    kpis = [overview.progress[k.pk] for k in objective.kpis.all()]
    return render(
        request,
        "outcomes/objective.html",
        {"partnership": partnership, "access": access, "objective": objective, "kpis": kpis},
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request, slug: str, objective_id: int):
    partnership, access = partnerships.get_with_access(request.user, slug)
    objective = services.get_objective(request.user, partnership, objective_id)
    access.check(Action.CONTRIBUTE)
    people = services.owner_candidates(partnership)
    current = {(o.person_id, o.organisation_id) for o in objective.owners.all()}
    initial = {
        "title": objective.title,
        "description": objective.description,
        "owners": [str(m.pk) for m in people if (m.user_id, m.organisation_id) in current],
    }
    form = forms.ObjectiveForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.update_objective(
                request.user,
                objective,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                owners=form.owner_pairs(),
            ),
        )
        if ok:
            messages.success(request, "The objective is saved.")
            return redirect("outcomes:objective", slug=slug, objective_id=objective.pk)
    return render(
        request,
        "outcomes/objective_form.html",
        {"partnership": partnership, "form": form, "objective": objective, "creating": False},
    )


@require_http_methods(["GET", "POST"])
def kpi_new(request, slug: str, objective_id: int):
    partnership, access = partnerships.get_with_access(request.user, slug)
    objective = services.get_objective(request.user, partnership, objective_id)
    access.check(Action.CONTRIBUTE)
    form = forms.KpiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, kpi = submit(
            form, lambda: services.define_kpi(request.user, objective, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request, f"The KPI “{kpi.name}” is defined. Next: record its first values."
            )
            return redirect("outcomes:kpi", slug=slug, kpi_id=kpi.pk)
    return render(
        request,
        "outcomes/kpi_form.html",
        {
            "partnership": partnership,
            "objective": objective,
            "form": form,
            "type_help": [(t.label, KPI_TYPE_HELP[t]) for t in KpiType],
        },
    )


@require_http_methods(["GET", "POST"])
def kpi_detail(request, slug: str, kpi_id: int):
    partnership, access = partnerships.get_with_access(request.user, slug)
    kpi = services.get_kpi(request.user, partnership, kpi_id)
    form = forms.MeasurementForm(request.POST or None, frequency=kpi.frequency)
    if request.method == "POST":
        access.check(Action.CONTRIBUTE)
        if form.is_valid():
            data = form.cleaned_data
            ok, measurement = submit(
                form,
                lambda: services.record_measurement(
                    request.user,
                    kpi,
                    period=data["period"],
                    value=data["value"],
                    count=data["count"],
                    dimension=data["dimension"],
                    group=data["group"],
                    note=data["note"],
                    source=Source.HAND,
                ),
            )
            if ok:
                messages.success(
                    request, f"Recorded {kpi.period_label(measurement.period)}: {data['value']:g}."
                )
                return redirect("outcomes:kpi", slug=slug, kpi_id=kpi.pk)
    measurements = services.measurements_of(kpi)
    progress = services.progress(kpi, measurements)
    figure = charts.kpi_figure(kpi, [(m.period, m.value) for m in progress.overall])
    breakdowns = [
        (
            b,
            charts.breakdown_figure(kpi, b.series),
            f"kpi-{kpi.pk}-{b.dimension}",
            f"{kpi.name} by {b.label.lower()}",
        )
        for b in progress.breakdowns
    ]
    return render(
        request,
        "outcomes/kpi.html",
        {
            "partnership": partnership,
            "access": access,
            "kpi": kpi,
            "progress": progress,
            "figure": figure,
            "breakdowns": breakdowns,
            "measurements": sorted(
                measurements, key=lambda m: (m.period, m.dimension), reverse=True
            ),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def kpi_import(request, slug: str, kpi_id: int):
    partnership, access = partnerships.get_with_access(request.user, slug)
    kpi = services.get_kpi(request.user, partnership, kpi_id)
    access.check(Action.CONTRIBUTE)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    rejected: list[csvimport.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                count = services.import_measurements(
                    request.user,
                    kpi,
                    text=form.cleaned_data["file"],
                    filename=request.FILES["file"].name,
                )
        except services.ImportRejected as exc:
            rejected = exc.rows
            form.add_error(None, exc.reason)
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Imported {count} measurement{'s' if count != 1 else ''}.")
            return redirect("outcomes:kpi", slug=slug, kpi_id=kpi.pk)
    return render(
        request,
        "outcomes/import.html",
        {
            "partnership": partnership,
            "kpi": kpi,
            "form": form,
            "rejected": rejected,
            "dimensions": Dimension.choices,
        },
    )


def partnership_recognition(request, slug: str):
    partnership = partnerships.get_partnership(request.user, slug)
    return render(
        request,
        "outcomes/recognition.html",
        {
            "partnership": partnership,
            "rows": recognition.by_person(partnership),
            "awaited": recognition.awaited_kinds(),
        },
    )


def _profile(request, person):
    partnerships_seen, found = recognition.profile(request.user, person)
    grouped = [(p, [c for c in found if c.partnership_id == p.pk]) for p in partnerships_seen]
    totals: dict[str, int] = {}
    for c in found:
        totals[c.kind_label] = totals.get(c.kind_label, 0) + c.weight
    return render(
        request,
        "outcomes/profile.html",
        {
            "person": person,
            "is_self": person == request.user,
            "grouped": grouped,
            "totals": totals,
            "awaited": recognition.awaited_kinds(),
        },
    )


@require_GET
def my_contributions(request):
    return _profile(request, request.user)


@require_GET
def person_contributions(request, person_id: int):
    """A person's contributions as a page, or with ``?format=csv`` for an appraisal."""
    person = recognition.get_person(request.user, person_id)
    if request.GET.get("format") == "csv":
        return _profile_csv(request, person)
    return _profile(request, person)


def _profile_csv(request, person):
    partnerships_seen, found = recognition.profile(request.user, person)
    response = HttpResponse(
        recognition.as_csv(person, partnerships_seen, found), content_type="text/csv"
    )
    name = "".join(ch if ch.isalnum() else "-" for ch in person.full_name.lower()).strip("-")
    response["Content-Disposition"] = f'attachment; filename="contributions-{name}.csv"'
    return response
