"""Consent registry pages and the patient's page: parse input, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carepact.accounts.throttle import client_address
from carepact.core import clock
from carepact.core.errors import NotFound
from carepact.core.forms import submit

from . import forms, hooks, patients, registry, services
from .models import Decision
from .rules import REGISTRY_RULES, RegistryAction


def home(request):
    return render(
        request,
        "consent/home.html",
        {"registries": services.registries_for(request.user), "rules": REGISTRY_RULES},
    )


def _registry(request, slug: str, action: RegistryAction = RegistryAction.SEARCH):
    organisation, access = services.get_registry(request.user, slug)
    access.check(action)
    return organisation, access


@require_http_methods(["GET", "POST"])
def registry_page(request, slug: str):
    organisation, access = _registry(request, slug)
    form = forms.SearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, patient = submit(
            form,
            lambda: services.find_patient(
                request.user, organisation, nhs_number=form.cleaned_data["nhs_number"]
            ),
        )
        if ok:
            return redirect("consent:patient_records", slug=slug, patient=patient)
    return render(
        request,
        "consent/registry.html",
        {
            "organisation": organisation,
            "access": access,
            "form": form,
            "summary": services.registry_summary(organisation),
            "imports": services.imports_of(organisation)[:10],
            "key_id": registry.registry_key_id(organisation),
        },
    )


def _patient(organisation, patient: str) -> str:
    if not registry.is_hash(patient):
        raise NotFound("No such patient in this registry.")
    return patient


def patient_records(request, slug: str, patient: str):
    organisation, access = _registry(request, slug)
    patient = _patient(organisation, patient)
    partnerships = services.partnerships_of(organisation)
    return render(
        request,
        "consent/patient_records.html",
        {
            "organisation": organisation,
            "access": access,
            "patient": patient,
            "records": services.records_of(organisation, patient),
            "usage": hooks.usage_of(organisation, patient),
            "withdraw_form": forms.WithdrawForm(partnerships=partnerships),
        },
    )


@require_http_methods(["GET", "POST"])
def record_new(request, slug: str):
    organisation, _ = _registry(request, slug, RegistryAction.RECORD)
    patient = request.GET.get("patient") or request.POST.get("patient") or ""
    patient = patient if registry.is_hash(patient) else ""
    form = forms.ChoiceForm(
        request.POST or None,
        partnerships=services.partnerships_of(organisation),
        ask_number=not patient,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ok, record = submit(
            form,
            lambda: services.record_choice(
                request.user,
                organisation,
                patient=patient or None,
                nhs_number=data.pop("nhs_number", None),
                **data,
            ),
        )
        if ok:
            messages.success(
                request,
                "The withdrawal is recorded; releases that contained the patient are traced."
                if record.decision == Decision.DENY
                else "The choice is recorded.",
            )
            return redirect("consent:patient_records", slug=slug, patient=record.patient)
    return render(
        request,
        "consent/record_form.html",
        {"organisation": organisation, "form": form, "patient": patient},
    )


@require_POST
def withdraw(request, slug: str, patient: str):
    organisation, access = _registry(request, slug, RegistryAction.RECORD)
    patient = _patient(organisation, patient)
    form = forms.WithdrawForm(request.POST, partnerships=services.partnerships_of(organisation))
    if form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.withdraw(
                request.user,
                organisation,
                patient=patient,
                scope=form.cleaned_data["scope"],
                partnership=form.cleaned_data["partnership"],
            ),
        )
        if ok:
            messages.success(
                request,
                "The withdrawal is recorded. Past releases that contained the patient are "
                "traced, and their recipients must delete or replace them.",
            )
            return redirect("consent:patient_records", slug=slug, patient=patient)
    return render(
        request,
        "consent/patient_records.html",
        {
            "organisation": organisation,
            "access": access,
            "patient": patient,
            "records": services.records_of(organisation, patient),
            "usage": hooks.usage_of(organisation, patient),
            "withdraw_form": form,
        },
        status=422,
    )


@never_cache
@require_POST
def issue_code(request, slug: str, patient: str):
    organisation, _ = _registry(request, slug, RegistryAction.ISSUE_CODE)
    patient = _patient(organisation, patient)
    with transaction.atomic():
        code, issued = patients.issue_code(request.user, organisation, patient=patient)
    return render(
        request,
        "consent/code_issued.html",
        {"organisation": organisation, "patient": patient, "code": code, "issued": issued},
    )


def _import(request, slug: str, kind: str):
    organisation, _ = _registry(request, slug, RegistryAction.IMPORT)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        service = services.import_fhir if kind == "fhir" else services.import_optouts
        ok, batch = submit(
            form,
            lambda: service(
                request.user, organisation, content=upload.read(), filename=upload.name
            ),
        )
        if ok:
            return redirect("consent:import_detail", slug=slug, batch_id=batch.pk)
    return render(
        request,
        "consent/import_form.html",
        {"organisation": organisation, "form": form, "kind": kind},
    )


@require_http_methods(["GET", "POST"])
def import_fhir(request, slug: str):
    return _import(request, slug, "fhir")


@require_http_methods(["GET", "POST"])
def import_optouts(request, slug: str):
    return _import(request, slug, "opt_outs")


def import_detail(request, slug: str, batch_id: int):
    organisation, _ = _registry(request, slug, RegistryAction.IMPORT)
    batch = services.get_import(request.user, organisation, batch_id)
    return render(
        request, "consent/import_detail.html", {"organisation": organisation, "batch": batch}
    )


def export_fhir(request, slug: str):
    organisation, _ = _registry(request, slug, RegistryAction.EXPORT)
    ndjson = request.GET.get("format") == "ndjson"
    with transaction.atomic():
        text, _ = services.export_fhir(request.user, organisation, ndjson=ndjson)
    stamp = clock.now().strftime("%Y%m%d")
    extension = "ndjson" if ndjson else "json"
    response = HttpResponse(
        text, content_type="application/fhir+ndjson" if ndjson else "application/fhir+json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consent-{organisation.slug}-{stamp}.{extension}"'
    )
    return response


# -- the patient's page (no account) --------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def patient(request):
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            visit = patients.redeem(form.cleaned_data["code"], client=client_address(request))
        if visit is None:
            raise NotFound(
                "That code does not work: it may be mistyped, used already, or expired. "
                "Ask the staff who gave it to you for a new one."
            )
        request.session.cycle_key()
        request.session[patients.SESSION_KEY] = visit.as_session()
        return redirect("consent:patient_choices")
    return render(request, "consent/patient.html", {"form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def patient_choices(request):
    visit, organisation = patients.visit_from(request.session.get(patients.SESSION_KEY))
    if request.method == "POST":
        form = forms.PatientWithdrawForm(request.POST)
        if form.is_valid():
            ok, _ = submit(
                form,
                lambda: patients.withdraw(
                    visit,
                    organisation,
                    scope=form.cleaned_data["scope"],
                    partnership=form.cleaned_data["partnership"],
                ),
            )
            if ok:
                messages.success(
                    request,
                    "Your choice is recorded. Your data will be left out of future releases it "
                    "covers, and organisations holding past releases it covers must delete or "
                    "replace them.",
                )
                return redirect("consent:patient_choices")
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(
        request,
        "consent/patient_choices.html",
        {"page": patients.view(visit, organisation), "visit": visit},
    )


@login_not_required
@require_POST
def patient_leave(request):
    request.session.pop(patients.SESSION_KEY, None)
    return render(request, "consent/patient_left.html")
