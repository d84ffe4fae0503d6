"""The portfolio: an organisation's partnerships with the facts that say how each is doing.

Facts come from the capabilities through indicators; a fact nobody measures yet is shown as
"not measured". Only partnerships the viewer may see are included.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from carepact.accounts.models import Membership, Organisation, User
from carepact.core.errors import Denied, NotFound
from carepact.core.indicators import read
from carepact.engine import portfolio as calc
from carepact.partnerships.models import (
    Partnership,
    PartnershipType,
    Party,
    Stage,
    StageChange,
)

FACTS = [
    "stage_days",
    "health_index",
    "health_warnings",
    "contracting_days",
    "open_access_requests",
    "open_obligations",
    "overdue_obligations",
    "kpi_status",
    "patient_outcome_kpis",
    "overdue_actions",
    "open_escalations",
    "risk_heat",
]


@dataclass(frozen=True)
class Row:
    slug: str
    title: str
    type: str
    type_label: str
    stage: str
    stage_label: str
    facts: dict[str, Any]  # None where not measured
    signals: list[calc.Signal]

    @property
    def at_risk(self) -> bool:
        return calc.at_risk(self.signals)

    def as_dict(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "type": self.type,
            "stage": self.stage,
            **self.facts,
            "at_risk": self.at_risk,
            "signals": [s.text for s in self.signals],
        }


def get_organisation(actor: User | None, slug: str) -> Organisation:
    """The organisation whose portfolio is asked for; only its members (and platform
    administrators, and the command line with no actor) may see it."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise NotFound("No such organisation.")
    if (
        actor is not None
        and not actor.is_superuser
        and not Membership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        raise Denied(f"Only members of {organisation} can see its portfolio.")
    return organisation


def partnerships_of(actor: User | None, organisation: Organisation):
    mine = Partnership.objects.filter(
        parties__organisation=organisation, parties__status=Party.Status.ACTIVE
    )
    if actor is not None:
        mine = mine.filter(pk__in=Partnership.objects.visible_to(actor))
    return mine.order_by("title").distinct()


def rows(actor: User | None, organisation: Organisation) -> list[Row]:
    result = []
    for partnership in partnerships_of(actor, organisation):
        facts: dict[str, Any] = {}
        for name in FACTS:
            reading = read(partnership, name)
            facts[name] = reading.value if reading.measured else None
        facts_for_rules = {**facts, "stage": partnership.stage}
        result.append(
            Row(
                slug=partnership.slug,
                title=partnership.title,
                type=partnership.type,
                type_label=partnership.get_type_display(),
                stage=partnership.stage,
                stage_label=partnership.get_stage_display(),
                facts=facts,
                signals=calc.signals(facts_for_rules),
            )
        )
    return result


SORTS = {
    "title": lambda r: r.title.lower(),
    "stage": lambda r: list(Stage.values).index(r.stage),
    "signals": lambda r: -len(r.signals),
    "health": lambda r: (r.facts["health_index"] is None, r.facts["health_index"] or 0),
}


def filtered(
    all_rows: list[Row],
    *,
    stage: str = "",
    type: str = "",
    at_risk: bool = False,
    sort: str = "signals",
) -> list[Row]:
    chosen = [
        r
        for r in all_rows
        if (not stage or r.stage == stage)
        and (not type or r.type == type)
        and (not at_risk or r.at_risk)
    ]
    return sorted(chosen, key=SORTS.get(sort, SORTS["signals"]))


@dataclass(frozen=True)
class Summary:
    by_type: dict[str, int]
    by_stage: dict[str, int]
    at_risk: int
    median_days_to_operating: float | None


def summary(actor: User | None, organisation: Organisation, all_rows: list[Row]) -> Summary:
    """Counts by type and stage, and the median time from starting to operating."""
    spans = []
    for partnership in partnerships_of(actor, organisation):
        first = (
            StageChange.objects.filter(partnership=partnership, to_stage=Stage.OPERATING)
            .order_by("at")
            .first()
        )
        if first is not None:
            spans.append((first.at - partnership.created_at).total_seconds() / 86400)
    types = Counter(r.type for r in all_rows)
    stages = Counter(r.stage for r in all_rows)
    return Summary(
        by_type={label: types[value] for value, label in PartnershipType.choices if types[value]},
        by_stage={label: stages[value] for value, label in Stage.choices},
        at_risk=sum(r.at_risk for r in all_rows),
        median_days_to_operating=calc.median_days(spans),
    )


def default_organisation(actor: User) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=actor).select_related("organisation").order_by("pk").first()
    )
    return membership.organisation if membership else None
