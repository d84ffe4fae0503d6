"""Public pages (no sign-in) and the parties' page for publishing them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carepact.accounts.models import Organisation
from carepact.core.errors import Invalid
from carepact.core.forms import submit
from carepact.partnerships import services as partnerships
from carepact.public import charts, forms, services
from carepact.public.models import Publication, ValueShown
from carepact.public.transparency import public_view


def _render_page(request, view: dict, *, preview: bool = False):
    figures = [
        (kpi, charts.public_kpi_figure(kpi) if kpi["series"] else None, f"public-kpi-{index}")
        for index, kpi in enumerate(view["outcome_kpis"], start=1)
    ]
    return render(
        request,
        "public/page.html",
        {
            "view": view,
            "kpis": figures,
            "has_charts": any(figure for _, figure, _ in figures),
            "preview": preview,
        },
    )


@login_not_required
@require_GET
def index(request):
    return render(
        request,
        "public/index.html",
        {"pages": [public_view(p) for p in services.published()]},
    )


@login_not_required
@require_GET
def page(request, slug: str):
    return _render_page(request, public_view(services.get_published(slug)))


@require_GET
def preview(request, slug: str):
    partnership = partnerships.get_partnership(request.user, slug)
    publication = services.status(partnership).publication
    if publication is None:
        messages.info(request, "Write the public page first: there is nothing to preview yet.")
        return redirect("public:manage", slug=slug)
    return _render_page(request, public_view(publication), preview=True)


def _initial(publication: Publication | None, partnership) -> dict:
    if publication is None:
        return {
            "summary": partnership.purpose,
            "how_to_opt_out": services.DEFAULT_OPT_OUT,
            "show_value": ValueShown.TOTALS,
            "show_kpis": True,
        }
    return {name: getattr(publication, name) for name in services.SETTINGS}


@require_http_methods(["GET", "POST"])
def manage(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    current = services.status(partnership)
    mine = services.speaks_for(request.user, partnership)
    form = forms.PublicationForm(
        request.POST or None, initial=_initial(current.publication, partnership)
    )
    if request.method == "POST":
        services.check_speaks(request.user, partnership)
        if form.is_valid():
            ok, _ = submit(
                form,
                lambda: services.save_settings(request.user, partnership, **form.cleaned_data),
            )
            if ok:
                messages.success(
                    request,
                    "The public page is saved. Every party must now opt in to this version "
                    "before it is published.",
                )
                return redirect("public:manage", slug=slug)
    return render(
        request,
        "public/manage.html",
        {
            "partnership": partnership,
            "access": access,
            "status": current,
            "mine": mine,
            "form": form if mine else None,
        },
    )


def _organisation(request) -> Organisation:
    form = forms.PartyForm(request.POST)
    organisation = (
        Organisation.objects.filter(slug=form.cleaned_data["organisation"]).first()
        if form.is_valid()
        else None
    )
    if organisation is None:
        raise Invalid("Say which party you act for.", errors={"organisation": ["Required."]})
    return organisation


@require_POST
def opt_in(request, slug: str):
    partnership = partnerships.get_partnership(request.user, slug)
    organisation = _organisation(request)
    with transaction.atomic():
        result = services.opt_in(request.user, partnership, organisation=organisation)
    if result.published:
        messages.success(request, "Every party has opted in: the public page is published.")
    else:
        waiting = ", ".join(str(o) for o in result.waiting_for)
        messages.success(request, f"{organisation} has opted in. Waiting for: {waiting}.")
    return redirect("public:manage", slug=slug)


@require_POST
def withdraw(request, slug: str):
    partnership = partnerships.get_partnership(request.user, slug)
    organisation = _organisation(request)
    with transaction.atomic():
        services.withdraw(request.user, partnership, organisation=organisation)
    messages.success(
        request, f"{organisation} has withdrawn its opt-in: the public page is not published."
    )
    return redirect("public:manage", slug=slug)
