"""The ledger of contributions and benefits, coalition values and the value case.

Money is stored as whole minor units (pence, cents) with its ISO 4217 currency; amounts in
different currencies are never added together (see ``carepact.engine.value.money``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.engine.value.money import format_money
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet


class ContributionKind(models.TextChoices):
    CASH = "cash", "Cash"
    STAFF_TIME = "staff_time", "Staff time"
    DATA = "data", "Data"
    BACKGROUND_IP = "background_ip", "Background IP"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    IN_KIND = "in_kind", "Other in-kind"


class BenefitKind(models.TextChoices):
    REVENUE = "revenue", "Revenue"
    COST_SAVING = "cost_saving", "Cost saving"
    PUBLICATION = "publication", "Publication"
    IP_GENERATED = "ip_generated", "IP generated"
    PRODUCT_SERVICE = "product_service", "Product or service"
    PATIENT_BENEFIT = "patient_benefit", "Patient benefit"
    NHS_FEE = "nhs_fee", "Fee paid to the NHS party"
    NHS_MILESTONE = "nhs_milestone", "Milestone payment to the NHS party"
    NHS_ROYALTY = "nhs_royalty", "Royalty paid to the NHS party"


RETURNED_TO_NHS = frozenset(
    {BenefitKind.NHS_FEE, BenefitKind.NHS_MILESTONE, BenefitKind.NHS_ROYALTY}
)


class Contribution(models.Model):
    """What one party put in, valued in money with the method stated."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ContributionKind.choices)
    description = models.CharField(max_length=300)
    amount_minor = models.BigIntegerField(help_text="The value in minor units (pence, cents).")
    currency = models.CharField(max_length=3, default="GBP")
    fte_months = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    rate_minor = models.BigIntegerField(
        null=True, blank=True, help_text="Staff time: the cost of one FTE-month, minor units."
    )
    valuation_method = models.TextField()
    contributed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["contributed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.description}"

    @property
    def amount(self) -> str:
        """The value with its currency, such as £12,500.00 (empty when it has none)."""
        if self.amount_minor is None:
            return ""
        return format_money(self.amount_minor, self.currency)

    @property
    def rate(self) -> str:
        return format_money(self.rate_minor, self.currency) if self.rate_minor is not None else ""


class Benefit(models.Model):
    """Something the partnership produced, attributed to the parties it benefits."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(max_length=16, choices=BenefitKind.choices)
    description = models.CharField(max_length=300)
    amount_minor = models.BigIntegerField(
        null=True, blank=True, help_text="Empty when the benefit has no money value."
    )
    currency = models.CharField(max_length=3, blank=True)
    valuation_method = models.TextField(blank=True)
    realised_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["realised_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> str:
        """The value with its currency, such as £12,500.00 (empty when it has none)."""
        if self.amount_minor is None:
            return ""
        return format_money(self.amount_minor, self.currency)

    @property
    def returned_to_nhs(self) -> bool:
        return self.kind in RETURNED_TO_NHS


class BenefitShare(models.Model):
    """The part of a benefit attributed to one party, in percent."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-percent", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "organisation"], name="benefit_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.percent}% of {self.benefit} to {self.organisation}"


class CoalitionValues(models.Model):
    """The partners' estimate of what each coalition of them could achieve alone.

    ``values`` maps a coalition, written as the organisation slugs joined by ``+`` in party
    order, to its value as a decimal string. The latest entry is the one in use; earlier
    ones stay as the record of how the estimate changed.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="coalition_values"
    )
    basis = models.CharField(max_length=300)
    unit = models.CharField(max_length=60)
    values = models.JSONField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-entered_at", "-pk"]
        verbose_name_plural = "coalition values"

    def __str__(self) -> str:
        return f"coalition values for {self.partnership} ({self.entered_at:%Y-%m-%d})"


class EvidenceStrength(models.TextChoices):
    ANECDOTAL = "anecdotal", "Anecdote or case studies"
    BEFORE_AFTER = "before_after", "Before-and-after comparison at one site"
    CONTROLLED = "controlled", "Comparison with a control group or site"
    MULTI_SITE = "multi_site", "Controlled comparison across several sites"
    RANDOMISED = "randomised", "Randomised controlled trial"


class ValueCase(models.Model):
    """The one-page case for funders and for scaling; the numbers come from the ledger and
    the outcome KPIs, the words from the partners."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="value_case"
    )
    summary = models.TextField(blank=True)
    sites = models.PositiveIntegerField(null=True, blank=True)
    sites_detail = models.CharField(max_length=300, blank=True)
    population_reached = models.PositiveIntegerField(null=True, blank=True)
    population_detail = models.CharField(max_length=300, blank=True)
    outcome_label = models.CharField(max_length=200, blank=True)
    outcome_quantity = models.FloatField(null=True, blank=True)
    outcome_source = models.CharField(max_length=300, blank=True)
    evidence = models.TextField(blank=True)
    evidence_strength = models.CharField(
        max_length=16, choices=EvidenceStrength.choices, blank=True
    )
    scaling_needs = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"value case of {self.partnership}"
