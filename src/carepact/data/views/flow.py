"""Requests and their review, releases with their report and downloads, obligations."""

from __future__ import annotations

import plotly.graph_objects as go
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from carepact.core.charts import style
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.forms import apply_errors, submit
from carepact.engine.policy import purposes as duo

from .. import forms, services
from ..models import AccessRequest, JobStatus
from ..rules import DataAction
from ..services import obligations as obligation_services
from .datasets import partnership_and_access


def _decision_reasons(decision: dict) -> list[dict]:
    return decision.get("reasons", [])


@require_http_methods(["GET", "POST"])
def request_new(request, slug: str, dataset: str):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_dataset(request.user, partnership, dataset)
    da.check(DataAction.REQUEST)
    organisation = da.acting_organisation
    form = forms.RequestForm(
        request.POST or None, dataset=found, organisation=organisation, requester=request.user
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                made = services.submit_request(request.user, found, **form.service_arguments())
        except services.PolicyDenied as exc:
            refusal = exc.decision
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                "The policy allows your request, and it has gone to the data stewards of "
                f"{found.owner} for review.",
            )
            return redirect("data:request", slug=slug, request_id=made.pk)
    return render(
        request,
        "data/request_form.html",
        {
            "partnership": partnership,
            "dataset": found,
            "form": form,
            "refusal": refusal,
            "organisation": organisation,
        },
        status=403 if refusal else 200,
    )


def requests_page(request, slug: str):
    partnership, da = partnership_and_access(request, slug)
    rows = [
        (r, services.waiting(r), da.can(DataAction.REVIEW, owner_id=r.dataset.owner_id))
        for r in services.requests_of(partnership)
    ]
    return render(
        request,
        "data/requests.html",
        {"partnership": partnership, "rows": rows, "turnaround": services.turnaround(partnership)},
    )


def _request_context(request, partnership, da, found, review_form=None, edit_form=None):
    reviews = list(found.reviews.select_related("reviewer"))
    can_review = (
        found.status == AccessRequest.Status.SUBMITTED
        and da.can(DataAction.REVIEW, owner_id=found.dataset.owner_id)
        and found.requester_id != request.user.pk
    )
    return {
        "partnership": partnership,
        "item": found,
        "purpose": duo.describe(found.purpose),
        "reasons": _decision_reasons(found.decision),
        "conditions": found.decision.get("conditions", []),
        "reviews": reviews,
        "waiting": services.waiting(found),
        "users": list(found.users.all()),
        "review_form": review_form or (forms.ReviewForm() if can_review else None),
        "can_release": found.status == AccessRequest.Status.APPROVED
        and da.can(DataAction.RELEASE, owner_id=found.dataset.owner_id),
        "can_edit": found.status == AccessRequest.Status.CHANGES
        and found.requester_id == request.user.pk,
        "releases": list(found.releases.select_related("recipient")),
        "release_refusal": services.release_refusal(found)
        if found.status == AccessRequest.Status.APPROVED
        else None,
    }


def request_detail(request, slug: str, request_id: int):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_request(request.user, partnership, request_id)
    return render(request, "data/request.html", _request_context(request, partnership, da, found))


@require_POST
def request_review(request, slug: str, request_id: int):
    partnership, da = partnership_and_access(request, slug)
    found = services.get_request(request.user, partnership, request_id)
    da.check(DataAction.REVIEW, owner_id=found.dataset.owner_id)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        ok, result = submit(
            form, lambda: services.review_request(request.user, found, **form.cleaned_data)
        )
        if ok:
            review, release = result
            if release is not None:
                messages.success(request, "Approved. The release is queued and runs shortly.")
                return redirect("data:release", slug=slug, release_id=release.pk)
            found.refresh_from_db()
            if found.status == AccessRequest.Status.APPROVED:
                messages.warning(
                    request,
                    "Approved, but no release can run yet: "
                    + (services.release_refusal(found) or "try releasing it from this page."),
                )
                return redirect("data:request", slug=slug, request_id=found.pk)
            messages.success(request, f"Your answer is recorded: {review.get_verdict_display()}.")
            return redirect("data:request", slug=slug, request_id=found.pk)
    found.refresh_from_db()
    return render(
        request,
        "data/request.html",
        _request_context(request, partnership, da, found, review_form=form),
        status=422,
    )


@require_http_methods(["GET", "POST"])
def request_edit(request, slug: str, request_id: int):
    partnership, _ = partnership_and_access(request, slug)
    found = services.get_request(request.user, partnership, request_id)
    if found.requester_id != request.user.pk:
        raise Denied("Only the person who made the request can change it.")
    initial = {
        "purpose": found.purpose if found.purpose in dict(forms.PURPOSE_CHOICES) else "DS",
        "disease": "" if found.purpose in dict(forms.PURPOSE_CHOICES) else found.purpose[3:],
        "columns": found.columns,
        "lay_summary": found.lay_summary,
        "public_benefit": found.public_benefit,
        "ethics_reference": found.ethics_reference,
        "project": found.project,
        "commercial_use": found.commercial_use,
        "users": list(found.users.all()),
    }
    form = forms.RequestForm(
        request.POST or None,
        initial=initial,
        dataset=found.dataset,
        organisation=found.organisation,
        requester=found.requester,
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.resubmit_request(request.user, found, **form.service_arguments())
        except services.PolicyDenied as exc:
            refusal = exc.decision
        except Invalid as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "Your changed request has gone back for review.")
            return redirect("data:request", slug=slug, request_id=found.pk)
    return render(
        request,
        "data/request_form.html",
        {
            "partnership": partnership,
            "dataset": found.dataset,
            "form": form,
            "refusal": refusal,
            "organisation": found.organisation,
            "editing": found,
        },
        status=403 if refusal else 200,
    )


