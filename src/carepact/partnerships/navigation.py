"""The sections of a partnership (overview, agreements, data, health...) as a registry.

Each app adds its section in ``AppConfig.ready``; every partnership page shows them as a
sub-navigation, so a new capability appears without editing the partnership templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str  # takes the partnership slug as ``slug``
    order: int


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections_for(partnership) -> list[tuple[str, str, str]]:
    """(key, label, url) for each section, in order."""
    return [
        (s.key, s.label, reverse(s.url_name, kwargs={"slug": partnership.slug}))
        for s in sorted(_SECTIONS.values(), key=lambda s: s.order)
    ]


register(Section("overview", "Overview", "partnerships:detail", 0))
register(Section("roles", "People and roles", "partnerships:roles", 10))
register(Section("glossary", "Glossary", "partnerships:glossary", 90))
register(Section("audit", "Audit trail", "partnerships:audit", 100))
