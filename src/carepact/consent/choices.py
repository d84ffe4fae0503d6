"""Which of a patient's choices decides a use of their data, as a rule over plain values.

A use is one release: in one partnership, to a recipient that is commercial or not, for
one purpose, on one day. A choice covers the use when its partnership (or every
partnership), its recipients, its purposes (DUO, with the hierarchy: a choice about HMB
covers research on a disease) and its period all include it. The most recent choice that
covers the use decides; a national data opt-out is a choice covering everything, dated
when the list was imported. With no covering choice the patient is included: the data are
shared under the agreement's lawful basis, and the registry records those who said no.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from carepact.engine.policy import purposes as duo


@dataclass(frozen=True)
class Use:
    partnership_id: int
    commercial: bool
    purpose: str
    on: date


@dataclass(frozen=True)
class Choice:
    decision: str  # permit | deny
    purposes: tuple[str, ...]  # empty: every purpose
    recipients: str  # all | commercial | non_commercial
    partnership_id: int | None  # None: every partnership
    period_start: date | None
    period_end: date | None
    recorded_at: datetime
    order: int = 0  # ties on recorded_at go to the later row


def covers(choice: Choice, use: Use) -> bool:
    """True when the choice speaks about this use."""
    if choice.partnership_id is not None and choice.partnership_id != use.partnership_id:
        return False
    if choice.recipients == "commercial" and not use.commercial:
        return False
    if choice.recipients == "non_commercial" and use.commercial:
        return False
    if choice.period_start and use.on < choice.period_start:
        return False
    if choice.period_end and use.on > choice.period_end:
        return False
    return not choice.purposes or any(duo.within(use.purpose, p) for p in choice.purposes)


def deciding(choices: Iterable[Choice], use: Use) -> Choice | None:
    """The most recent choice covering the use, or None when none does."""
    covering = [c for c in choices if covers(c, use)]
    return max(covering, key=lambda c: (c.recorded_at, c.order)) if covering else None


def excluded(choices: Iterable[Choice], use: Use) -> bool:
    """True when the patient must be left out of this use."""
    choice = deciding(choices, use)
    return choice is not None and choice.decision == "deny"