@require_POST
def release_start(request, slug: str, request_id: int):
    partnership, _ = partnership_and_access(request, slug)
    found = services.get_request(request.user, partnership, request_id)
    with transaction.atomic():
        release = services.start_release(request.user, found)
    messages.success(request, "The release is queued and runs shortly.")
    return redirect("data:release", slug=slug, release_id=release.pk)


def _charts(release) -> list:
    report = release.report or {}
    figures = []
    rows = report.get("rows") or {}
    if rows:
        fig = style(go.Figure(), height=300)
        labels = {
            "excluded_by_consent": "Left out by consent",
            "excluded_missing_identifier": "No identifier",
            "suppressed": "Suppressed",
            "released": "Released",
        }
        fig.add_bar(
            x=[labels[k] for k in labels if k in rows],
            y=[rows[k] for k in labels if k in rows],
            name="Rows",
        )
        fig.update_xaxes(title_text="What happened to the rows")
        figures.append(
            (
                fig,
                "release-rows",
                "What happened to the rows",
                f"{rows.get('in', 0):,} rows read; {rows.get('released', 0):,} released.",
            )
        )
    distribution = (report.get("classes") or {}).get("distribution") or []
    if distribution:
        fig = style(go.Figure(), height=300)
        fig.add_bar(
            x=[d["size"] for d in distribution],
            y=[d["records"] for d in distribution],
            name="Records",
        )
        fig.update_xaxes(title_text="Size of the group of alike records")
        figures.append(
            (
                fig,
                "release-classes",
                "Records by the size of their group",
                f"Every released record is in a group of at least {release.k_achieved} alike "
                "records; larger groups mean lower risk.",
            )
        )
    return figures


def release_detail(request, slug: str, release_id: int):
    partnership, da = partnership_and_access(request, slug)
    release = services.get_release(request.user, partnership, release_id)
    refusal = services.download_refusal(request.user, release)
    return render(
        request,
        "data/release.html",
        {
            "partnership": partnership,
            "release": release,
            "refresh": release.is_active,
            "charts": _charts(release) if release.status == JobStatus.SUCCEEDED else [],
            "can_download": refusal is None,
            "download_refusal": refusal,
            "can_retry": release.status == JobStatus.FAILED
            and da.can(DataAction.RELEASE, owner_id=release.dataset.owner_id),
            "downloads": list(release.downloads.select_related("person")[:20]),
            "obligations": list(release.obligations.select_related("recipient")),
            "percent": round(release.progress * 100),
            "report": release.report or {},
        },
    )


@require_POST
def release_retry(request, slug: str, release_id: int):
    partnership, _ = partnership_and_access(request, slug)
    release = services.get_release(request.user, partnership, release_id)
    with transaction.atomic():
        services.retry_release(request.user, release)
    messages.success(request, "The release is queued again.")
    return redirect("data:release", slug=slug, release_id=release.pk)


def release_download(request, slug: str, release_id: int):
    partnership, _ = partnership_and_access(request, slug)
    release = services.get_release(request.user, partnership, release_id)
    with transaction.atomic():
        path = services.download(request.user, release)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def release_manifest(request, slug: str, release_id: int):
    partnership, _ = partnership_and_access(request, slug)
    release = services.get_release(request.user, partnership, release_id)
    response = JsonResponse(release.manifest or {}, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="release-{release.pk}.manifest.json"'
    return response


def obligations_page(request, slug: str):
    partnership, _ = partnership_and_access(request, slug)
    return render(
        request,
        "data/obligations.html",
        {
            "partnership": partnership,
            "views": obligation_services.obligations_of(request.user, partnership),
        },
    )


@require_http_methods(["GET", "POST"])
def obligation_acknowledge(request, slug: str, obligation_id: int):
    partnership, da = partnership_and_access(request, slug)
    obligation = services.get_obligation(request.user, partnership, obligation_id)
    da.check(DataAction.ACKNOWLEDGE, recipient_id=obligation.recipient_id)
    form = forms.AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.acknowledge(request.user, obligation, **form.cleaned_data),
        )
        if ok:
            messages.success(request, "Thank you: the obligation is recorded as met.")
            return redirect("data:obligations", slug=slug)
    return render(
        request,
        "data/acknowledge.html",
        {
            "partnership": partnership,
            "obligation": obligation,
            "state": obligation_services.state_of(obligation),
            "form": form,
        },
    )
