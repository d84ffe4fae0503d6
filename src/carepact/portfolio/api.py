"""The portfolio as JSON: the same rows as the page and the command."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Schema

from carepact.portfolio import services

router = Router(tags=["portfolio"])


class PortfolioFilter(Schema):
    stage: str = ""
    type: str = ""
    at_risk: bool = False
    sort: str = "signals"


class PortfolioOut(Schema):
    organisation: str
    summary: dict[str, Any]
    rows: list[dict[str, Any]]


@router.get(
    "/organisations/{slug}/portfolio",
    response=PortfolioOut,
    summary="Every partnership of an organisation, with its facts and warning signals",
)
def portfolio(request, slug: str, filters: Query[PortfolioFilter]):
    organisation = services.get_organisation(request.auth, slug)
    all_rows = services.rows(request.auth, organisation)
    chosen = services.filtered(all_rows, **filters.dict())
    summary = services.summary(request.auth, organisation, all_rows)
    return {
        "organisation": organisation.slug,
        "summary": summary.__dict__,
        "rows": [row.as_dict() for row in chosen],
    }
