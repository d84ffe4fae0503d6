"""What the agreement pages share: loading with access, links, names."""

from __future__ import annotations

from django.urls import reverse

from carepact.agreements import services
from carepact.agreements.services.drafting import get_library_clause
from carepact.core.errors import Invalid, NotFound
from carepact.partnerships import services as partnerships


def load(request, slug: str, agreement_id: int):
    partnership = partnerships.get_partnership(request.user, slug)
    agreement = services.get_agreement(request.user, partnership, agreement_id)
    aa = services.agreement_access(request.user, partnership, agreement)
    return partnership, agreement, aa


def detail_url(agreement, anchor: str = "") -> str:
    url = reverse(
        "agreements:detail",
        kwargs={"slug": agreement.partnership.slug, "agreement_id": agreement.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def party_names(agreement) -> dict[str, str]:
    return {o.slug: o.name for o in services.party_organisations(agreement)}


def library_clause(key: str):
    try:
        return get_library_clause(key)
    except Invalid:
        raise NotFound("No such clause in the library.") from None
