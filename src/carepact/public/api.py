"""Public pages as JSON (no authentication), and publishing them (the parties only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from ninja import Router, Schema

from carepact.accounts.models import Organisation
from carepact.core.errors import Invalid
from carepact.partnerships import services as partnerships
from carepact.public import services
from carepact.public.transparency import public_view

router = Router(tags=["public pages"])


class PublicSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    parties: list[str]
    published_at: str | None


class PublicationIn(Schema):
    summary: str
    how_to_opt_out: str
    contact: str = ""
    show_value: str = "totals"
    show_kpis: bool = True


class PartyIn(Schema):
    organisation: str  # slug of the party you speak for


class OptInOut(Schema):
    organisation: str
    opted_in: bool
    by: str | None
    at: datetime | None


class PublicationOut(Schema):
    written: bool
    published: bool
    url: str
    settings: PublicationIn | None
    parties: list[OptInOut]
    you_speak_for: list[str]


def _publication_out(request, partnership) -> dict:
    current = services.status(partnership)
    publication = current.publication
    return {
        "written": publication is not None,
        "published": current.published,
        "url": f"/public/{partnership.slug}/",
        "settings": {name: getattr(publication, name) for name in services.SETTINGS}
        if publication
        else None,
        "parties": [
            {
                "organisation": o.slug,
                "opted_in": opted is not None,
                "by": str(opted.by) if opted and opted.by else None,
                "at": opted.at if opted else None,
            }
            for o, opted in current.parties
        ],
        "you_speak_for": [o.slug for o in services.speaks_for(request.auth, partnership)],
    }


def _organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Invalid("No organisation with that slug.", errors={"organisation": ["Unknown."]})
    return organisation


@router.get(
    "/public/partnerships",
    response=list[PublicSummaryOut],
    auth=None,
    summary="Published partnerships (no sign-in)",
)
def public_index(request):
    found = []
    for publication in services.published():
        view = public_view(publication)
        found.append(
            {
                "slug": view["slug"],
                "title": view["title"],
                "summary": view["summary"],
                "parties": [p["name"] for p in view["parties"]],
                "published_at": view["published_at"],
            }
        )
    return found


@router.get(
    "/public/partnerships/{slug}",
    response=dict[str, Any],
    auth=None,
    summary="A published partnership's public page (no sign-in)",
)
def public_page(request, slug: str):
    return public_view(services.get_published(slug))


@router.get("/partnerships/{slug}/publication", response=PublicationOut, summary="Publishing")
def get_publication(request, slug: str):
    return _publication_out(request, partnerships.get_partnership(request.auth, slug))


@router.put(
    "/partnerships/{slug}/publication",
    response=PublicationOut,
    summary="Write or change the public page (clears every opt-in)",
)
def put_publication(request, slug: str, payload: PublicationIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.save_settings(request.auth, partnership, **payload.dict())
    return _publication_out(request, partnership)


@router.post(
    "/partnerships/{slug}/publication/opt-in",
    response=PublicationOut,
    summary="Opt in for a party; published when every party has",
)
def opt_in(request, slug: str, payload: PartyIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.opt_in(request.auth, partnership, organisation=_organisation(payload.organisation))
    return _publication_out(request, partnership)


@router.post(
    "/partnerships/{slug}/publication/withdraw",
    response=PublicationOut,
    summary="Withdraw a party's opt-in; the page stops being public",
)
def withdraw(request, slug: str, payload: PartyIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    with transaction.atomic():
        services.withdraw(
            request.auth, partnership, organisation=_organisation(payload.organisation)
        )
    return _publication_out(request, partnership)
