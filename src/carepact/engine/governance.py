"""Governance arithmetic: who proposes, who speaks, who turns up; risk heat; overdue items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date


def shares(events: Iterable[str], parties: Sequence[str]) -> dict[str, float] | None:
    """Each party's share of the events (one party key per event); None when there are none.

    Parties with no events get 0, so a silent party shows as silent rather than missing.
    """
    counts = Counter(events)
    total = sum(counts[p] for p in parties)
    if total == 0:
        return None
    return {party: counts[party] / total for party in parties}


def heat_grid(scores: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Counts of risks in a 5x5 grid: ``grid[impact - 1][likelihood - 1]``."""
    grid = [[0] * 5 for _ in range(5)]
    for likelihood, impact in scores:
        if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
            raise ValueError("likelihood and impact are scored 1 to 5")
        grid[impact - 1][likelihood - 1] += 1
    return grid


def risk_level(likelihood: int, impact: int) -> str:
    """The usual reading of a 5x5 matrix: 15 and above high, 8 to 14 medium, below low."""
    score = likelihood * impact
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


def is_overdue(due: date | None, today: date, *, open_: bool) -> bool:
    return bool(open_ and due is not None and due < today)
