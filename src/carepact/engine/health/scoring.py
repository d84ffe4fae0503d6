"""One respondent's scores: constructs, directional ratings, mistrust, influence shares.

Every function here reads one :class:`Respondent` and returns a number or ``None``; the
aggregation (cells, parties, the partnership) is in :mod:`aggregate`. "Don't know" and
"does not apply" count as missing, never as the middle of the scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from carepact.engine.health.instrument import (
    DONT_KNOW,
    FULL,
    MISSING_CODES,
    PULSE,
    Construct,
    Instrument,
    Item,
)

LEVELS = ("leader", "manager", "specialist")
LEVEL_LABELS = {
    "leader": "Leaders",
    "manager": "Managers",
    "specialist": "Specialists and clinicians",
}
# A construct score needs at least this many of its statements answered (2 of 3 on the full
# form; the pulse form asks one). The mistrust subscale needs 1 of its 2.
MIN_ITEMS = {FULL: 2, PULSE: 1}
MIN_MISTRUST_ITEMS = 1


@dataclass(frozen=True)
class Respondent:
    """One submitted response: a pseudonymous token, a party, a level and the answers."""

    token: str
    party: str
    level: str
    answers: Mapping[str, int | str]


def value(item: Item, raw: int | str | None) -> float | None:
    """A scored answer: 1-5 (reversed for negatively worded statements) or None."""
    if raw is None or raw in MISSING_CODES or isinstance(raw, bool):
        return None
    number = int(raw)
    return float(6 - number if item.reverse else number)


def _key(item: Item, target: str | None) -> str:
    return f"{item.id}@{target}" if item.about_party else item.id


def _mean_if(values: Sequence[float | None], minimum: int) -> float | None:
    answered = [v for v in values if v is not None]
    return fmean(answered) if len(answered) >= minimum else None


def about_score(
    construct: Construct, respondent: Respondent, target: str, kind: str = FULL
) -> float | None:
    """A directional construct as this respondent rates ``target`` (their own party too)."""
    items = construct.items_for(kind)
    return _mean_if(
        [value(i, respondent.answers.get(_key(i, target))) for i in items], MIN_ITEMS[kind]
    )


def construct_score(
    construct: Construct,
    respondent: Respondent,
    parties: Sequence[str],
    kind: str = FULL,
) -> float | None:
    """The respondent's score on a construct, or None when too few statements are answered.

    A directional construct is the mean of the respondent's ratings of each *other* party
    that has a score; the rating of their own party is left out (it feeds the self-other
    gap only).
    """
    if construct.directional:
        others = [p for p in parties if p != respondent.party]
        return _mean_if([about_score(construct, respondent, t, kind) for t in others], 1)
    items = construct.items_for(kind)
    return _mean_if([value(i, respondent.answers.get(i.id)) for i in items], MIN_ITEMS[kind])


def item_score(item: Item, respondent: Respondent, parties: Sequence[str]) -> float | None:
    """One statement's scored answer; a directional one averaged over the other parties."""
    if not item.about_party:
        return value(item, respondent.answers.get(item.id))
    others = [p for p in parties if p != respondent.party]
    return _mean_if([value(item, respondent.answers.get(_key(item, t))) for t in others], 1)


def mistrust_about(instrument: Instrument, respondent: Respondent, target: str) -> float | None:
    """The mistrust subscale M about one party: 1-5, higher meaning more mistrust."""
    items = instrument.mistrust_items
    return _mean_if(
        [value(i, respondent.answers.get(_key(i, target))) for i in items], MIN_MISTRUST_ITEMS
    )


def mistrust_score(
    instrument: Instrument, respondent: Respondent, parties: Sequence[str]
) -> float | None:
    """M about the other parties (mean over those rated)."""
    others = [p for p in parties if p != respondent.party]
    return _mean_if([mistrust_about(instrument, respondent, t) for t in others], 1)


def balance(instrument: Instrument, respondent: Respondent) -> int | None:
    """Benefits against drawbacks, 1 (drawbacks clearly outweigh) to 5, or None."""
    if instrument.balance is None:
        return None
    raw = respondent.answers.get(instrument.balance.id)
    return int(raw) if raw is not None and raw not in MISSING_CODES else None


def influence_shares(
    instrument: Instrument, respondent: Respondent, parties: Sequence[str]
) -> dict[str, float] | None:
    """Each party's share of influence as this respondent sees it (shares sum to 1).

    The 1-5 ratings are divided by their sum. A respondent who did not rate every party
    gives no shares: a share is only meaningful against all the others.
    """
    if instrument.influence is None or len(parties) < 2:
        return None
    ratings = {}
    for party in parties:
        raw = respondent.answers.get(f"{instrument.influence.id}@{party}")
        if raw is None or raw in MISSING_CODES:
            return None
        ratings[party] = float(raw)
    total = sum(ratings.values())
    return {party: rating / total for party, rating in ratings.items()}


def dont_know_counts(
    construct: Construct, respondent: Respondent, parties: Sequence[str], kind: str = FULL
) -> tuple[int, int]:
    """(statements answered "don't know", statements asked) for one construct."""
    asked = dk = 0
    for item in construct.items_for(kind):
        targets = [p for p in parties if p != respondent.party] if item.about_party else [None]
        for target in targets:
            asked += 1
            dk += respondent.answers.get(_key(item, target)) == DONT_KNOW
    return dk, asked
