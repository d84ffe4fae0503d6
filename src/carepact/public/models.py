"""A partnership's public transparency page, and each party's agreement to publish it.

The page is public exactly when every active party has opted in to its current wording
and settings: a party that joins later, a party that withdraws, or a change to the page
takes it down until everyone has agreed again. That is computed, never stored, so it
cannot go stale (``PublicationQuerySet.published``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from carepact.accounts.models import Organisation
from carepact.core import clock
from carepact.partnerships.models import Partnership, PartnershipScopedQuerySet, Party


class ValueShown(models.TextChoices):
    NONE = "none", "No value figures"
    TOTALS = "totals", "Totals only"
    ITEMS = "items", "Each item"


class PublicationQuerySet(PartnershipScopedQuerySet):
    def published(self) -> PublicationQuerySet:
        """Publications every active party of the partnership has opted in to."""
        opted = PublicationOptIn.objects.filter(
            publication=OuterRef(OuterRef("pk")), organisation=OuterRef("organisation")
        )
        missing = Party.objects.filter(
            partnership=OuterRef("partnership"), status=Party.Status.ACTIVE
        ).filter(~Exists(opted))
        any_party = Party.objects.filter(
            partnership=OuterRef("partnership"), status=Party.Status.ACTIVE
        )
        return self.filter(Exists(any_party), ~Exists(missing))


class Publication(models.Model):
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="publication"
    )
    summary = models.TextField(help_text="What the partnership does, in plain words.")
    how_to_opt_out = models.TextField()
    contact = models.CharField(max_length=200, blank=True)
    show_value = models.CharField(
        max_length=6, choices=ValueShown.choices, default=ValueShown.TOTALS
    )
    show_kpis = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=clock.now)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last party opted in (cleared on withdrawal)."
    )

    objects = PublicationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"public page of {self.partnership}"


class PublicationOptIn(models.Model):
    """One party's agreement to publish the page as it currently reads."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="opt_ins")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "organisation"], name="publication_opt_in_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} opts in to {self.publication}"
