"""Render expected failures from services as pages that say what went wrong."""

from __future__ import annotations

from django.shortcuts import render

from carepact.core.errors import CarepactError


class ErrorPageMiddleware:
    """Turns a :class:`CarepactError` raised by a view into a page with its status and reason.

    The API has its own handlers (JSON problem bodies); this only sees page views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CarepactError):
            return None
        return render(
            request,
            "error.html",
            {"status": exception.status, "title": exception.title, "reason": exception.reason},
            status=exception.status,
        )
