"""Shared objectives with their accountable owners, KPIs and measurements."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.engine.outcomes import periods, status
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet


class KpiType(models.TextChoices):
    PATIENT_OUTCOME = "patient_outcome", "Patient outcome"
    PATIENT_EXPERIENCE = "patient_experience", "Patient experience"
    EQUITY = "equity", "Equity"
    PROCESS = "process", "Process"
    FINANCIAL = "financial", "Financial"


# What patients would recognise as a result: these are the outcome KPIs a value case and a
# public page report; process and financial KPIs stay inside the partnership.
OUTCOME_TYPES = frozenset({KpiType.PATIENT_OUTCOME, KpiType.PATIENT_EXPERIENCE, KpiType.EQUITY})

KPI_TYPE_HELP = {
    KpiType.PATIENT_OUTCOME: "A change in patients' health: survival, stage at diagnosis, "
    "time to diagnosis or treatment, complications, readmissions.",
    KpiType.PATIENT_EXPERIENCE: "What patients report about their care (PREMs) or their "
    "health (PROMs).",
    KpiType.EQUITY: "A difference between population groups that the partnership sets out "
    "to narrow.",
    KpiType.PROCESS: "Activity or throughput of the service: images read, records linked, "
    "meetings held. Useful, but not an outcome.",
    KpiType.FINANCIAL: "Money: costs, savings, income.",
}


class Direction(models.TextChoices):
    INCREASE = status.Direction.INCREASE.value, "Higher is better"
    DECREASE = status.Direction.DECREASE.value, "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = periods.Frequency.MONTHLY.value, "Monthly"
    QUARTERLY = periods.Frequency.QUARTERLY.value, "Quarterly"
    ANNUALLY = periods.Frequency.ANNUALLY.value, "Annually"


class Dimension(models.TextChoices):
    AGE_BAND = "age_band", "Age band"
    SEX = "sex", "Sex"
    ETHNICITY = "ethnicity", "Ethnicity"
    DEPRIVATION = "deprivation", "Deprivation"


class Source(models.TextChoices):
    HAND = "hand", "Entered by hand"
    CSV = "csv", "CSV import"
    API = "api", "API"


class Objective(models.Model):
    """Something the partners set out to achieve together, owned by people of two or more
    parties (the joint-accountability rule, see ``rules.joint_accountability``)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ObjectiveOwner(models.Model):
    """A person accountable for an objective, on behalf of one party organisation."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="owners")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_objectives"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["organisation__name", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "person"], name="objective_owner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation}) owns {self.objective}"


class Kpi(models.Model):
    """A measure of an objective, with a baseline, a target and a path between them."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="kpis")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=KpiType.choices)
    unit = models.CharField(max_length=60)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline = models.FloatField()
    baseline_date = models.DateField()
    target = models.FloatField()
    target_date = models.DateField()
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    tolerance_percent = models.PositiveSmallIntegerField(
        "at-risk band (%)",
        default=10,
        help_text="How far behind the planned path, as a share of the way from baseline to "
        "target, still counts as at risk rather than off track.",
    )
    data_source = models.CharField(max_length=300)
    method = models.TextField(help_text="How the value is calculated, so others can repeat it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["objective_id", "created_at", "pk"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return self.name

    @property
    def is_outcome(self) -> bool:
        return self.type in OUTCOME_TYPES

    def path(self) -> status.Target:
        return status.Target(
            baseline=self.baseline,
            baseline_date=self.baseline_date,
            target=self.target,
            target_date=self.target_date,
            direction=status.Direction(self.direction),
            tolerance=self.tolerance_percent / 100,
        )

    def period_end(self, period: date) -> date:
        """The last day of the period starting ``period``: the day its value describes."""
        return periods.next_period(period, self.frequency) - timedelta(days=1)

    def period_label(self, period: date) -> str:
        return periods.period_label(period, self.frequency)


class Measurement(models.Model):
    """One value of a KPI for one period: overall, or for one population group."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(help_text="The first day of the period the value describes.")
    value = models.FloatField()
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people the value is based on, if known."
    )
    dimension = models.CharField(max_length=12, choices=Dimension.choices, blank=True)
    population_group = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=4, choices=Source.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="recorded_measurements",
    )
    recorded_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["period", "dimension", "population_group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period", "dimension", "population_group"],
                name="measurement_unique_per_period_and_group",
            )
        ]
        indexes = [models.Index(fields=["kpi", "dimension", "period"])]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} for {self.period:%Y-%m}"

    @property
    def is_overall(self) -> bool:
        return not self.dimension
