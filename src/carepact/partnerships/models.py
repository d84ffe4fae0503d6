"""Partnerships, their parties, people's roles in them, stage history and shared glossary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from carepact.accounts.models import Organisation
from carepact.core import clock


class PartnershipType(models.TextChoices):
    PUBLIC_PRIVATE = "public_private", "Public–private"
    INTER_ORGANISATIONAL = "inter_organisational", "Inter-organisational"
    HOSPITAL_HEALTH_TECH = "hospital_health_tech", "Hospital–health-tech"
    ACADEMIC_INDUSTRY = "academic_industry", "Academic–industry"
    CONSORTIUM = "consortium", "Multi-party consortium"


class Stage(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    AGREEING = "agreeing", "Agreeing"
    MOBILISING = "mobilising", "Mobilising"
    OPERATING = "operating", "Operating"
    REVIEWING = "reviewing", "Reviewing"
    SCALING = "scaling", "Scaling"
    CLOSED = "closed", "Closed"


# The lifecycle runs forward one stage at a time; a partnership may step back one stage to
# rework something, and may close at any stage. Gates guard the forward moves only.
LIFECYCLE = [
    Stage.SCOPING,
    Stage.AGREEING,
    Stage.MOBILISING,
    Stage.OPERATING,
    Stage.REVIEWING,
    Stage.SCALING,
]
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.SCOPING: (Stage.AGREEING, Stage.CLOSED),
    Stage.AGREEING: (Stage.MOBILISING, Stage.SCOPING, Stage.CLOSED),
    Stage.MOBILISING: (Stage.OPERATING, Stage.AGREEING, Stage.CLOSED),
    Stage.OPERATING: (Stage.REVIEWING, Stage.CLOSED),
    Stage.REVIEWING: (Stage.SCALING, Stage.OPERATING, Stage.CLOSED),
    Stage.SCALING: (Stage.REVIEWING, Stage.CLOSED),
    Stage.CLOSED: (),
}


def is_forward(current: str, target: str) -> bool:
    return (
        target in LIFECYCLE
        and current in LIFECYCLE
        and LIFECYCLE.index(target) > LIFECYCLE.index(current)
    )


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartnershipQuerySet:
        """The one entry point to partnerships: those the person's organisations are party to.

        Platform administrators see all; anyone else sees only partnerships in which one of
        their organisations is an active party.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        member_party = Party.objects.filter(
            partnership=OuterRef("pk"),
            status=Party.Status.ACTIVE,
            organisation__memberships__user=user,
        )
        return self.filter(Exists(member_party))


class Partnership(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    type = models.CharField(max_length=30, choices=PartnershipType.choices)
    purpose = models.CharField(
        max_length=500, blank=True, help_text="One or two sentences, in plain words."
    )
    vision = models.TextField(
        "shared vision", blank=True, help_text="What the partners want to achieve together."
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SCOPING)
    stage_changed_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def active_parties(self):
        return [p for p in self.parties.all() if p.status == Party.Status.ACTIVE]


class PartnershipScopedQuerySet(models.QuerySet):
    """For anything that belongs to a partnership: visible exactly when its partnership is."""

    partnership_field = "partnership"

    def visible_to(self, user):
        return self.filter(
            **{f"{self.partnership_field}__in": Partnership.objects.visible_to(user)}
        )


class Party(models.Model):
    """An organisation's place in a partnership, from invitation to acceptance."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        PARTNER = "partner", "Partner"
        FUNDER = "funder", "Funder"
        HOST = "host", "Host"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTNER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    message = models.TextField(blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=clock.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="party_unique")
        ]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"
    CHAMPION = "champion", "Champion"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    CLINICAL_CHAMPION = "clinical_champion", "Clinical champion"
    DATA_STEWARD = "data_steward", "Data steward"
    SIGNATORY = "signatory", "Signatory"


class RoleAssignment(models.Model):
    """A person holds a role in a partnership on behalf of one of its party organisations."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "person__full_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "person", "role"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.get_role_display()} in {self.partnership}"


class StageChange(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=12, choices=Stage.choices)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)
    note = models.TextField(blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_stage} → {self.to_stage}"


class GlossaryTerm(models.Model):
    """A term the parties define together, so that they mean the same thing by it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="glossary")
    term = models.CharField(max_length=120)
    definition = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_for = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(Lower("term"), "partnership", name="glossary_term_unique")
        ]

    def __str__(self) -> str:
        return self.term


class GlossaryAgreement(models.Model):
    """One party's agreement to a term's current definition (cleared when it changes)."""

    term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="agreements")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "organisation"], name="glossary_agreement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} agrees {self.term}"
