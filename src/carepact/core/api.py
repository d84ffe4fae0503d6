"""What every API router shares: authentication, the actor, and JSON problem bodies."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from carepact.core.errors import CarepactError

logger = logging.getLogger("carepact.api")

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str, errors: dict | None = None) -> JsonResponse:
    """An RFC 9457 problem body."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=PROBLEM_TYPE)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cp_...`` with a personal API token."""

    def __init__(self, resolve):
        super().__init__()
        self._resolve = resolve

    def authenticate(self, request: HttpRequest, token: str):
        user = self._resolve(token)
        if user is not None:
            request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def install_error_handlers(api) -> None:
    @api.exception_handler(CarepactError)
    def _carepact(request, exc: CarepactError):
        return problem(exc.status, exc.title, exc.reason, exc.errors or None)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem(404, "Not found", "No such object, or you may not see it.")

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return problem(403, "Not allowed", str(exc) or "You may not do this.")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return problem(
            401,
            "Not signed in",
            "Send a personal API token as 'Authorization: Bearer <token>' "
            "(create one under Account, API tokens), or use a signed-in browser session.",
        )

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            location = ".".join(
                str(p) for p in error.get("loc", ()) if p not in ("body", "payload")
            )
            errors.setdefault(location or "request", []).append(error.get("msg", "invalid"))
        return problem(422, "Invalid input", "The request body or parameters are invalid.", errors)

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        return problem(exc.status_code, "Error", str(exc))

    @api.exception_handler(Exception)
    def _bug(request, exc):
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return problem(500, "Internal error", "Something went wrong on our side; it was logged.")
