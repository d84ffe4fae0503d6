"""Pages that add and change clauses: directly in a draft, by proposal in negotiation."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carepact.agreements import forms, services
from carepact.agreements.models import Proposal
from carepact.agreements.rules import AgreementAction
from carepact.agreements.services.drafting import carried_over
from carepact.agreements.services.library import latest_version, specs_of
from carepact.agreements.views.common import detail_url, library_clause, load, party_names
from carepact.core.errors import Conflict, NotFound
from carepact.core.forms import submit
from carepact.engine.agreements.negotiation import VersionStatus


@require_GET
def clause_add(request, slug: str, agreement_id: int):
    partnership, agreement, _ = load(request, slug, agreement_id)
    version = services.current_version(agreement)
    return render(
        request,
        "agreements/clause_add.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "version": version,
            "negotiating": version.status == VersionStatus.NEGOTIATING,
            "groups": services.picker(agreement, version),
            "chosen": None,
        },
    )


@require_http_methods(["GET", "POST"])
def clause_add_form(request, slug: str, agreement_id: int, key: str):
    partnership, agreement, aa = load(request, slug, agreement_id)
    version = services.current_version(agreement)
    negotiating = version.status == VersionStatus.NEGOTIATING
    aa.check(AgreementAction.PROPOSE if negotiating else AgreementAction.DRAFT)
    chosen = library_clause(key)
    cv = latest_version(chosen)
    form = forms.ClauseForm(
        request.POST or None,
        initial=forms.initial_for(specs_of(cv), {}),
        specs=specs_of(cv),
        parties=party_names(agreement),
        comment="Why you propose to add it." if negotiating else None,
    )
    if request.method == "POST" and form.is_valid():
        ok, result = submit(
            form,
            lambda: services.add_clause(
                request.user,
                agreement,
                clause_key=key,
                parameters=form.parameters(),
                comment=form.comment(),
            ),
        )
        if ok:
            messages.success(
                request,
                "Your proposal to add the clause is sent: the other parties now answer it."
                if isinstance(result, Proposal)
                else f"“{chosen.title}” is added to the draft.",
            )
            return redirect(detail_url(agreement, "clauses"))
    return render(
        request,
        "agreements/clause_add.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "version": version,
            "negotiating": negotiating,
            "chosen": chosen,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def clause(request, slug: str, agreement_id: int, family: str):
    partnership, agreement, aa = load(request, slug, agreement_id)
    version = services.current_version(agreement)
    current = services.slot(version, family)
    history = services.history(agreement, family, aa)
    if current is None and not history:
        raise NotFound("This agreement has no such clause.")
    negotiating = version.status == VersionStatus.NEGOTIATING
    alternatives = services.alternatives(family)
    chosen_key = request.GET.get("alternative") or (
        current.clause_version.clause.key if current else None
    )
    form = None
    target_cv = None
    if current is not None and version.status in (VersionStatus.DRAFT, VersionStatus.NEGOTIATING):
        if request.method == "POST":
            aa.check(AgreementAction.PROPOSE if negotiating else AgreementAction.DRAFT)
        if chosen_key != current.clause_version.clause.key:
            target_cv = latest_version(library_clause(chosen_key))
            if target_cv.clause.family != family:
                raise NotFound("That clause is not an alternative for this one.")
            start = carried_over(current.clause_version, current.parameters, target_cv, {})
        else:
            target_cv = current.clause_version
            start = current.parameters
        form = forms.ClauseForm(
            request.POST or None,
            initial=forms.initial_for(specs_of(target_cv), start),
            specs=specs_of(target_cv),
            parties=party_names(agreement),
            comment="Why you propose this change." if negotiating else None,
        )
        if request.method == "POST" and form.is_valid():
            ok, result = submit(
                form,
                lambda: services.update_clause(
                    request.user,
                    agreement,
                    family=family,
                    clause_key=chosen_key,
                    parameters=form.parameters(),
                    comment=form.comment(),
                ),
            )
            if ok:
                messages.success(
                    request,
                    "Your proposal is sent: the other parties now accept, reject or counter it."
                    if isinstance(result, Proposal)
                    else "The clause is changed in the draft.",
                )
                return redirect(detail_url(agreement, "clauses"))
    elif request.method == "POST":
        raise _frozen_conflict(version)
    ctx = services.context_for(agreement, version)
    view = None
    if current is not None:
        views = {v.family: v for v in services.clause_views(version, ctx)}
        view = views.get(family)
    return render(
        request,
        "agreements/clause.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "aa": aa,
            "version": version,
            "view": view,
            "current": current,
            "negotiating": negotiating,
            "alternatives": alternatives,
            "chosen_key": chosen_key,
            "target": target_cv,
            "form": form,
            "history": history,
            "open_point": next(
                (p for v, p in history if v.pk == version.pk and p.proposal.status == "open"),
                None,
            ),
            "respond_form": forms.RespondForm(),
        },
    )


def _frozen_conflict(version):
    return Conflict(
        "This version can no longer change: it is out for signature or signed. "
        + (
            "Recall it to negotiation first."
            if version.status == "signing"
            else "Start an amendment."
        )
    )


@require_POST
def clause_remove(request, slug: str, agreement_id: int, family: str):
    _, agreement, _ = load(request, slug, agreement_id)
    with transaction.atomic():
        result = services.remove_clause(
            request.user, agreement, family=family, comment=request.POST.get("comment", "")
        )
    messages.success(
        request,
        "Your proposal to remove the clause is sent to the other parties."
        if result is not None
        else "The clause is removed from the draft.",
    )
    return redirect(detail_url(agreement, "clauses"))


@require_POST
def open_negotiation(request, slug: str, agreement_id: int):
    _, agreement, _ = load(request, slug, agreement_id)
    with transaction.atomic():
        services.open_negotiation(request.user, agreement)
    messages.success(
        request,
        "The draft is open for negotiation: from now on each change is a proposal the other "
        "parties answer.",
    )
    return redirect(detail_url(agreement))
