"""The one source of the current time for services and the audit trail.

Services call :func:`now` instead of ``timezone.now`` so that the demo loader can lay down
a realistic history (months of negotiation) and tests can pin time, without patching.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

_pinned: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("pinned", default=None)


def now() -> datetime:
    pinned = _pinned.get()
    return pinned if pinned is not None else timezone.now()


@contextlib.contextmanager
def travel(moment: datetime) -> Iterator[None]:
    """Run the block as if the clock read ``moment`` (advance it with :func:`tick`)."""
    if timezone.is_naive(moment):
        raise ValueError("travel() needs an aware datetime")
    token = _pinned.set(moment)
    try:
        yield
    finally:
        _pinned.reset(token)


def tick(delta: timedelta) -> None:
    """Move a pinned clock forward; used by the demo to space events out."""
    pinned = _pinned.get()
    if pinned is None:
        raise RuntimeError("tick() only works inside travel()")
    _pinned.set(pinned + delta)
