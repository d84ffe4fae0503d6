"""Publishing a partnership's transparency page: its settings and each party's opt-in.

The page is public only while every active party has opted in to its current settings.
Changing the settings clears every opt-in (each party agreed to a page, not to whatever it
might become); withdrawing one party's opt-in takes the page down. Every step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from carepact.accounts.models import Membership, Organisation, User
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.partnerships.models import Partnership, Party, Role, RoleAssignment
from carepact.public.models import Publication, PublicationOptIn, ValueShown
from carepact.public.rules import may_speak_for_party

SETTINGS = ("summary", "how_to_opt_out", "contact", "show_value", "show_kpis")

DEFAULT_OPT_OUT = (
    "You can choose whether your confidential patient information is used for research and "
    "planning through the National Data Opt-out (www.nhs.uk/your-nhs-data-matters), and you "
    "can ask the trust to stop using your data in this partnership at any time. Ask the "
    "trust's data protection officer, or the contact below."
)


# -- what the public may see -----------------------------------------------------------------


def published() -> QuerySet[Publication]:
    return (
        Publication.objects.published().select_related("partnership").order_by("partnership__title")
    )


def get_published(slug: str) -> Publication:
    """The publication of a published partnership; anything else is 404, logged in or not."""
    publication = published().filter(partnership__slug=slug).first()
    if publication is None:
        raise NotFound("No such public page.")
    return publication


def is_published(partnership: Partnership) -> bool:
    return Publication.objects.published().filter(partnership=partnership).exists()


# -- who speaks for whom ---------------------------------------------------------------------


def speaks_for(actor: User, partnership: Partnership) -> list[Organisation]:
    """The party organisations the actor may opt in (or change the page) for."""
    memberships = Membership.objects.filter(
        user=actor,
        organisation__parties__partnership=partnership,
        organisation__parties__status=Party.Status.ACTIVE,
    ).select_related("organisation")
    lead_for = set(
        RoleAssignment.objects.filter(
            partnership=partnership, person=actor, role=Role.LEAD
        ).values_list("organisation_id", flat=True)
    )
    return [
        m.organisation
        for m in memberships
        if may_speak_for_party(
            is_party_member=True,
            is_org_admin=m.is_admin,
            is_lead_for_org=m.organisation_id in lead_for,
        )
    ]


def check_speaks(actor: User, partnership: Partnership, organisation=None) -> list:
    """The organisations the actor speaks for; Denied (with the rule's reason) when none fit."""
    mine = speaks_for(actor, partnership)
    if organisation is not None:
        if not Party.objects.filter(
            partnership=partnership, organisation=organisation, status=Party.Status.ACTIVE
        ).exists():
            raise Invalid(
                f"{organisation} is not an active party to this partnership.",
                errors={"organisation": ["Choose a party."]},
            )
        if organisation not in mine:
            member = Membership.objects.filter(user=actor, organisation=organisation).exists()
            may_speak_for_party(
                is_party_member=member, is_org_admin=False, is_lead_for_org=False
            ).check()
    elif not mine:
        may_speak_for_party(is_party_member=True, is_org_admin=False, is_lead_for_org=False).check()
    return mine


# -- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    publication: Publication | None
    parties: list[tuple[Organisation, PublicationOptIn | None]]
    published: bool

    @property
    def waiting_for(self) -> list[Organisation]:
        return [o for o, opt_in in self.parties if opt_in is None]


def status(partnership: Partnership) -> Status:
    publication = (
        Publication.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch("opt_ins", queryset=PublicationOptIn.objects.select_related("by"))
        )
        .first()
    )
    opted = {o.organisation_id: o for o in publication.opt_ins.all()} if publication else {}
    parties = [
        (p.organisation, opted.get(p.organisation_id))
        for p in partnership.parties.filter(status=Party.Status.ACTIVE)
        .select_related("organisation")
        .order_by("invited_at", "pk")
    ]
    published = publication is not None and bool(parties) and all(o for _, o in parties)
    return Status(publication, parties, published)


