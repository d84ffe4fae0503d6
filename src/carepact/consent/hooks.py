"""Where consent meets releases, without consent importing the data app above it.

The data app registers two functions in its ``AppConfig.ready``:

* a withdrawal listener, called inside the service's transaction whenever deny choices
  are recorded, which finds the past releases that contained those patients and creates
  the recipients' obligations;
* a usage lookup, which answers which partnerships received a patient's data (from the
  releases' membership indexes), for the patient page and the registry search.

With nothing registered (the data app not installed) withdrawals are only recorded, and
no usage is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Usage:
    """One release that included the patient: enough for a patient to understand it."""

    partnership_id: int
    partnership: str  # title
    dataset: str
    recipient: str  # organisation name
    commercial: bool  # whether the recipient is a company
    released_at: datetime
    excluded_now: bool  # whether the patient's current choices would leave them out


_listeners: list[Callable[..., Any]] = []
_usage: list[Callable[..., list[Usage]]] = []


def on_withdrawal(listener: Callable[..., Any]) -> None:
    """``listener(actor, organisation, records)``, inside the recording transaction."""
    if listener not in _listeners:
        _listeners.append(listener)


def provide_usage(lookup: Callable[..., list[Usage]]) -> None:
    """``lookup(organisation, patient_hash) -> list[Usage]``."""
    _usage[:] = [lookup]


def withdrawals_recorded(actor, organisation, records) -> list[Any]:
    return [listener(actor, organisation, records) for listener in _listeners]


def usage_of(organisation, patient_hash: str) -> list[Usage]:
    return _usage[0](organisation, patient_hash) if _usage else []
