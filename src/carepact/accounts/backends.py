"""Password sign-in by e-mail address, refused while the address or client is locked out."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from carepact.accounts import throttle


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        address = (email or username or "").strip().lower()
        if not address or password is None:
            return None
        if throttle.lockout_reason(address, throttle.client_address(request)):
            # Stops every backend; Django then reports the attempt as failed.
            raise PermissionDenied("sign-in is paused after repeated failures")
        return super().authenticate(request, username=address, password=password)
