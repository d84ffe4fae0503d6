"""The clause library: everyone reads it; platform administrators add and version clauses."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from carepact.agreements import forms
from carepact.agreements.services import library as lib
from carepact.core.forms import submit
from carepact.engine.agreements import params
from carepact.engine.agreements import render as wording
from carepact.engine.agreements.topics import KINDS, TOPICS, Kind, Topic


def _preview(version):
    """The wording with parameters shown as [Label]: what a reader sees before filling in."""
    specs = lib.specs_of(version)
    text = version.text
    for spec in specs:
        text = wording.PLACEHOLDER.sub(
            lambda m, s=spec: f"[{s.label}]" if m.group(1) == s.name else m.group(0), text
        )
    return wording.paragraphs(text)


@require_GET
def library(request):
    clauses = list(lib.clauses())
    clauses.sort(key=lambda c: (list(Topic).index(Topic(c.topic)), c.family, c.key))
    topics = []
    for topic, items in groupby(clauses, key=lambda c: c.topic):
        items = list(items)
        info = TOPICS[Topic(topic)]
        topics.append(
            {
                "topic": topic,
                "label": info.label,
                "covers": info.covers,
                "why": info.why,
                "required_by": [KINDS[k].label for k in Kind if Topic(topic) in KINDS[k].required],
                "families": [
                    (family, list(group))
                    for family, group in groupby(items, key=lambda c: c.family)
                ],
            }
        )
    return render(
        request,
        "agreements/library.html",
        {
            "topics": topics,
            "kinds": [(KINDS[k], [TOPICS[t].label for t in KINDS[k].required]) for k in Kind],
            "can_manage": request.user.is_superuser,
        },
    )


@require_GET
def library_clause(request, key: str):
    clause = lib.get_clause(key)
    versions = list(clause.versions.all())
    used = lib.used_version_ids(versions)
    return render(
        request,
        "agreements/library_clause.html",
        {
            "clause": clause,
            "topic": TOPICS[Topic(clause.topic)],
            "versions": [
                {
                    "version": v,
                    "used": v.pk in used,
                    "specs": lib.specs_of(v),
                    "paragraphs": _preview(v),
                    "hints": {s.name: params.TYPES[s.type] for s in lib.specs_of(v)},
                }
                for v in reversed(versions)
            ],
            "alternatives": [c for c in lib.clauses().filter(family=clause.family) if c != clause],
            "can_manage": request.user.is_superuser,
        },
    )


@require_http_methods(["GET", "POST"])
def library_new(request):
    lib.check_admin(request.user)
    form = forms.LibraryClauseForm(
        request.POST or None, initial={"topic": request.GET.get("topic")}
    )
    if request.method == "POST" and form.is_valid():
        ok, clause = submit(form, lambda: lib.create_clause(request.user, **form.cleaned_data))
        if ok:
            messages.success(request, f"The clause {clause.key} is in the library.")
            return redirect("agreements:library_clause", key=clause.key)
    return render(
        request,
        "agreements/library_form.html",
        {"form": form, "heading": "Add a clause to the library", "button": "Add the clause"},
    )


@require_http_methods(["GET", "POST"])
def library_version_new(request, key: str):
    lib.check_admin(request.user)
    clause = lib.get_clause(key)
    latest = lib.latest_version(clause)
    form = forms.ClauseVersionForm(
        request.POST or None,
        initial={"parameters": lib.specs_as_yaml(latest), "text": latest.text},
    )
    if request.method == "POST" and form.is_valid():
        ok, version = submit(
            form, lambda: lib.add_clause_version(request.user, clause, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request,
                f"Version {version.number} of {clause.key} is in the library. Agreements keep "
                "the version they use until a party proposes the newer wording.",
            )
            return redirect("agreements:library_clause", key=clause.key)
    return render(
        request,
        "agreements/library_form.html",
        {
            "form": form,
            "clause": clause,
            "heading": f"New version of “{clause}”",
            "button": "Add the version",
        },
    )


@require_http_methods(["GET", "POST"])
def library_version_edit(request, key: str, number: int):
    lib.check_admin(request.user)
    clause = lib.get_clause(key)
    version = lib.get_clause_version(clause, number)
    form = forms.ClauseVersionForm(
        request.POST or None,
        initial={
            "parameters": lib.specs_as_yaml(version),
            "text": version.text,
            "note": version.note,
        },
    )
    used = lib.is_used(version)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form, lambda: lib.update_clause_version(request.user, version, **form.cleaned_data)
        )
        if ok:
            messages.success(request, f"Version {version.number} of {clause.key} is corrected.")
            return redirect("agreements:library_clause", key=clause.key)
    return render(
        request,
        "agreements/library_form.html",
        {
            "form": form,
            "clause": clause,
            "used": used,
            "heading": f"Correct version {version.number} of “{clause}”",
            "button": "Save the correction",
        },
    )
