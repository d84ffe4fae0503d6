"""Seams: facts that other apps contribute to the outcomes, value and public pages.

Some of what these pages show belongs to apps that do not exist yet or that sit on another
layer: the benefit shares an agreement sets (agreements), the datasets, releases and
patient counts of a partnership (data), the patient page (consent), clauses someone
negotiated or requests someone reviewed (agreements, data). Importing them would tie the
layers together, so an app **declares** what it provides, by dotted path, on its
``AppConfig``::

    class DataConfig(AppConfig):
        name = "carepact.data"
        carepact_provides = {
            "public.datasets": "carepact.data.transparency.datasets",
            "public.releases": "carepact.data.transparency.releases",
            "recognition": "carepact.data.transparency.reviews_by",
        }

The reader resolves the path when it first needs it (never at import time), so neither app
imports the other. A seam nobody provides reads as ``NOT_RECORDED`` and the page says
"not yet recorded", never "none". :func:`register` does the same from code (tests, or an
app above the reader). Each name and the shape its providers return are declared in
:data:`SEAMS`; providing an undeclared name fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

from carepact.core.indicators import Reading

NOT_RECORDED = Reading(None, False, "not yet recorded")

# name: (many providers allowed?, what a provider takes and returns)
SEAMS: dict[str, tuple[bool, str]] = {
    "value.agreed_benefit_shares": (
        False,
        "fn(partnership) -> Reading(value={organisation slug: percent 0-100, summing to "
        "100}, detail='from clause 9 of the collaboration agreement signed 3 Mar 2026'), or "
        "NOT_RECORDED when no signed agreement has a benefit-sharing clause",
    ),
    "public.datasets": (
        False,
        "fn(partnership) -> Reading(value=[{'name': str, 'description': str, "
        "'patients': int | None}]) for the datasets the partnership used",
    ),
    "public.releases": (
        False,
        "fn(partnership) -> Reading(value=[{'date': date, 'purpose': str, 'dataset': str, "
        "'patients': int | None}]) for completed data releases",
    ),
    "public.patient_page": (
        False,
        "fn(partnership) -> Reading(value=url: str) of the page where a patient can see "
        "their choices and withdraw",
    ),
    "recognition": (
        True,
        "fn(person, partnership_ids: set[int]) -> list[dict(kind=str, label=str, "
        "partnership_id=int, at=datetime, detail=str, person_id=int)]: what the person did "
        "in those partnerships (clauses negotiated, reviews done ...); person=None asks for "
        "everyone at once, and then each item must carry person_id",
    ),
}

_REGISTERED: dict[str, list[Callable[..., Any]]] = {}


def register(name: str, provider: Callable[..., Any]) -> None:
    """Provide ``name`` from code; a single-provider seam keeps the latest registration."""
    if name not in SEAMS:
        raise KeyError(f"unknown seam {name!r}: declare it in SEAMS first")
    many, _ = SEAMS[name]
    _REGISTERED[name] = [*_REGISTERED.get(name, []), provider] if many else [provider]


def unregister(name: str) -> None:
    _REGISTERED.pop(name, None)


def providers(name: str) -> list[Callable[..., Any]]:
    """Every provider of ``name``: registered ones first, then those apps declare."""
    if name not in SEAMS:
        raise KeyError(f"unknown seam {name!r}")
    found = list(_REGISTERED.get(name, []))
    for config in apps.get_app_configs():
        path = getattr(config, "carepact_provides", {}).get(name)
        if path:
            found.append(import_string(path))
    many, _ = SEAMS[name]
    return found if many else found[:1]


def read(name: str, *args: Any) -> Reading:
    """The one provider's reading for a single-provider seam, or NOT_RECORDED."""
    found = providers(name)
    if not found:
        return NOT_RECORDED
    reading = found[0](*args)
    return reading if isinstance(reading, Reading) else Reading(reading)


def collect(name: str, *args: Any) -> list[Any]:
    """Everything all providers of a many-provider seam return, concatenated."""
    items: list[Any] = []
    for provider in providers(name):
        items.extend(provider(*args) or [])
    return items


def provided(name: str) -> bool:
    return bool(providers(name))
