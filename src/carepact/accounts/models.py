"""Organisations, the people in them, invitations and personal API tokens."""

from __future__ import annotations

import pycountry
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q

from carepact.core import clock


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("a person needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address and a password."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Platform administrators: may use the admin site."
    )
    date_joined = models.DateTimeField(default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust or hospital"
    PUBLIC_HEALTH = "public_health", "Public-health body"
    GOVERNMENT = "government", "Government body"
    PHARMA_BIOTECH = "pharma_biotech", "Pharma or biotech company"
    HEALTH_TECH = "health_tech", "Health-tech company"
    ACADEMIA = "academia", "University or research institute"
    CHARITY = "charity", "Charity"
    OTHER = "other", "Other"


# Kinds whose parties need a named executive sponsor before a partnership mobilises.
INDUSTRY_KINDS = frozenset({OrganisationKind.PHARMA_BIOTECH, OrganisationKind.HEALTH_TECH})
# Kinds that hold patient data on behalf of the public.
HEALTHCARE_KINDS = frozenset({OrganisationKind.NHS_TRUST, OrganisationKind.PUBLIC_HEALTH})

COUNTRY_CHOICES = sorted(
    ((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1]
)
COUNTRY_NAMES = dict(COUNTRY_CHOICES)


class Organisation(models.Model):
    """A hospital, trust, company, university, government body or charity."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # ISO 3166-1 alpha-2; validated against pycountry by the service, not stored as choices
    # so that a new pycountry release never needs a migration.
    country = models.CharField(max_length=2, default="GB")
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    ror_id = models.CharField("ROR ID", max_length=9, blank=True)
    companies_house_number = models.CharField("Companies House number", max_length=8, blank=True)
    lei = models.CharField("LEI", max_length=20, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES.get(self.country, self.country)

    @property
    def is_industry(self) -> bool:
        return self.kind in INDUSTRY_KINDS


class Level(models.TextChoices):
    """Where a person sits in their organisation; health checks are surveyed by level."""

    EXECUTIVE = "executive", "Executive"
    MANAGER = "manager", "Manager"
    SPECIALIST = "specialist", "Specialist"
    CLINICIAN = "clinician", "Clinician"


class Membership(models.Model):
    """A person's place in an organisation; admins invite people and answer invitations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    level = models.CharField(max_length=12, choices=Level.choices)
    job_title = models.CharField(max_length=200, blank=True)
    is_admin = models.BooleanField(
        default=False, help_text="May invite people and answer partnership invitations."
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=clock.now()
        )


class Invitation(models.Model):
    """An organisation admin's invitation for a person to join the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    level = models.CharField(max_length=12, choices=Level.choices)
    is_admin = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation to {self.organisation} for {self.email}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        now = clock.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the JSON API; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """A failed sign-in, keyed by a hash of the e-mail address or of the client address."""

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=clock.now, db_index=True)

    def __str__(self) -> str:
        return f"failure at {self.at:%Y-%m-%d %H:%M}"
