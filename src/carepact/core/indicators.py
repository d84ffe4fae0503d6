"""Facts about a partnership that one app measures and other apps read.

An app that measures something registers a provider for a named indicator (in its
``AppConfig.ready``); an app that needs it calls :func:`read`. Neither imports the other, so
the layers stay one-way. When no app provides an indicator yet, :func:`read` answers
``NOT_MEASURED`` and the reader must say "not measured", never "fine".

The names and what they mean are declared in :data:`CATALOGUE`, so a reader and a provider
cannot drift apart silently (registering an unknown name fails).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reading:
    """A measured value (with a sentence a person can read), or the absence of one."""

    value: Any = None
    measured: bool = True
    detail: str = ""


NOT_MEASURED = Reading(None, False, "not measured: nothing records this yet")

# name: what the value is (its type and unit). Providers must return exactly this.
CATALOGUE: dict[str, str] = {
    # partnerships
    "champion_named": "bool: a person holds the champion role",
    "industry_sponsors_named": "bool: every industry party has a named executive sponsor",
    "stage_days": "int: days since the partnership entered its current stage",
    # agreements
    "contracting_days": "float | None: days from first draft to signature of agreements "
    "signed so far (median), None when none is signed",
    "open_negotiation_points": "int: proposals waiting for an answer",
    "signed_mou": "bool: a signed MoU exists",
    # data governance
    "open_access_requests": "int: access requests waiting for a decision",
    "open_obligations": "int: obligations (deletions, reports) not yet met",
    "overdue_obligations": "int: obligations past their due date",
    "releases": "int: completed data releases",
    # health checks
    "health_index": "float | None: latest 0-100 health index, None when suppressed",
    "health_warnings": "list[str]: titles of current early warnings",
    "response_rate": "float: share of invited people who answered the latest round",
    # outcomes and value
    "patient_outcome_kpis": "int: KPIs of type patient outcome",
    "kpi_status": "dict[str, int]: KPIs by status (on_track, at_risk, off_track, no_data)",
    # governance
    "board_meetings_90_days": "int: board meetings held in the last 90 days",
    "overdue_actions": "int: actions past their due date",
    "open_escalations": "int: escalations and grievances not resolved",
    "risk_heat": "int: highest likelihood x impact among open risks (1-25)",
    "governance_shares": "dict[str, dict[str, float]]: over the last 12 months, each party's "
    "share (0-1, keyed by organisation slug) of 'decisions_proposed', 'agenda_items' and "
    "'attendance'",
    "overdue_risk_reviews": "int: open risks past their review date",
}

_PROVIDERS: dict[str, Callable[[Any], Reading]] = {}


def provide(name: str, provider: Callable[[Any], Reading]) -> None:
    """Register the function that measures ``name`` for a partnership."""
    if name not in CATALOGUE:
        raise KeyError(f"unknown indicator {name!r}: declare it in CATALOGUE first")
    _PROVIDERS[name] = provider


def read(partnership: Any, name: str) -> Reading:
    if name not in CATALOGUE:
        raise KeyError(f"unknown indicator {name!r}")
    provider = _PROVIDERS.get(name)
    return provider(partnership) if provider else NOT_MEASURED


def provided() -> set[str]:
    return set(_PROVIDERS)
