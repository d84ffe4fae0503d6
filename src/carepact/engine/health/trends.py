"""Change between waves, with intervals, and the Theil-Sen slope once there are three.

Full waves are compared with full waves only: a pulse asks one statement per construct,
so it draws the trend line but never sets off a change warning. The change between two
waves has a bootstrap interval from the two waves' independent replicates; where at least
``floor`` people answered both (matched by their pseudonymous token) the paired change is
given as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import numpy as np

from carepact.engine.health import stats
from carepact.engine.health.aggregate import FLOOR, Estimate, difference
from carepact.engine.health.instrument import FULL

MEANINGFUL_CHANGE = 0.5


@dataclass(frozen=True)
class WaveScores:
    """What a trend needs from one closed round."""

    number: int
    when: date
    kind: str
    scores: Mapping[str, Estimate]  # construct -> partnership estimate
    parties: Mapping[str, Mapping[str, Estimate]]  # construct -> party -> estimate
    by_token: Mapping[str, Mapping[str, float]]  # construct -> token -> respondent score
    index: float | None = None


@dataclass(frozen=True)
class Change:
    construct: str
    since: int  # the earlier wave's number
    to: int
    difference: float
    ci: tuple[float, float]
    paired_n: int
    paired_difference: float | None
    paired_ci: tuple[float, float] | None

    @property
    def meaningful(self) -> bool:
        return abs(self.difference) >= MEANINGFUL_CHANGE


@dataclass(frozen=True)
class Slope:
    construct: str
    per_year: float
    waves: int


def full_waves(waves: Sequence[WaveScores]) -> list[WaveScores]:
    return [w for w in waves if w.kind == FULL]


def paired(
    before: Mapping[str, float], after: Mapping[str, float], *, key: str, floor: int = FLOOR
) -> tuple[int, float | None, tuple[float, float] | None]:
    """(pairs, mean within-person change, interval) over tokens present in both waves."""
    tokens = sorted(set(before) & set(after))
    if len(tokens) < floor:
        return len(tokens), None, None
    diffs = np.array([after[t] - before[t] for t in tokens])
    reps = stats.bootstrap_means(diffs, stats.rng_for("paired", key))
    return len(tokens), float(diffs.mean()), stats.percentile_interval(reps)


def changes(waves: Sequence[WaveScores], *, floor: int = FLOOR) -> list[Change]:
    """Each construct's change between consecutive full waves, oldest first."""
    full = full_waves(waves)
    out = []
    for before, after in pairwise(full):
        for code, estimate in after.scores.items():
            prior = before.scores.get(code)
            found = difference(estimate, prior) if prior is not None else None
            if found is None:
                continue
            n, mean, ci = paired(
                before.by_token.get(code, {}),
                after.by_token.get(code, {}),
                key=f"{before.number}-{after.number}-{code}",
                floor=floor,
            )
            out.append(Change(code, before.number, after.number, found[0], found[1], n, mean, ci))
    return out


def slopes(waves: Sequence[WaveScores]) -> list[Slope]:
    """Theil-Sen slope per construct, in points per year, over three or more full waves."""
    full = full_waves(waves)
    if len(full) < 3:
        return []
    origin = full[0].when
    out = []
    for code in full[-1].scores:
        points = [
            ((w.when - origin).days / 365.25, w.scores[code].mean)
            for w in full
            if code in w.scores and w.scores[code].shown
        ]
        if len(points) < 3:
            continue
        found = stats.theil_sen([x for x, _ in points], [y for _, y in points])
        if found is not None:
            out.append(Slope(code, found[0], len(points)))
    return out
