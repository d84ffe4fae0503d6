"""Clause library, agreements, their versions, clauses, proposals, signatures, obligations.

An agreement is data: each version holds clauses, each an instance of a library clause
version with typed parameter values. Negotiation happens through proposals on clause slots
(families). When every party has signed, the version is frozen: its canonical JSON and
SHA-256 are stored, and any later change is a new version (an amendment).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.engine.agreements.negotiation import ProposalStatus, VersionStatus
from carepact.engine.agreements.topics import KINDS, TOPICS, Kind, Topic
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet

TOPIC_CHOICES = [(t.value, TOPICS[t].label) for t in Topic]
KIND_CHOICES = [(k.value, KINDS[k].label) for k in Kind]
VERSION_STATUS_CHOICES = [(s.value, s.value.capitalize()) for s in VersionStatus]
PROPOSAL_STATUS_CHOICES = [(s.value, s.value.capitalize()) for s in ProposalStatus]


class Clause(models.Model):
    """A clause in the library; alternatives for one slot share a ``family``."""

    key = models.SlugField(max_length=80, unique=True)
    family = models.SlugField(max_length=80)
    topic = models.CharField(max_length=30, choices=TOPIC_CHOICES)
    title = models.CharField(max_length=200)
    alternative = models.CharField(max_length=200, help_text="What sets this alternative apart.")
    guidance = models.TextField(blank=True, help_text="When to choose it, in a sentence or two.")
    is_starter = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["topic", "family", "key"]

    def __str__(self) -> str:
        return f"{self.title}: {self.alternative}"


class ClauseVersion(models.Model):
    """One wording of a clause with its parameter specs; immutable once an agreement uses it."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    parameters = models.JSONField(default=list, blank=True)
    text = models.TextField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed, and why.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["clause", "number"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "number"], name="clause_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clause.key} v{self.number}"


class Agreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)  # the first draft

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AgreementParty(models.Model):
    """An organisation that is party to an agreement (a subset of the partnership's parties)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.agreement}"


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=VERSION_STATUS_CHOICES, default=VersionStatus.DRAFT.value
    )
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    negotiation_opened_at = models.DateTimeField(null=True, blank=True)
    sent_for_signature_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)  # when the last party signed
    defined_terms = models.JSONField(default=list, blank=True)  # frozen with the version
    canonical = models.TextField(blank=True)  # the canonical JSON, once signed
    hash = models.CharField(max_length=64, blank=True)  # its SHA-256, once signed

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (VersionStatus.SIGNED, VersionStatus.SUPERSEDED)


class AgreementClause(models.Model):
    """A clause in one version: a library clause version and the parameter values."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="clauses")
    clause_version = models.ForeignKey(ClauseVersion, on_delete=models.PROTECT, related_name="uses")
    family = models.SlugField(max_length=80)
    topic = models.CharField(max_length=30, choices=TOPIC_CHOICES)
    parameters = models.JSONField(default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["version", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "family"], name="agreement_clause_slot")
        ]

    def __str__(self) -> str:
        return f"{self.clause_version} in {self.version}"


class Proposal(models.Model):
    """One party's proposed change to one clause slot of a version under negotiation."""

    class Kind(models.TextChoices):
        CHANGE = "change", "Change"
        ADD = "add", "Add"
        REMOVE = "remove", "Remove"

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    family = models.SlugField(max_length=80)
    topic = models.CharField(max_length=30, choices=TOPIC_CHOICES)
    target = models.ForeignKey(
        AgreementClause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clause_version = models.ForeignKey(
        ClauseVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    status = models.CharField(
        max_length=10, choices=PROPOSAL_STATUS_CHOICES, default=ProposalStatus.OPEN.value
    )
    counter_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="counters"
    )
    round = models.PositiveIntegerField(default=1)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "family"],
                condition=Q(status="open"),
                name="one_open_proposal_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.family} by {self.organisation}"


class ProposalResponse(models.Model):
    class Answer(models.TextChoices):
        ACCEPT = "accept", "Accepted"
        REJECT = "reject", "Rejected"
        COUNTER = "counter", "Countered"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="one_answer_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.answer} {self.proposal_id}"


class Signature(models.Model):
    """A party's signature on a version; names are kept as they were when signed."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(max_length=200)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="one_signature_each")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} for {self.organisation_name}"


class Obligation(models.Model):
    """A dated duty that a signed agreement places on one party."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreement_obligations"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="obligations"
    )
    kind = models.CharField(max_length=30)
    description = models.TextField()
    due_on = models.DateField()
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)  # when an amendment replaced it

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_on} ({self.owner})"
