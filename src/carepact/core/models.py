"""The audit trail: an append-only, hash-chained record of every state change."""

from __future__ import annotations

from datetime import UTC

from django.db import models

from carepact.core import clock


class AuditEventQuerySet(models.QuerySet):
    def for_partnership(self, partnership_id: int) -> AuditEventQuerySet:
        return self.filter(scope=f"partnership:{partnership_id}")


class AuditEvent(models.Model):
    """Who did what, on behalf of which organisation, to which object, and when.

    Rows hold identifiers and labels rather than foreign keys, so the trail outlives what it
    describes. Each scope (a partnership, an organisation, the platform) is its own chain, so
    the parties of a partnership can verify their trail without seeing anyone else's.
    """

    scope = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=clock.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=300, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    message = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["scope", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "seq"], name="audit_scope_seq_unique"),
        ]
        indexes = [models.Index(fields=["scope", "action"]), models.Index(fields=["actor_id"])]

    def __str__(self) -> str:
        return f"{self.scope}#{self.seq} {self.action}"

    def payload(self) -> dict:
        """The fields the hash covers, in a form that survives a database round trip."""
        return {
            "scope": self.scope,
            "seq": self.seq,
            "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organisation_id": self.organisation_id,
            "organisation_label": self.organisation_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "message": self.message,
            "summary": self.summary,
        }


class AuditHead(models.Model):
    """The last event of each chain; appends lock it so one chain grows one event at a time."""

    scope = models.CharField(max_length=64, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.scope} at {self.seq}"


class DemoLoad(models.Model):
    """Marks that an app's demo data is in this database, so the demo loads once."""

    app = models.CharField(max_length=60, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"demo of {self.app}"
