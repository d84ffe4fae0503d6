"""Value pages: each view parses input, calls one service, renders the result."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from carepact.accounts.models import Organisation
from carepact.core.forms import submit
from carepact.partnerships import services as partnerships
from carepact.partnerships.models import Role
from carepact.partnerships.rules import Action
from carepact.value import charts, forms, services
from carepact.value.models import EvidenceStrength
from carepact.value.pdf import value_case_pdf


@require_GET
def ledger(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    the_ledger = services.ledger(partnership)
    totals = [
        (
            organisation,
            [
                (
                    currency,
                    the_ledger.contributed.get(currency, {}).get(organisation.pk, 0),
                    the_ledger.realised.get(currency, {}).get(organisation.pk, 0),
                )
                for currency in the_ledger.currencies
            ],
            the_ledger.unpriced.get(organisation.pk, 0),
        )
        for organisation in the_ledger.parties
    ]
    return render(
        request,
        "value/ledger.html",
        {
            "partnership": partnership,
            "access": access,
            "ledger": the_ledger,
            "totals": totals,
        },
    )


def _recordable(partnership, access):
    parties = services.active_parties(partnership)
    if Role.LEAD in access.roles:
        allowed = parties
    else:
        allowed = [o for o in parties if o in access.party_organisations]
    return Organisation.objects.filter(pk__in=[o.pk for o in allowed]).order_by("name")


@require_http_methods(["GET", "POST"])
def contribution_new(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    access.check(Action.CONTRIBUTE)
    form = forms.ContributionForm(
        request.POST or None, organisations=_recordable(partnership, access)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, contribution = submit(
            form,
            lambda: services.record_contribution(
                request.user,
                partnership,
                organisation=data["organisation"],
                kind=data["kind"],
                description=data["description"],
                currency=data["currency"],
                amount=data["amount"],
                fte_months=data["fte_months"],
                rate=data["rate"],
                valuation_method=data["valuation_method"],
                contributed_on=data["contributed_on"],
            ),
        )
        if ok:
            messages.success(
                request, f"Recorded {contribution.amount} from {contribution.organisation}."
            )
            return redirect("value:ledger", slug=slug)
    return render(
        request,
        "value/entry_form.html",
        {"partnership": partnership, "form": form, "what": "contribution"},
    )


@require_http_methods(["GET", "POST"])
def benefit_new(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    access.check(Action.CONTRIBUTE)
    form = forms.BenefitForm(request.POST or None, parties=services.active_parties(partnership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, benefit = submit(
            form,
            lambda: services.record_benefit(
                request.user,
                partnership,
                kind=data["kind"],
                description=data["description"],
                realised_on=data["realised_on"],
                amount=data["amount"],
                currency=data["currency"],
                valuation_method=data["valuation_method"],
                shares=form.shares(),
            ),
        )
        if ok:
            messages.success(request, f"Recorded the benefit “{benefit.description}”.")
            return redirect("value:ledger", slug=slug)
    return render(
        request,
        "value/entry_form.html",
        {"partnership": partnership, "form": form, "what": "benefit"},
    )


@require_GET
def fairness(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    view = services.fairness_view(partnership)
    with_agreed = view.agreed.measured
    sections = [
        (fair, charts.shares_figure(fair, with_agreed=with_agreed), f"fairness-{fair.currency}")
        for fair in view.by_currency
    ]
    shapley = services.shapley_view(partnership)
    return render(
        request,
        "value/fairness.html",
        {
            "partnership": partnership,
            "access": access,
            "view": view,
            "sections": sections,
            "shapley": shapley,
            "shapley_figure": charts.shapley_figure(shapley) if shapley.rows else None,
            "unpriced": [(o, view.unpriced.get(o.pk, 0)) for o in view.parties],
        },
    )


@require_http_methods(["GET", "POST"])
def shapley_values(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    access.check(Action.CONTRIBUTE)
    parties = services.active_parties(partnership)
    too_many = len(parties) > services.MAX_SHAPLEY_PAGE_PARTIES
    latest = partnership.coalition_values.first()
    coalitions = [] if too_many else services.coalitions(parties)
    initial = {}
    if latest:
        initial = {"basis": latest.basis, "unit": latest.unit}
        for index, (key, _) in enumerate(coalitions):
            if key in latest.values:
                initial[f"c{index}"] = latest.values[key]
    form = forms.CoalitionForm(request.POST or None, coalitions=coalitions, initial=initial)
    if request.method == "POST" and not too_many and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.enter_coalition_values(
                request.user,
                partnership,
                basis=form.cleaned_data["basis"],
                unit=form.cleaned_data["unit"],
                values=form.values(),
            ),
        )
        if ok:
            messages.success(request, "The coalition values are saved: the Shapley values follow.")
            return redirect("value:fairness", slug=slug)
    return render(
        request,
        "value/shapley_form.html",
        {"partnership": partnership, "form": form, "too_many": too_many, "parties": parties},
    )


def _case_context(request, partnership, access=None) -> dict:
    facts = services.case_facts(partnership)
    return {
        "partnership": partnership,
        "access": access,
        "facts": facts,
        "case": facts.case,
        "strengths": EvidenceStrength.choices,
    }


@require_GET
def case(request, slug: str):
    """The value case as a page, or with ``?format=pdf`` as a PDF to send to funders."""
    partnership, access = partnerships.get_with_access(request.user, slug)
    if request.GET.get("format") == "pdf":
        pdf = value_case_pdf(_case_context(request, partnership))
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"value-case-{partnership.slug}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "value/case.html", _case_context(request, partnership, access))


@require_http_methods(["GET", "POST"])
def case_edit(request, slug: str):
    partnership, access = partnerships.get_with_access(request.user, slug)
    access.check(Action.CONTRIBUTE)
    current = services.case_facts(partnership).case
    initial = {f: getattr(current, f) for f in services.CASE_FIELDS} if current else {}
    # Every field is optional, so an empty submission is a valid one: bind it even then.
    data = request.POST if request.method == "POST" else None
    form = forms.ValueCaseForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.update_value_case(request.user, partnership, **form.cleaned_data),
        )
        if ok:
            messages.success(request, "The value case is saved.")
            return redirect("value:case", slug=slug)
    return render(request, "value/case_form.html", {"partnership": partnership, "form": form})
