"""Power balance: voice, perceived influence shares, intended shares and dominance (§9.2).

Every respondent rates each party's influence over key decisions (1-5); a respondent's
ratings become shares that sum to one. A party's *perceived share* is the balanced mean of
those shares: each rating party's own mean counts once, whatever its size. The Power
Balance Index is 1 − (largest − smallest share) for two parties and 1 − Gini for more; 1
means equal shares. Dominance is *unacknowledged* when the other parties see a party as
holding clearly more influence than it sees itself holding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from carepact.engine.health import stats
from carepact.engine.health.aggregate import Aggregate

UNACKNOWLEDGED_MARGIN = 0.15


@dataclass(frozen=True)
class Share:
    party: str
    perceived: float | None
    ci: tuple[float, float] | None
    intended: float
    self_view: float | None  # the party's own members' view of its share
    others_view: float | None  # the other parties' view of its share (mean over parties)

    @property
    def gap(self) -> float | None:
        return None if self.perceived is None else self.perceived - self.intended

    @property
    def others_minus_self(self) -> float | None:
        if self.self_view is None or self.others_view is None:
            return None
        return self.others_view - self.self_view

    def dominance(self, margin: float = UNACKNOWLEDGED_MARGIN) -> str | None:
        """ "unacknowledged", "acknowledged" or None (no dominance above ``margin``).

        Unacknowledged: the other parties see the party holding more than its agreed share,
        and at least ``margin`` more than its own people think it holds.
        """
        if (
            self.others_minus_self is not None
            and self.others_minus_self >= margin - 1e-9
            and self.others_view > self.intended
        ):
            return "unacknowledged"
        if self.gap is not None and self.gap >= margin - 1e-9:
            return "acknowledged"
        return None


@dataclass(frozen=True)
class Power:
    voice: Mapping[str, float]
    voice_gap: float | None
    shares: tuple[Share, ...]
    balance_index: float | None


def intended_shares(parties: Sequence[str], configured: Mapping[str, float] | None) -> dict:
    """The agreed shares: as configured (renormalised over these parties), else equal."""
    raw = {p: float((configured or {}).get(p, 0.0)) for p in parties}
    total = sum(raw.values())
    if not configured or total <= 0:
        return {p: 1 / len(parties) for p in parties} if parties else {}
    return {p: v / total for p, v in raw.items()}


def balance_index(shares: Sequence[float]) -> float | None:
    if len(shares) < 2:
        return None
    if len(shares) == 2:
        return 1 - (max(shares) - min(shares))
    return 1 - stats.gini(shares)


def power(
    voice: Aggregate | None,
    influence: Mapping[str, Aggregate],
    parties: Sequence[str],
    *,
    intended: Mapping[str, float] | None = None,
) -> Power:
    """Voice, shares and the balance index over the shown parties.

    ``voice`` is C9 aggregated (a party's C9 is its own members' view of its voice);
    ``influence[p]`` aggregates each respondent's share for party ``p`` with equal party
    weights, so its partnership estimate is the balanced perceived share.
    """
    v = {p: e.mean for p, e in (voice.parties.items() if voice else []) if e.shown}
    gap = max(v.values()) - min(v.values()) if len(v) >= 2 else None
    if len(parties) < 2:
        return Power(v, gap, (), None)  # a share means nothing without another party beside it
    targets = intended_shares(list(parties), intended)
    shares = []
    for party in parties:
        agg = influence.get(party)
        if agg is None:
            continue
        own = agg.parties.get(party)
        others = [e.mean for p, e in agg.parties.items() if p != party and e.shown]
        shares.append(
            Share(
                party,
                agg.partnership.mean,
                agg.partnership.ci,
                targets.get(party, 0.0),
                own.mean if own is not None and own.shown else None,
                float(np.mean(others)) if others else None,
            )
        )
    perceived = [s.perceived for s in shares if s.perceived is not None]
    index = balance_index(perceived) if len(perceived) == len(parties) else None
    return Power(v, gap, tuple(shares), index)
