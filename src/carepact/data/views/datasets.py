"""Catalogue, the partnership's data page, datasets, their terms and the policies page."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from carepact.accounts.models import Organisation
from carepact.core.errors import Invalid
from carepact.core.forms import submit
from carepact.partnerships import services as partnerships
from carepact.partnerships.models import Party

from .. import forms, locations, policies, services
from ..models import AccessRequest, ColumnRole
from ..rules import RULES, DataAction, data_access
from ..services import obligations as obligation_services


def partnership_and_access(request, slug: str):
    partnership = partnerships.get_partnership(request.user, slug)
    da = data_access(request.user, partnership)
    da.check(DataAction.VIEW)
    return partnership, da


def catalogue(request):
    groups: dict = {}
    for dataset in services.catalogue_for(request.user):
        groups.setdefault(dataset.owner, []).append(dataset)
    return render(request, "data/catalogue.html", {"groups": list(groups.items())})


def partnership_data(request, slug: str):
    partnership, da = partnership_and_access(request, slug)
    datasets = list(services.datasets_of(partnership))
    requests = list(services.requests_of(partnership)[:50])
    to_review = [
        r
        for r in requests
        if r.status == AccessRequest.Status.SUBMITTED
        and da.can(DataAction.REVIEW, owner_id=r.dataset.owner_id)
    ]
    mine = [r for r in requests if r.requester_id == request.user.pk]
    views = obligation_services.obligations_of(request.user, partnership)
    flagged = [v for v in views if v.state in ("overdue", "due_soon")]
    return render(
        request,
        "data/partnership.html",
        {
            "partnership": partnership,
            "da": da,
            "can_register": da.can(DataAction.REGISTER),
            "datasets": datasets,
            "to_review": to_review,
            "mine": mine,
            "releases": list(services.releases_of(partnership)[:10]),
            "obligations": views,
            "flagged": flagged,
            "rules": RULES,
        },
    )


def _owners(da) -> list:
    return Organisation.objects.filter(pk__in=da.steward_of).order_by("name")


@require_http_methods(["GET", "POST"])
def dataset_new(request, slug: str):
    partnership, da = partnership_and_access(request, slug)
    da.check(DataAction.REGISTER)
    form = forms.DatasetForm(request.POST or None, owners=_owners(da))
    if request.method == "POST" and form.is_valid():
        ok, dataset = submit(
            form, lambda: services.register_dataset(request.user, partnership, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request,
                f"{dataset} is in the catalogue and is being profiled. Next: check each "
                "column's role, then draft the terms.",
            )
            return redirect("data:dataset_columns", slug=slug, dataset=dataset.slug)
    return render(
        request,
        "data/dataset_form.html",
        {"partnership": partnership, "form": form, "root": locations.root(), "creating": True},
    )


def dataset_detail(request, slug: str, dataset: str):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_dataset(request.user, partnership, dataset)
    profile = {c["name"]: c for c in (found.profile or {}).get("columns", [])}
    return render(
        request,
        "data/dataset.html",
        {
            "partnership": partnership,
            "dataset": found,
            "columns": [
                (c, profile.get(c["name"]), ColumnRole(c["role"]).label) for c in found.columns
            ],
            "governing": policies.governing(found),
            "can_manage": da.can(DataAction.MANAGE_DATASET, owner_id=found.owner_id),
            "can_request": da.can(DataAction.REQUEST),
            "location": locations.describe(found.location),
            "releases": list(services.releases_of(partnership).filter(dataset=found)[:20]),
            "requests": list(services.requests_of(partnership).filter(dataset=found)[:20]),
            "refresh": found.profile_status in ("queued", "running"),
        },
    )


@require_http_methods(["GET", "POST"])
def dataset_edit(request, slug: str, dataset: str):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_dataset(request.user, partnership, dataset)
    da.check(DataAction.MANAGE_DATASET, owner_id=found.owner_id)
    fields = (
        "description",
        "article6",
        "article9",
        "k",
        "l_diversity",
        "suppression_limit",
        "approvals_required",
    )
    form = forms.DatasetSettingsForm(
        request.POST or None, initial={f: getattr(found, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form, lambda: services.update_dataset(request.user, found, **form.cleaned_data)
        )
        if ok:
            messages.success(request, "The dataset's settings are saved.")
            return redirect("data:dataset", slug=slug, dataset=found.slug)
    return render(
        request,
        "data/dataset_form.html",
        {"partnership": partnership, "dataset": found, "form": form, "creating": False},
    )


@require_http_methods(["GET", "POST"])
def dataset_columns(request, slug: str, dataset: str):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_dataset(request.user, partnership, dataset)
    da.check(DataAction.MANAGE_DATASET, owner_id=found.owner_id)
    form = forms.ColumnsForm(request.POST or None, dataset=found)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form, lambda: services.set_columns(request.user, found, columns=form.changes())
        )
        if ok:
            messages.success(request, "The columns' roles are saved.")
            return redirect("data:dataset", slug=slug, dataset=found.slug)
    return render(
        request,
        "data/dataset_columns.html",
        {"partnership": partnership, "dataset": found, "form": form, "roles": ColumnRole},
    )


@require_POST
def dataset_profile(request, slug: str, dataset: str):
    partnership, _ = partnership_and_access(request, slug)
    found = services.get_dataset(request.user, partnership, dataset)
    with transaction.atomic():
        services.request_profile(request.user, found)
    messages.success(request, "Profiling is queued; this page shows the counts when it is done.")
    return redirect("data:dataset", slug=slug, dataset=found.slug)


def _parties(partnership, dataset):
    return [
        p.organisation
        for p in Party.objects.filter(partnership=partnership, status=Party.Status.ACTIVE)
        .exclude(organisation=dataset.owner)
        .select_related("organisation")
    ]


@require_http_methods(["GET", "POST"])
def dataset_terms(request, slug: str, dataset: str):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_dataset(request.user, partnership, dataset)
    da.check(DataAction.MANAGE_DATASET, owner_id=found.owner_id)
    initial = {
        "permission": found.draft_permission,
        "modifiers": ", ".join(found.draft_modifiers),
        "recipients": found.draft_recipients,
        "starts_on": found.draft_starts_on,
        "expires_on": found.draft_expires_on,
    }
    form = forms.TermsForm(
        request.POST or None, initial=initial, parties=_parties(partnership, found)
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(form, lambda: services.draft_terms(request.user, found, **form.cleaned_data))
        if ok:
            messages.success(request, "The draft terms are saved and compiled into policies.")
            return redirect("data:policies", slug=slug)
    return render(
        request,
        "data/dataset_terms.html",
        {
            "partnership": partnership,
            "dataset": found,
            "form": form,
            "governing": policies.governing(found),
        },
    )


def policies_page(request, slug: str):
    partnership, _ = partnership_and_access(request, slug)
    datasets = list(services.datasets_of(partnership))
    compiled = [(d, policies.governing(d)) for d in datasets]
    organisations = [
        p.organisation
        for p in Party.objects.filter(
            partnership=partnership, status=Party.Status.ACTIVE
        ).select_related("organisation")
    ]
    form = forms.PolicyQuestionForm(
        request.GET or None, datasets=datasets, organisations=organisations
    )
    answer = None
    if request.GET and form.is_valid() and datasets:
        dataset = next(d for d in datasets if d.slug == form.cleaned_data["dataset"])
        asker = next(o for o in organisations if o.slug == form.cleaned_data["organisation"])
        try:
            answer, _ = policies.ask(
                dataset,
                action="request",
                organisation=asker,
                purpose=form.cleaned_data["purpose"],
                commercial_use=form.cleaned_data["commercial_use"],
                ethics_reference="yes" if form.cleaned_data["ethics"] else "",
            )
        except Invalid as exc:
            form.add_error(None, exc.reason)
    return render(
        request,
        "data/policies.html",
        {"partnership": partnership, "compiled": compiled, "form": form, "answer": answer},
    )