# -- changing it -----------------------------------------------------------------------------


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise Invalid(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors: dict[str, list[str]] = {}
    if not cleaned.get("summary"):
        errors["summary"] = ["Say in plain words what the partnership does with patient data."]
    elif len(cleaned["summary"]) > 2000:
        errors["summary"] = ["Keep it under 2,000 characters."]
    if not cleaned.get("how_to_opt_out"):
        errors["how_to_opt_out"] = ["Say how a patient can opt out or withdraw."]
    if len(cleaned.get("contact") or "") > 200:
        errors["contact"] = ["Keep it under 200 characters."]
    if cleaned.get("show_value") not in ValueShown.values:
        errors["show_value"] = ["Choose what to show of the value returned."]
    if not isinstance(cleaned.get("show_kpis"), bool):
        errors["show_kpis"] = ["Say whether to show the outcome KPIs."]
    if errors:
        raise Invalid("The public page needs correcting.", errors=errors)
    cleaned.setdefault("contact", "")
    return cleaned


def save_settings(actor: User, partnership: Partnership, **fields) -> Publication:
    """Write or change what the public page says; any change asks every party again."""
    mine = check_speaks(actor, partnership)
    cleaned = _clean(fields)
    publication = Publication.objects.filter(partnership=partnership).first()
    was_published = is_published(partnership)
    if publication is None:
        publication = Publication(partnership=partnership)
        changed = sorted(cleaned)
    else:
        changed = sorted(k for k, v in cleaned.items() if getattr(publication, k) != v)
        if not changed:
            return publication
    for name, value in cleaned.items():
        setattr(publication, name, value)
    publication.updated_by, publication.updated_at = actor, clock.now()
    publication.published_at = None
    publication.save()
    cleared = publication.opt_ins.count()
    publication.opt_ins.all().delete()
    taken_down = (
        " The page is no longer public until every party opts in again." if was_published else ""
    )
    audit.record(
        actor,
        action="publication.settings",
        obj=publication,
        partnership=partnership,
        organisation=mine[0],
        message=(
            f"{actor} changed the public page ({', '.join(changed)}); "
            f"{cleared} opt-in{'s' if cleared != 1 else ''} cleared.{taken_down}"
        ),
        summary={"changed": changed, "opt_ins_cleared": cleared, "was_published": was_published},
    )
    return publication


def opt_in(actor: User, partnership: Partnership, *, organisation: Organisation) -> Status:
    """Agree, for one party, to publish the page as it reads now."""
    check_speaks(actor, partnership, organisation)
    publication = Publication.objects.filter(partnership=partnership).first()
    if publication is None:
        raise Conflict("There is no public page to agree to yet: write it first.")
    if publication.opt_ins.filter(organisation=organisation).exists():
        raise Conflict(f"{organisation} has already opted in to this page.")
    now = clock.now()
    PublicationOptIn.objects.create(
        publication=publication, organisation=organisation, by=actor, at=now
    )
    audit.record(
        actor,
        action="publication.opt_in",
        obj=publication,
        partnership=partnership,
        organisation=organisation,
        message=f"{actor} agreed for {organisation} to publish the public page.",
        summary={"organisation": organisation.name},
    )
    result = status(partnership)
    if result.published:
        publication.published_at = now
        publication.save(update_fields=["published_at"])
        audit.record(
            actor,
            action="publication.publish",
            obj=publication,
            partnership=partnership,
            organisation=organisation,
            message="Every party has opted in: the public page is published.",
            summary={"parties": [o.name for o, _ in result.parties]},
        )
    return result


def withdraw(actor: User, partnership: Partnership, *, organisation: Organisation) -> Status:
    """Withdraw one party's opt-in; the page stops being public at once."""
    check_speaks(actor, partnership, organisation)
    publication = Publication.objects.filter(partnership=partnership).first()
    opted = publication.opt_ins.filter(organisation=organisation).first() if publication else None
    if opted is None:
        raise Conflict(f"{organisation} has not opted in, so there is nothing to withdraw.")
    was_published = is_published(partnership)
    opted.delete()
    publication.published_at = None
    publication.save(update_fields=["published_at"])
    audit.record(
        actor,
        action="publication.withdraw",
        obj=publication,
        partnership=partnership,
        organisation=organisation,
        message=(
            f"{actor} withdrew {organisation}'s agreement to publish the public page."
            + (" The page is no longer public." if was_published else "")
        ),
        summary={"organisation": organisation.name, "was_published": was_published},
    )
    return status(partnership)
