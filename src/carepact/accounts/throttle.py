"""Sign-in throttling: repeated failures for one address, or from one client, lock it out.

Failures are kept in the database so every web worker sees the same count. Keys are hashes,
so the table holds no e-mail addresses.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from carepact.accounts.models import LoginFailure
from carepact.core import clock

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 30


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value.strip().lower()}".encode()).hexdigest()


def _keys(email: str | None, client: str | None) -> list[tuple[str, int]]:
    keys = []
    if email:
        keys.append((_key("email", email), MAX_FAILURES_PER_ACCOUNT))
    if client:
        keys.append((_key("client", client), MAX_FAILURES_PER_CLIENT))
    return keys


def lockout_reason(email: str | None, client: str | None) -> str | None:
    """A sentence saying when to try again, or None when sign-in may be attempted."""
    now = clock.now()
    since = now - WINDOW
    for key, limit in _keys(email, client):
        recent = LoginFailure.objects.filter(key=key, at__gt=since).order_by("-at")
        if recent.count() >= limit:
            newest = recent.first()
            wait = max(1, round((newest.at + WINDOW - now).total_seconds() / 60))
            return (
                "Too many failed sign-in attempts. For your security, sign-in is paused: "
                f"try again in {wait} minute{'s' if wait != 1 else ''}."
            )
    return None


def record_failure(email: str | None, client: str | None) -> None:
    now = clock.now()
    LoginFailure.objects.bulk_create(
        [LoginFailure(key=key, at=now) for key, _ in _keys(email, client)]
    )
    LoginFailure.objects.filter(at__lt=now - WINDOW * 4).delete()


def clear(email: str) -> None:
    LoginFailure.objects.filter(key=_key("email", email)).delete()


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None
