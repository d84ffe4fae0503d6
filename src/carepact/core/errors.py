"""Typed failures that services raise and each surface renders in its own way.

Pages render them as HTML with the status and the reason; the API as a JSON problem body
(RFC 9457). Anything else that escapes is a bug and becomes a plain 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class CarepactError(Exception):
    """Base of expected failures; ``status`` is the HTTP status both surfaces answer with."""

    status = 400
    title = "Bad request"

    def __init__(self, reason: str, *, errors: dict[str, list[str]] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.errors = errors or {}


class NotFound(CarepactError, Http404):
    """The object does not exist or the actor may not know that it exists."""

    status = 404
    title = "Not found"

    def __init__(self, reason: str = "Not found."):
        super().__init__(reason)


class Denied(CarepactError, PermissionDenied):
    """The actor can see the object but may not do this to it; the reason says why."""

    status = 403
    title = "Not allowed"


class Conflict(CarepactError):
    """The request is valid but the object's current state does not allow it."""

    status = 409
    title = "Conflict"


class Invalid(CarepactError):
    """Input failed validation; ``errors`` maps field names to messages."""

    status = 422
    title = "Invalid input"


class Throttled(CarepactError):
    """Too many attempts; the reason says when to try again."""

    status = 429
    title = "Too many attempts"
