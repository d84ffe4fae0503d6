"""Datasets offered in a partnership, access requests and their reviews, releases and their
downloads, and the obligations a withdrawal places on the recipients of past releases."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet


class ColumnRole(models.TextChoices):
    DIRECT = "direct_identifier", "Direct identifier"
    QUASI = "quasi_identifier", "Quasi-identifier"
    SENSITIVE = "sensitive", "Sensitive"
    OTHER = "other", "Other"


class JobStatus(models.TextChoices):
    NONE = "", "Not run"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Dataset(models.Model):
    """A table of patient data a data-owning organisation offers in one partnership.

    ``columns`` holds one entry per column: ``{"name", "type", "role", "hierarchy",
    "widths", "hierarchy_file"}``; ``hierarchy`` (for quasi-identifiers) is one of the
    release engine's kinds. The draft terms are what govern the dataset until a signed
    data-sharing agreement covers it.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="datasets")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="datasets")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    location = models.CharField(
        max_length=500,
        help_text="A Parquet or CSV file, a folder of them, or a DuckDB database table "
        "(path#table), under the data directory's datasets folder.",
    )
    patient_id_column = models.CharField(max_length=100)
    columns = models.JSONField(default=list, blank=True)
    article6 = models.CharField("lawful basis (UK GDPR Article 6)", max_length=40, blank=True)
    article9 = models.CharField("condition (UK GDPR Article 9)", max_length=40, blank=True)
    # The default release spec: what every release of this dataset starts from.
    k = models.PositiveIntegerField(default=10)
    l_diversity = models.PositiveIntegerField("l", null=True, blank=True)
    suppression_limit = models.FloatField(default=0.05)
    approvals_required = models.PositiveSmallIntegerField(default=1)
    # Terms drafted on the dataset, in force until a signed agreement covers it.
    draft_permission = models.CharField(max_length=80, blank=True)
    draft_modifiers = models.JSONField(default=list, blank=True)
    draft_recipients = models.JSONField(default=list, blank=True)  # organisation slugs
    draft_starts_on = models.DateField(null=True, blank=True)
    draft_expires_on = models.DateField(null=True, blank=True)
    # Profiling, run as a background job.
    row_count = models.PositiveBigIntegerField(null=True, blank=True)
    profile = models.JSONField(default=dict, blank=True)
    profile_status = models.CharField(max_length=10, choices=JobStatus.choices, blank=True)
    profile_error = models.TextField(blank=True)
    profiled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["owner__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="dataset_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def columns_with(self, role: str) -> list[str]:
        return [c["name"] for c in self.columns if c.get("role") == role]

    @property
    def releasable_columns(self) -> list[str]:
        """Columns a recipient may ask for: everything but direct identifiers and the id."""
        return [
            c["name"]
            for c in self.columns
            if c.get("role") != ColumnRole.DIRECT and c["name"] != self.patient_id_column
        ]

    @property
    def policy_key(self) -> str:
        """The dataset's id in Cedar policies (dataset slugs are unique on the instance)."""
        return self.slug

    @property
    def lawful_basis(self) -> list[str]:
        from carepact.engine.agreements.terms import ART6, ART9

        return [t[v] for t, v in ((ART6, self.article6), (ART9, self.article9)) if v in t]


class AccessRequest(models.Model):
    """A person at a partner asks for a dataset (or some of its columns) for a purpose."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for review"
        CHANGES = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="access_requests"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    columns = models.JSONField(default=list, blank=True)  # empty: every releasable column
    purpose = models.CharField(max_length=80, help_text="A DUO purpose code.")
    lay_summary = models.TextField()
    public_benefit = models.TextField()
    ethics_reference = models.CharField(max_length=100, blank=True)
    project = models.CharField(max_length=200, blank=True)
    commercial_use = models.BooleanField(default=False)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decision = models.JSONField(default=dict, blank=True)  # the policy decision, explained
    terms_reference = models.CharField(max_length=300, blank=True)
    approvals_required = models.PositiveSmallIntegerField(default=1)
    submitted_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)  # why rejected, or what to change
    created_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"request {self.pk} for {self.dataset}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.CHANGES)


class Review(models.Model):
    """One data steward's answer to a request."""

    class Verdict(models.TextChoices):
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"
        CHANGES = "changes", "Ask for changes"

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    note = models.TextField(blank=True)
    round = models.PositiveSmallIntegerField(default=1)  # a resubmission starts a new round
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.verdict} by {self.reviewer}"


class Release(models.Model):
    """One run of the release engine for an approved request, and what it produced."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="releases")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="releases")
    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="releases")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)  # scan | search | write
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)  # why it failed; never a data value
    spec = models.JSONField(default=dict, blank=True)
    files = models.JSONField(default=dict, blank=True)  # name -> path under the data dir
    manifest = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    rows_in = models.PositiveBigIntegerField(null=True, blank=True)
    excluded_by_consent = models.PositiveBigIntegerField(null=True, blank=True)
    suppressed = models.PositiveBigIntegerField(null=True, blank=True)
    released = models.PositiveBigIntegerField(null=True, blank=True)
    k_achieved = models.PositiveIntegerField(null=True, blank=True)
    consent_exclusions = models.PositiveIntegerField(null=True, blank=True)
    consent_as_of = models.DateTimeField(null=True, blank=True)
    pseudonym_key_id = models.CharField(max_length=16, blank=True)
    membership_key_id = models.CharField(max_length=16, blank=True)
    terms_reference = models.CharField(max_length=300, blank=True)
    expires_on = models.DateField(null=True, blank=True)  # downloads stop after this day
    retired_at = models.DateTimeField(null=True, blank=True)  # deleted or replaced by recipient
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"release {self.pk} of {self.dataset}"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class Download(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="downloads")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"download of {self.release} by {self.person}"


class WithdrawalObligation(models.Model):
    """A recipient must delete or replace a past release that contains withdrawn patients."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="withdrawal_obligations"
    )
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="obligations")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    patients = models.PositiveIntegerField(default=0)  # how many withdrew; never who
    consent_records = models.JSONField(default=list, blank=True)  # the choices' record ids
    due_on = models.DateField()
    created_at = models.DateTimeField(default=clock.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, blank=True)  # deleted | replaced
    note = models.TextField(blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"obligation on {self.release}"
