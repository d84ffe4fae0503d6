"""The consent registry of a data-owning organisation: patients' choices, imports, codes.

A patient is known here only by a keyed hash of their NHS number (HMAC-SHA-256 under the
organisation's registry key, see ``registry.py``), never by the number itself. Each choice
is a row: permit or deny, for which purposes, for which recipients, in which partnership,
over which period, made when and reported by whom. The most recent choice that covers a
use decides it (``choices.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.partnerships.models import Partnership


class Source(models.TextChoices):
    STAFF = "staff", "Entered by staff"
    FHIR = "fhir", "FHIR Consent import"
    NATIONAL_OPT_OUT = "national_opt_out", "National data opt-out list"
    PATIENT = "patient", "The patient, on the patient page"


class Decision(models.TextChoices):
    PERMIT = "permit", "Permit"
    DENY = "deny", "Deny"


class Recipients(models.TextChoices):
    ALL = "all", "Any recipient"
    COMMERCIAL = "commercial", "Commercial recipients only"
    NON_COMMERCIAL = "non_commercial", "Non-commercial recipients only"


def new_record_id() -> str:
    return str(uuid.uuid4())


class ConsentRecord(models.Model):
    """One choice of one patient, as the registry of one organisation holds it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consent_records"
    )
    # HMAC-SHA-256 (hex) of the normalised NHS number under the registry key named by key_id.
    patient = models.CharField(max_length=64, db_index=True)
    key_id = models.CharField(max_length=16)
    # A stable identifier of the record (ISO/IEC TS 27560 style), also its FHIR Consent.id.
    record_id = models.CharField(max_length=64, default=new_record_id)
    decision = models.CharField(max_length=6, choices=Decision.choices)
    purposes = models.JSONField(
        default=list, blank=True, help_text="DUO purpose codes; empty means every purpose."
    )
    recipients = models.CharField(max_length=16, choices=Recipients.choices, default=Recipients.ALL)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty means every partnership the organisation shares data in.",
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(help_text="When the patient made the choice.")
    source = models.CharField(max_length=20, choices=Source.choices)
    batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_id"], name="consent_record_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="consent_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "patient", "recorded_at"])]

    def __str__(self) -> str:
        return f"consent record {self.record_id}"

    @property
    def is_withdrawal(self) -> bool:
        return self.decision == Decision.DENY

    def plain_words(self) -> str:
        """What the choice covers, for the patient: 'use of your data by companies in ...'."""
        from carepact.engine.policy import purposes as duo

        who = {
            Recipients.ALL: "use of your data",
            Recipients.COMMERCIAL: "use of your data by companies",
            Recipients.NON_COMMERCIAL: "use of your data by non-commercial organisations",
        }[self.recipients]
        what = (
            f" for {', '.join(duo.parse(p).label for p in self.purposes)}" if self.purposes else ""
        )
        where = f"in {self.partnership.title}" if self.partnership else "in every partnership"
        return f"{who}{what}, {where}"

    def scope_words(self) -> str:
        """What the choice covers, in words, without the patient."""
        parts = [self.partnership.title if self.partnership else "every partnership"]
        if self.recipients != Recipients.ALL:
            parts.append(self.get_recipients_display().lower())
        if self.purposes:
            parts.append("purposes " + ", ".join(self.purposes))
        return "; ".join(parts)


class ImportBatch(models.Model):
    """One file imported into a registry, with what was taken and what was refused."""

    class Kind(models.TextChoices):
        FHIR = "fhir", "FHIR Consent resources"
        OPT_OUTS = "opt_outs", "National data opt-out list"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consent_imports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    entries = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # [{"at": "line 4", "reason": "..."}]: positions and reasons only, never a value.
    rejections = models.JSONField(default=list, blank=True)
    skips = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk}"


class PatientCode(models.Model):
    """A one-time code staff give a patient to reach their page; only its hash is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    patient = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"patient code {self.pk}"


class CodeGuess(models.Model):
    """A wrong patient code from one client (a hash of its address), for throttling."""

    client = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=clock.now, db_index=True)

    def __str__(self) -> str:
        return f"wrong code at {self.at:%Y-%m-%d %H:%M}"
