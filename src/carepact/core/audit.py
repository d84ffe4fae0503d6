"""Record audit events inside the service's transaction, and verify the chains."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from carepact.core import clock
from carepact.core.models import AuditEvent, AuditHead
from carepact.engine import hashchain

PLATFORM_SCOPE = "platform"


def scope_for(*, partnership: Any = None, organisation: Any = None) -> str:
    if partnership is not None:
        return f"partnership:{partnership.pk}"
    if organisation is not None:
        return f"organisation:{organisation.pk}"
    return PLATFORM_SCOPE


def _label(obj: Any) -> str:
    return str(obj)[:300] if obj is not None else ""


def record(
    actor: Any,
    *,
    action: str,
    obj: Any = None,
    message: str = "",
    summary: dict[str, Any] | None = None,
    partnership: Any = None,
    organisation: Any = None,
    object_type: str | None = None,
) -> AuditEvent:
    """Append one event to the chain of the partnership (or organisation, or platform).

    Must run inside the caller's transaction, so the event and the change it describes are
    committed together or not at all. ``organisation`` is the organisation the actor acted
    for; ``summary`` holds identifiers, labels and changed values, never patient data.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the service's transaction")
    scope = scope_for(partnership=partnership, organisation=organisation)
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        scope=scope, defaults={"seq": 0, "hash": hashchain.GENESIS}
    )
    event = AuditEvent(
        scope=scope,
        seq=head.seq + 1,
        created_at=clock.now(),
        actor_id=getattr(actor, "pk", None),
        actor_label=_label(actor),
        organisation_id=getattr(organisation, "pk", None),
        organisation_label=_label(organisation),
        action=action,
        object_type=object_type or (obj._meta.model_name if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_label=_label(obj),
        message=message,
        summary=summary or {},
        prev_hash=head.hash,
    )
    # Round-trip the summary through JSON now, so the hash covers what the database returns.
    event.summary = _json_roundtrip(event.summary)
    event.hash = hashchain.link_hash(event.payload(), event.prev_hash)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def _json_roundtrip(value: Any) -> Any:
    return json.loads(hashchain.canonical_json(value))


@dataclass(frozen=True)
class ChainReport:
    scope: str
    events: int
    broken: hashchain.Break | None


def _entries(scope: str) -> Iterator[hashchain.Entry]:
    for event in AuditEvent.objects.filter(scope=scope).order_by("seq", "id").iterator():
        yield hashchain.Entry(
            ref=f"event {event.pk} ({event.action}, position {event.seq})",
            seq=event.seq,
            payload=event.payload(),
            prev_hash=event.prev_hash,
            hash=event.hash,
        )


def verify(scopes: list[str] | None = None) -> list[ChainReport]:
    """Recompute every chain (or the given ones); each report names its first break."""
    if scopes is None:
        found = set(AuditEvent.objects.values_list("scope", flat=True).distinct())
        found |= set(AuditHead.objects.values_list("scope", flat=True))
        scopes = sorted(found)
    reports = []
    for scope in scopes:
        head = AuditHead.objects.filter(scope=scope).first()
        entries = list(_entries(scope))
        broken = hashchain.verify(
            entries,
            head_seq=head.seq if head else 0,
            head_hash=head.hash if head else None,
        )
        reports.append(ChainReport(scope=scope, events=len(entries), broken=broken))
    return reports
