"""Alignment: agreement within groups, gaps between parties and levels, and who sees whom how.

Built on a :class:`~carepact.engine.health.aggregate.Layout`, so every group is a shown
cell or a shown party and held-back parties are absent. See research §9.1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from carepact.engine.health import stats
from carepact.engine.health.aggregate import Aggregate, Layout, difference
from carepact.engine.health.instrument import Construct, Instrument
from carepact.engine.health.scoring import Respondent, item_score

FRAGMENTED_RWG = 0.50
FRAGMENTED_AD = 5 / 6  # A/6 for a five-point scale (Burke et al.)


@dataclass(frozen=True)
class Agreement:
    construct: str
    party: str
    group: str  # "party" or a cell key
    label: str
    n: int
    rwg: float | None
    ad: float | None
    chance: float | None  # the r*wg a group this size reaches by chance 95% of the time

    @property
    def fragmented(self) -> bool:
        return (self.rwg is not None and self.rwg < FRAGMENTED_RWG) or (
            self.ad is not None and self.ad > FRAGMENTED_AD
        )


def item_matrix(
    construct: Construct,
    respondents: Sequence[Respondent],
    members: Sequence[int],
    parties: Sequence[str],
    kind: str,
) -> np.ndarray:
    """Respondents × statements of one construct (NaN where not answered)."""
    items = construct.items_for(kind)
    return np.array(
        [
            [
                np.nan if (v := item_score(item, respondents[i], parties)) is None else v
                for item in items
            ]
            for i in members
        ],
        dtype=float,
    ).reshape(len(members), len(items))


def agreement(
    instrument: Instrument,
    respondents: Sequence[Respondent],
    lay: Layout,
    parties: Sequence[str],
    kind: str,
    *,
    names: Mapping[str, str],
    minimum: int = 3,
) -> list[Agreement]:
    """r*wg(J) and AD for each construct, in each shown party and each shown cell."""
    out: list[Agreement] = []
    for construct in instrument.constructs:
        j = len(construct.items_for(kind))
        for party, cells in lay.cells.items():
            groups = [("party", names.get(party, party), lay.members(party))]
            if len(cells) > 1:
                groups += [(c.key, c.label, c.members) for c in cells]
            for group, label, members in groups:
                matrix = item_matrix(construct, respondents, members, parties, kind)
                answered = int((~np.isnan(matrix)).any(axis=1).sum())
                if answered < max(minimum, lay.floor):
                    continue
                out.append(
                    Agreement(
                        construct.code,
                        party,
                        group,
                        label,
                        answered,
                        stats.rwg_star(matrix),
                        stats.average_deviation(matrix),
                        stats.rwg_null_threshold(answered, j) if answered < 10 else None,
                    )
                )
    return out


def icc_by_party(scores: Mapping[str, Aggregate]) -> dict[str, stats.Icc | None]:
    """ICC(1)/ICC(2) of respondents' construct scores on party, per construct."""
    return {
        code: stats.icc([values for values in agg.values.values()]) if len(agg.values) > 1 else None
        for code, agg in scores.items()
    }


@dataclass(frozen=True)
class PartyGap:
    construct: str
    a: str
    b: str
    difference: float
    ci: tuple[float, float]
    hedges_g: float | None


def party_gaps(scores: Mapping[str, Aggregate]) -> list[PartyGap]:
    """Every pair of shown parties, per construct: a − b with interval and Hedges' g."""
    out = []
    for code, agg in scores.items():
        shown = [p for p, e in agg.parties.items() if e.shown]
        for a, b in combinations(shown, 2):
            found = difference(agg.parties[a], agg.parties[b])
            if found is None:
                continue
            out.append(
                PartyGap(
                    code, a, b, found[0], found[1], stats.hedges_g(agg.values[a], agg.values[b])
                )
            )
    return out


@dataclass(frozen=True)
class LevelGap:
    construct: str
    party: str
    spread: float  # highest minus lowest shown cell mean
    highest: str
    lowest: str
    leaders_minus_specialists: float | None  # None when leaders and specialists share a cell


def level_gaps(scores: Mapping[str, Aggregate], lay: Layout) -> list[LevelGap]:
    """Within each party with two or more shown cells: the spread of its levels' means."""
    out = []
    for code, agg in scores.items():
        for party, cells in lay.cells.items():
            shown = [(c, agg.cells[c.key].mean) for c in cells if agg.cells[c.key].shown]
            if len(shown) < 2:
                continue
            high = max(shown, key=lambda pair: pair[1])
            low = min(shown, key=lambda pair: pair[1])
            leader = next((m for c, m in shown if "leader" in c.levels), None)
            specialist = next((m for c, m in shown if "specialist" in c.levels), None)
            same_cell = any("leader" in c.levels and "specialist" in c.levels for c, _ in shown)
            gap = (
                leader - specialist
                if leader is not None and specialist is not None and not same_cell
                else None
            )
            out.append(LevelGap(code, party, high[1] - low[1], high[0].label, low[0].label, gap))
    return out


@dataclass(frozen=True)
class SelfOther:
    construct: str
    party: str
    self_rating: float
    others_rating: float

    @property
    def gap(self) -> float:
        return self.self_rating - self.others_rating


def self_other(
    about: Mapping[tuple[str, str], Aggregate], parties: Sequence[str]
) -> list[SelfOther]:
    """How a party rates itself minus how the other parties rate it (directional constructs).

    ``about[(code, target)]`` aggregates every respondent's rating *of* ``target``; each
    party's estimate in it is that party's members' rating. "Others" is the unweighted mean
    over the other parties, so each counts once.
    """
    out = []
    for (code, target), agg in about.items():
        own = agg.parties.get(target)
        others = [agg.parties[p].mean for p in parties if p != target and p in agg.parties]
        others = [m for m in others if m is not None]
        if own is None or not own.shown or not others:
            continue
        out.append(SelfOther(code, target, own.mean, float(np.mean(others))))
    return out


@dataclass(frozen=True)
class Asymmetry:
    construct: str
    a: str
    b: str
    a_rates_b: float
    b_rates_a: float

    @property
    def difference(self) -> float:
        return self.a_rates_b - self.b_rates_a


def asymmetry(
    about: Mapping[tuple[str, str], Aggregate], parties: Sequence[str], code: str
) -> list[Asymmetry]:
    """For each pair: A's rating of B against B's rating of A (trust asymmetry on C2)."""
    out = []
    for a, b in combinations(parties, 2):
        ab = about.get((code, b))
        ba = about.get((code, a))
        if ab is None or ba is None:
            continue
        x, y = ab.parties.get(a), ba.parties.get(b)
        if x is None or y is None or not (x.shown and y.shown):
            continue
        out.append(Asymmetry(code, a, b, x.mean, y.mean))
    return out


def profile_alpha(items: Mapping[str, Aggregate], parties: Sequence[str]) -> float | None:
    """Krippendorff's α (interval) over statements, with parties' mean profiles as coders."""
    shown = [p for p in parties if any(agg.parties.get(p) for agg in items.values())]
    matrix = np.array(
        [
            [
                np.nan if (e := agg.parties.get(p)) is None or e.mean is None else e.mean
                for agg in items.values()
            ]
            for p in shown
        ],
        dtype=float,
    )
    if len(shown) < 2:
        return None
    return stats.krippendorff_alpha_interval(matrix)
