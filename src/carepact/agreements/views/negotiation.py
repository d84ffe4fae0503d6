"""Pages that answer proposals, send for signature, sign, recall and amend."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from carepact.agreements import forms, services
from carepact.agreements.models import Proposal
from carepact.agreements.rules import AgreementAction
from carepact.agreements.services.drafting import carried_over
from carepact.agreements.services.library import latest_version, specs_of
from carepact.agreements.services.negotiation import point_view
from carepact.agreements.views.common import detail_url, library_clause, load, party_names
from carepact.core.errors import Invalid, NotFound
from carepact.core.forms import submit
from carepact.engine.agreements.negotiation import VersionStatus


def _proposal(request, agreement, proposal_id: int) -> Proposal:
    return services.get_proposal(request.user, agreement, proposal_id)


@require_POST
def respond(request, slug: str, agreement_id: int, proposal_id: int):
    _, agreement, _ = load(request, slug, agreement_id)
    proposal = _proposal(request, agreement, proposal_id)
    form = forms.RespondForm(request.POST)
    if not form.is_valid():
        raise Invalid("Answer accept or reject.", errors=form.errors)
    with transaction.atomic():
        services.respond(
            request.user,
            proposal,
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
        )
    proposal.refresh_from_db()
    messages.success(
        request,
        {
            "accepted": "Every party has accepted: the clause is changed.",
            "rejected": "You rejected the proposal; the clause stays as it was.",
            "open": "Your acceptance is recorded; the proposal waits for the other parties.",
        }.get(proposal.status, "Your answer is recorded."),
    )
    return redirect(detail_url(agreement, "open-points"))


@require_http_methods(["GET", "POST"])
def counter(request, slug: str, agreement_id: int, proposal_id: int):
    partnership, agreement, aa = load(request, slug, agreement_id)
    proposal = _proposal(request, agreement, proposal_id)
    aa.check(AgreementAction.RESPOND)
    version = proposal.version
    current = services.slot(version, proposal.family)
    base_cv = proposal.clause_version or (current.clause_version if current else None)
    base_values = (
        proposal.parameters if proposal.clause_version else (current.parameters if current else {})
    )
    chosen_key = request.GET.get("alternative") or base_cv.clause.key
    if chosen_key != base_cv.clause.key:
        target_cv = latest_version(library_clause(chosen_key))
        if target_cv.clause.family != proposal.family:
            raise NotFound("That clause is not an alternative for this one.")
        start = carried_over(base_cv, base_values, target_cv, {})
    else:
        target_cv, start = base_cv, base_values
    form = forms.ClauseForm(
        request.POST or None,
        initial=forms.initial_for(specs_of(target_cv), start),
        specs=specs_of(target_cv),
        parties=party_names(agreement),
        comment="What your counter-proposal changes, and why.",
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.counter(
                request.user,
                proposal,
                clause_key=chosen_key,
                parameters=form.parameters(),
                comment=form.comment(),
            ),
        )
        if ok:
            messages.success(
                request, "Your counter-proposal is sent: the other parties now answer it."
            )
            return redirect(detail_url(agreement, "open-points"))
    ctx = services.context_for(agreement, version)
    point = point_view(proposal, services.party_organisations(agreement), ctx, aa)
    return render(
        request,
        "agreements/counter.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "proposal": proposal,
            "point": point,
            "alternatives": services.alternatives(proposal.family),
            "chosen_key": chosen_key,
            "form": form,
        },
    )


@require_POST
def withdraw(request, slug: str, agreement_id: int, proposal_id: int):
    _, agreement, _ = load(request, slug, agreement_id)
    proposal = _proposal(request, agreement, proposal_id)
    with transaction.atomic():
        services.withdraw(request.user, proposal, comment=request.POST.get("comment", ""))
    messages.success(request, "Your proposal is withdrawn.")
    return redirect(detail_url(agreement, "open-points"))


@require_POST
def send(request, slug: str, agreement_id: int):
    _, agreement, _ = load(request, slug, agreement_id)
    with transaction.atomic():
        services.send_for_signature(request.user, agreement)
    messages.success(
        request,
        "The agreement is out for signature: each party's signatory can now sign it.",
    )
    return redirect(detail_url(agreement, "signatures"))


@require_http_methods(["GET", "POST"])
def recall(request, slug: str, agreement_id: int):
    partnership, agreement, aa = load(request, slug, agreement_id)
    aa.check(AgreementAction.SEND)
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why it goes back to negotiation"
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.recall(request.user, agreement, reason=form.cleaned_data["reason"]),
        )
        if ok:
            messages.success(request, "The agreement is back in negotiation; signatures are void.")
            return redirect(detail_url(agreement))
    return render(
        request,
        "agreements/reason_form.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "form": form,
            "heading": "Take the agreement back to negotiation",
            "lead": "Every signature made so far on this version becomes void; the parties "
            "can propose changes again.",
            "button": "Back to negotiation",
        },
    )


@require_http_methods(["GET", "POST"])
def sign(request, slug: str, agreement_id: int):
    partnership, agreement, aa = load(request, slug, agreement_id)
    aa.check(AgreementAction.SIGN)
    version = services.current_version(agreement)
    form = forms.SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, signature = submit(
            form,
            lambda: services.sign(request.user, agreement, password=form.cleaned_data["password"]),
        )
        if ok:
            version.refresh_from_db()
            if version.status == VersionStatus.SIGNED:
                messages.success(
                    request,
                    f"You signed for {signature.organisation_name}. Every party has now signed: "
                    f"version {version.number} is frozen with SHA-256 {version.hash}.",
                )
            else:
                messages.success(
                    request,
                    f"You signed for {signature.organisation_name}. Waiting for the other "
                    "parties' signatories.",
                )
            return redirect(detail_url(agreement, "signatures"))
    return render(
        request,
        "agreements/sign.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "version": version,
            "aa": aa,
            "form": form,
            "clauses": services.clause_views(version),
        },
    )


@require_http_methods(["GET", "POST"])
def amend(request, slug: str, agreement_id: int):
    partnership, agreement, aa = load(request, slug, agreement_id)
    aa.check(AgreementAction.DRAFT)
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why the agreement needs amending"
    if request.method == "POST" and form.is_valid():
        ok, version = submit(
            form,
            lambda: services.start_amendment(
                request.user, agreement, reason=form.cleaned_data["reason"]
            ),
        )
        if ok:
            messages.success(
                request,
                f"Amendment {version.number} is open for negotiation. Version "
                f"{version.amends.number} stays in force until every party signs it.",
            )
            return redirect(detail_url(agreement))
    return render(
        request,
        "agreements/reason_form.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "form": form,
            "heading": "Amend the agreement",
            "lead": "An amendment is a new version, copied from the signed one, negotiated "
            "clause by clause and signed again. The signed version stays in force meanwhile.",
            "button": "Start the amendment",
        },
    )
