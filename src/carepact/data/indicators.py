"""The data app's indicators for other apps to read (see core.indicators)."""

from __future__ import annotations

from carepact.agreements.models import Obligation as AgreementObligation
from carepact.core.indicators import Reading, provide

from . import policies
from .models import AccessRequest, JobStatus, Release, WithdrawalObligation


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _open_requests(partnership) -> Reading:
    n = AccessRequest.objects.filter(
        partnership=partnership, status=AccessRequest.Status.SUBMITTED
    ).count()
    return Reading(n, detail=f"{_plural(n, 'access request')} waiting for a decision")


def _obligations(partnership, *, overdue: bool) -> Reading:
    today = policies.today()
    withdrawals = WithdrawalObligation.objects.filter(
        partnership=partnership, acknowledged_at__isnull=True
    )
    agreed = AgreementObligation.objects.filter(
        partnership=partnership, met_at__isnull=True, cancelled_at__isnull=True
    )
    if overdue:
        withdrawals, agreed = withdrawals.filter(due_on__lt=today), agreed.filter(due_on__lt=today)
    w, a = withdrawals.count(), agreed.count()
    what = "past their due date" if overdue else "not yet met"
    return Reading(
        w + a,
        detail=f"{_plural(w + a, 'obligation')} {what}: {w} after withdrawals, {a} from agreements",
    )


def _releases(partnership) -> Reading:
    n = Release.objects.filter(partnership=partnership, status=JobStatus.SUCCEEDED).count()
    return Reading(n, detail=f"{_plural(n, 'completed release')}")


provide("open_access_requests", _open_requests)
provide("open_obligations", lambda p: _obligations(p, overdue=False))
provide("overdue_obligations", lambda p: _obligations(p, overdue=True))
provide("releases", _releases)
