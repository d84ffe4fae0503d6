"""The governance workspace: bodies, meetings, decisions, actions, escalations and risks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet

User = settings.AUTH_USER_MODEL


class Body(models.Model):
    """A governance body: the board, a steering group, a working group."""

    class Kind(models.TextChoices):
        BOARD = "board", "Governance board"
        STEERING = "steering", "Steering group"
        WORKING = "working", "Working group"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BOARD)
    decision_rights = models.TextField(
        blank=True, help_text="What this body may decide, one right per line."
    )
    created_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def rights(self) -> list[str]:
        return [line.strip() for line in self.decision_rights.splitlines() if line.strip()]


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    is_chair = models.BooleanField(default=False)
    votes = models.BooleanField(default=True, help_text="Has a vote on this body's decisions.")

    class Meta:
        ordering = ["-is_chair", "organisation__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "person"], name="body_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.body}"


class Meeting(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    minutes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(max_length=300)
    proposed_by = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["organisation__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"


class Decision(models.Model):
    """What was decided, by which body, proposed by whom, with each party's position."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        REJECTED = "rejected", "Rejected"
        DEFERRED = "deferred", "Deferred"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_for = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    decided_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    recorded_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Position(models.Model):
    """One party's vote or consent on a decision; dissent is kept with its reason."""

    class Vote(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstained"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    vote = models.CharField(max_length=8, choices=Vote.choices)
    note = models.TextField(blank=True, help_text="The reason, above all for dissent.")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "organisation"], name="position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.vote}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class Route(models.Model):
    """Who handles escalations or grievances in a partnership, and how quickly."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="routes")
    kind = models.CharField(
        max_length=10, choices=[("escalation", "Escalation"), ("grievance", "Grievance")]
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    respond_within_days = models.PositiveIntegerField(default=14)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "kind"], name="route_unique")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.body}"


class Escalation(models.Model):
    """An escalation or a grievance; a grievance may hide its author from the other parties."""

    class Kind(models.TextChoices):
        ESCALATION = "escalation", "Escalation"
        GRIEVANCE = "grievance", "Grievance"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_HAND = "in_hand", "Being handled"
        RESOLVED = "resolved", "Resolved"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="escalations"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField()
    raised_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_for = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    anonymous = models.BooleanField(
        default=False, help_text="Hide who raised it from the other parties."
    )
    handled_by = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respond_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(blank=True)
    raised_at = models.DateTimeField(default=clock.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-raised_at"]

    def __str__(self) -> str:
        return self.title


class Risk(models.Model):
    class Category(models.TextChoices):
        PRIORITIES = "priorities", "Conflicting priorities"
        POWER = "power", "Power imbalance"
        REGULATORY = "regulatory", "Regulatory or market change"
        DATA = "data", "Data security and privacy"
        FUNDING = "funding", "Funding"
        CULTURE = "culture", "Culture"
        DELIVERY = "delivery", "Delivery"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=12, choices=Category.choices)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    mitigation = models.TextField(blank=True)
    review_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-likelihood", "-impact", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact
