"""Count failed sign-ins from every path (the sign-in page, the admin site) for throttling."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from carepact.accounts import throttle


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    email = credentials.get("username") or credentials.get("email")
    throttle.record_failure(email, throttle.client_address(request))


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs):
    throttle.clear(user.email)
