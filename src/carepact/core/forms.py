"""Form helpers shared by every app's pages."""

from __future__ import annotations

from django import forms
from django.db import transaction

from carepact.core.errors import Conflict, Invalid


def apply_errors(form: forms.Form, error: Invalid) -> None:
    """Show a service's validation errors on the form: on their fields, or above it."""
    placed = False
    for field, messages in error.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed or error.reason:
        form.add_error(None, error.reason)


def submit(form: forms.Form, action):
    """Run a service call in its own transaction; a refusal lands on the form, not a 500.

    Returns ``(True, result)`` when the action went through, ``(False, None)`` when it was
    invalid or conflicted with the current state (the form then carries the reason). A
    ``Denied`` or ``NotFound`` passes through to the error page.
    """
    try:
        with transaction.atomic():
            return True, action()
    except Invalid as exc:
        apply_errors(form, exc)
    except Conflict as exc:
        form.add_error(None, exc.reason)
    return False, None
