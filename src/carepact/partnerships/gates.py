"""Stage gates: conditions a partnership must meet before it moves forward.

The gates are a declared table. Each gate names the lifecycle stage it guards: moving
forward into that stage, or into any later one, requires the condition to hold. Other apps
add their own gates with :func:`register` from their ``AppConfig.ready`` (the agreements
app, for example, requires a signed MoU before mobilising).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carepact.accounts.models import INDUSTRY_KINDS
from carepact.partnerships.models import LIFECYCLE, Partnership, Party, Role, Stage


@dataclass(frozen=True)
class Gate:
    key: str
    stage: Stage  # the first stage that cannot be entered until the condition holds
    label: str  # the condition, as a checklist line
    why: str  # why it matters, in one sentence
    check: Callable[[Partnership], str | None]  # None when met, else the reason it is not


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    reason: str | None

    @property
    def met(self) -> bool:
        return self.reason is None


GATES: dict[str, Gate] = {}


def register(gate: Gate) -> Gate:
    if gate.stage not in LIFECYCLE or gate.stage == Stage.SCOPING:
        raise ValueError(f"gate {gate.key!r} must guard a lifecycle stage after scoping")
    GATES[gate.key] = gate
    return gate


def gates_for(target: str) -> list[Gate]:
    """Every gate that guards ``target`` or an earlier stage, in lifecycle order."""
    if target not in LIFECYCLE:
        return []
    limit = LIFECYCLE.index(target)
    return sorted(
        (g for g in GATES.values() if LIFECYCLE.index(g.stage) <= limit),
        key=lambda g: LIFECYCLE.index(g.stage),  # stable: registration order within a stage
    )


def checklist(partnership: Partnership, target: str) -> list[GateResult]:
    return [GateResult(gate, gate.check(partnership)) for gate in gates_for(target)]


# -- the registry's own gates ---------------------------------------------------------------


def _active_parties(partnership: Partnership) -> list[Party]:
    return list(
        partnership.parties.filter(status=Party.Status.ACTIVE).select_related("organisation")
    )


def _has_vision(partnership: Partnership) -> str | None:
    if len(partnership.vision.strip()) < 20:
        return (
            "The shared vision is empty or too short: write, together, what the partners "
            "want to achieve."
        )
    return None


def _two_parties(partnership: Partnership) -> str | None:
    count = len(_active_parties(partnership))
    if count < 2:
        return (
            f"Only {count} organisation{'s have' if count != 1 else ' has'} joined: invite at "
            "least one partner organisation and wait for it to accept."
        )
    return None


def _champion(partnership: Partnership) -> str | None:
    if not partnership.roles.filter(role=Role.CHAMPION).exists():
        return "No champion is named: give someone the champion role."
    return None


def _industry_sponsors(partnership: Partnership) -> str | None:
    sponsored = set(
        partnership.roles.filter(role=Role.EXECUTIVE_SPONSOR).values_list(
            "organisation_id", flat=True
        )
    )
    missing = [
        party.organisation.name
        for party in _active_parties(partnership)
        if party.organisation.kind in INDUSTRY_KINDS and party.organisation_id not in sponsored
    ]
    if missing:
        return (
            f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no named executive "
            "sponsor: an industry party needs a senior executive accountable for its side."
        )
    return None


register(
    Gate(
        "vision",
        Stage.AGREEING,
        "A shared vision is written",
        "Partners who have not written down what they want together rarely agree on the rest.",
        _has_vision,
    )
)
register(
    Gate(
        "two_parties",
        Stage.AGREEING,
        "At least two organisations have joined",
        "A partnership needs partners who have accepted, not only been asked.",
        _two_parties,
    )
)
register(
    Gate(
        "champion",
        Stage.AGREEING,
        "A champion is named",
        "A named champion keeps the partnership moving and its people aligned.",
        _champion,
    )
)
register(
    Gate(
        "industry_sponsor",
        Stage.MOBILISING,
        "Every industry party has a named executive sponsor",
        "A senior executive accountable for the industry side keeps its commitments alive.",
        _industry_sponsors,
    )
)
