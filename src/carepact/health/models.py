"""Health-check rounds, who was invited, and the answers, kept apart so they cannot be joined.

An :class:`Invitation` knows the person and whether they have answered; a
:class:`Response` knows only a pseudonymous respondent token, the party and the level. No
column links one to the other, responses carry no timestamp, and the link between a
response in progress and its invitation (``draft_key``) is erased when it is submitted.
See docs/adr/0007-health-check-anonymity-and-suppression.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from carepact.accounts.models import Level, Organisation
from carepact.core import clock
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet


class SurveyLevel(models.TextChoices):
    """The three levels a health check compares (seed 000: leaders, managers, experts)."""

    LEADER = "leader", "Leader"
    MANAGER = "manager", "Manager"
    SPECIALIST = "specialist", "Specialist or clinician"


# A person's level in their organisation, as the health check groups it: clinicians are
# subject-matter experts alongside specialists (research §7.3).
LEVEL_FOR_MEMBERSHIP = {
    Level.EXECUTIVE: SurveyLevel.LEADER,
    Level.MANAGER: SurveyLevel.MANAGER,
    Level.SPECIALIST: SurveyLevel.SPECIALIST,
    Level.CLINICIAN: SurveyLevel.SPECIALIST,
}


class HealthSettings(models.Model):
    """How a partnership reads its health checks: party weights, agreed shares, thresholds."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="health_settings"
    )
    party_weights = models.JSONField(default=dict, blank=True)  # organisation slug -> weight
    intended_shares = models.JSONField(default=dict, blank=True)  # organisation slug -> share
    thresholds = models.JSONField(default=dict, blank=True)  # rule threshold overrides
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "health settings"

    def __str__(self) -> str:
        return f"health settings of {self.partnership}"


class Round(models.Model):
    """One health check: every member of every party is asked, once, until it closes."""

    class Kind(models.TextChoices):
        FULL = "full", "Full health check"
        PULSE = "pulse", "Pulse (14 statements)"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="health_rounds"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FULL)
    instrument = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=clock.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closes_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The parties when the round opened: [{"key": slug, "name": ..., "industry": bool}].
    parties = models.JSONField(default=list)
    # Structural indicators S1-S6 and behavioural shares, as they read when the round closed.
    structural = models.JSONField(default=dict, blank=True)
    behavioural = models.JSONField(default=dict, blank=True)
    # The report (carepact.health.report/1), computed when the round closes and again when
    # the partnership changes its health settings; never computed while the round is open.
    report = models.JSONField(default=dict, blank=True)
    reminders_sent = models.PositiveIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="health_round_unique")
        ]

    def __str__(self) -> str:
        return f"health check {self.number} of {self.partnership}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Invitation(models.Model):
    """A person asked to answer a round, and whether they have. Never linked to the answer."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=12, choices=SurveyLevel.choices)
    nonce = models.CharField(max_length=40, unique=True)
    responded = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "organisation__name", "level"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="health_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"invitation to {self.round}"


class Response(models.Model):
    """The answers of one respondent: a pseudonymous token, their party and level, and nothing else.

    ``respondent`` is a keyed hash of (partnership, person) that pairs a person's answers
    across rounds without naming them; ``draft_key`` finds a response in progress from its
    link and is cleared on submission.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    party = models.CharField(max_length=80)  # the organisation's slug
    level = models.CharField(max_length=12, choices=SurveyLevel.choices)
    respondent = models.CharField(max_length=64)
    draft_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    answers = models.JSONField(default=dict, blank=True)
    submitted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="health_response_unique")
        ]

    def __str__(self) -> str:
        return f"a response to {self.round}"
