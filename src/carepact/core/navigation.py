"""Links that apps add to the site header, without editing the shared layout."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    order: int


_TOP: dict[str, Link] = {}


def add_top_link(label: str, url_name: str, order: int) -> None:
    _TOP[url_name] = Link(label, url_name, order)


def top_links() -> list[tuple[str, str]]:
    return [
        (link.label, reverse(link.url_name))
        for link in sorted(_TOP.values(), key=lambda x: x.order)
    ]


def context(request) -> dict:
    """Template context processor: ``top_nav`` for signed-in pages."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"top_nav": []}
    return {"top_nav": top_links()}
