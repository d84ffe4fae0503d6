"""Health-check fixtures: enough people at every level for figures to be shown (five or more)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction

from carepact.accounts.models import Level
from carepact.core import clock
from carepact.health import services, tokens
from carepact.health.models import Invitation, Round
from tests import factories


def add_people(organisation, counts: dict[str, int], prefix: str) -> list:
    people = []
    for level, n in counts.items():
        for i in range(n):
            people.append(
                factories.member(
                    organisation,
                    level=level,
                    email=f"{prefix}-{level}-{i}@{organisation.slug}.example",
                    full_name=f"{prefix.title()} {level.title()} {i}",
                )
            )
    return people


@dataclass
class Crowd:
    """The world's partnership with extra people: 6 managers and 6 specialists per party."""

    world: object
    people: list = field(default_factory=list)

    @property
    def partnership(self):
        return self.world.partnership

    def open(self, kind=Round.Kind.FULL, days=14) -> Round:
        with transaction.atomic():
            return services.open_round(
                self.world.lead,
                self.partnership,
                kind=kind,
                closes_on=(clock.now() + timedelta(days=days)).date(),
            )

    def close(self, found: Round) -> Round:
        with transaction.atomic():
            return services.close_round(self.world.lead, found)

    def answer(self, invitation: Invitation, answers: dict, *, submit: bool = True) -> None:
        with transaction.atomic():
            services.save_answers(invitation, step=None, answers=answers)
            if submit:
                services.submit_response(invitation)

    def invitations(self, found: Round, organisation=None) -> list[Invitation]:
        rows = found.invitations.select_related("organisation", "person").order_by("person__email")
        if organisation is not None:
            rows = rows.filter(organisation=organisation)
        return list(rows)


def uniform(found: Round, value: int, *, about: dict | None = None, influence=None) -> dict:
    """Every statement answered ``value``; ``about`` overrides directional answers by party."""
    from carepact.engine.health.instrument import load

    instrument = load(found.instrument)
    parties = [p["key"] for p in found.parties]
    out = {}
    for key in instrument.answer_keys(found.kind, parties):
        if key in ("O1", "O2"):
            continue
        base, _, target = key.partition("@")
        if base == "I":
            out[key] = (influence or {}).get(target, 3)
        elif target and about and target in about:
            out[key] = about[target]
        else:
            out[key] = value
    return out


@pytest.fixture
def crowd(world) -> Crowd:
    people = add_people(world.trust, {Level.MANAGER: 4, Level.SPECIALIST: 6}, "t")
    people += add_people(world.company, {Level.MANAGER: 4, Level.CLINICIAN: 6}, "c")
    return Crowd(world, people)


def link(invitation: Invitation) -> str:
    return tokens.link_token(invitation)
