"""From respondents to cells, parties and the partnership, without ever showing a small group.

**Suppression.** A *cell* is a party's respondents at one level (leaders, managers,
specialists). A cell with fewer respondents than the floor (5) is merged with the
neighbouring level of the same party (the smallest cell first, with its smaller neighbour)
until every cell reaches the floor; the merge is reported in words. A party whose
respondents together stay below the floor is *held back*: none of its answers enter any
figure, so no figure can be subtracted from another to reveal them.

Every figure above a cell is computed from shown cells only: a party's score is the
unweighted mean of its shown cells (so forty specialists do not outweigh three leaders);
the partnership's is the weighted mean of its shown parties (equal weights unless the
partnership sets others). A cell that is shown but has fewer than ``floor`` answers for a
particular construct shows no score for it and is left out of that construct's party score.

**Intervals** are percentile bootstraps: respondents are resampled within each cell, the
same replicates are carried up to the party and the partnership, so the interval of a
difference between two parties comes from the same draws as the intervals of each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from carepact.engine.health import stats
from carepact.engine.health.scoring import LEVEL_LABELS, LEVELS, Respondent

FLOOR = 5
CUTS = (3.0, 4.0, 4.6)
BANDS = (
    (4.6, "excellent", "Excellent"),
    (4.0, "strength", "Strength"),
    (3.0, "discuss", "Discuss"),
    (float("-inf"), "concern", "Concern"),
)


@dataclass(frozen=True)
class Cell:
    """The respondents (by index) of one party at one level, or at merged levels."""

    party: str
    levels: tuple[str, ...]
    members: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{self.party}|{'+'.join(self.levels)}"

    @property
    def label(self) -> str:
        names = [LEVEL_LABELS[level] for level in self.levels]
        if len(names) == 1:
            return names[0]
        return " + ".join([names[0], *(n[0].lower() + n[1:] for n in names[1:])])

    @property
    def n(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Layout:
    """Which cells are shown for each party, which parties are held back, and why."""

    floor: int
    cells: Mapping[str, tuple[Cell, ...]]  # shown parties only
    held_back: Mapping[str, int]  # party -> respondents, when below the floor
    notes: tuple[str, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.cells)

    def members(self, party: str) -> tuple[int, ...]:
        return tuple(i for cell in self.cells[party] for i in cell.members)


def layout(
    respondents: Sequence[Respondent],
    parties: Sequence[str],
    *,
    floor: int = FLOOR,
    names: Mapping[str, str] | None = None,
) -> Layout:
    """Group respondents into cells, merging and holding back below the floor."""
    names = names or {}
    shown: dict[str, tuple[Cell, ...]] = {}
    held: dict[str, int] = {}
    notes: list[str] = []
    for party in parties:
        cells = [
            Cell(
                party,
                (level,),
                tuple(
                    i for i, r in enumerate(respondents) if r.party == party and r.level == level
                ),
            )
            for level in LEVELS
        ]
        cells = [c for c in cells if c.n]
        total = sum(c.n for c in cells)
        name = names.get(party, party)
        if total < floor:
            held[party] = total
            notes.append(
                f"{name}: {total} response{'s' if total != 1 else ''}, fewer than {floor}, so "
                "its answers are held back from every figure until more people respond."
            )
            continue
        while len(cells) > 1 and min(c.n for c in cells) < floor:
            small = min(range(len(cells)), key=lambda i: (cells[i].n, i))
            neighbours = [j for j in (small - 1, small + 1) if 0 <= j < len(cells)]
            other = min(neighbours, key=lambda j: (cells[j].n, j))
            first, second = sorted((small, other))
            merged = Cell(
                party,
                cells[first].levels + cells[second].levels,
                cells[first].members + cells[second].members,
            )
            notes.append(
                f"{name}: {cells[small].label.lower()} ({cells[small].n}) are shown together "
                f"with {cells[other].label.lower()}, because fewer than {floor} responded."
            )
            cells[first : second + 1] = [merged]
        shown[party] = tuple(cells)
    return Layout(floor=floor, cells=shown, held_back=held, notes=tuple(notes))


def band(mean: float | None) -> tuple[str, str] | None:
    """(key, label) of the interpretation band of a 1-5 mean."""
    if mean is None:
        return None
    for cut, key, label in BANDS:
        if mean >= cut:
            return key, label
    return None  # pragma: no cover  (the last cut is −∞)


def provisional(ci: tuple[float, float] | None, n: int, floor: int = FLOOR) -> bool:
    """A band is provisional when its interval crosses a cut-point or it rests on few people."""
    if n < floor or ci is None:
        return True
    low, high = ci
    return any(low < cut <= high for cut in CUTS)


@dataclass
class Estimate:
    mean: float | None
    n: int
    sd: float | None = None
    ci: tuple[float, float] | None = None
    replicates: np.ndarray | None = field(default=None, repr=False)

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass
class Aggregate:
    """One measure (a construct, a share, a subscale) at every level of the layout."""

    cells: dict[str, Estimate]  # Cell.key -> estimate (mean None when too few answers)
    parties: dict[str, Estimate]
    partnership: Estimate
    pooled: Estimate  # respondent-pooled mean over the same respondents, shown alongside
    values: dict[str, list[float]]  # party -> the values that entered its estimate


def aggregate(
    values: Sequence[float | None],
    lay: Layout,
    *,
    weights: Mapping[str, float] | None = None,
    key: str = "",
    resamples: int = stats.BOOTSTRAP_RESAMPLES,
    seed: int = stats.DEFAULT_SEED,
) -> Aggregate:
    """Cell, party and partnership estimates of one per-respondent measure.

    ``values`` holds each respondent's value (None when they have none). ``weights`` are the
    partnership's party weights (missing parties weigh 1); they are renormalised over the
    parties that have a score.
    """
    cells: dict[str, Estimate] = {}
    parties: dict[str, Estimate] = {}
    party_values: dict[str, list[float]] = {}
    for party, party_cells in lay.cells.items():
        reps, count, used = [], 0, []
        for cell in party_cells:
            data = [values[i] for i in cell.members if values[i] is not None]
            if len(data) < lay.floor:
                cells[cell.key] = Estimate(None, len(data))
                continue
            rng = stats.rng_for(key, cell.key, seed=seed)
            r = stats.bootstrap_means(data, rng, resamples)
            cells[cell.key] = Estimate(
                float(np.mean(data)),
                len(data),
                stats.sample_sd(data),
                stats.percentile_interval(r),
                r,
            )
            reps.append(r)
            count += len(data)
            used += data
        if not reps:
            parties[party] = Estimate(None, count)
            continue
        shown = [cells[c.key] for c in party_cells if cells[c.key].shown]
        party_reps = np.mean(reps, axis=0)
        parties[party] = Estimate(
            float(np.mean([e.mean for e in shown])),
            count,
            stats.sample_sd(used),
            stats.percentile_interval(party_reps),
            party_reps,
        )
        party_values[party] = used
    scored = [p for p in parties if parties[p].shown]
    if not scored:
        empty = Estimate(None, 0)
        return Aggregate(cells, parties, empty, Estimate(None, 0), party_values)
    w = np.array([(weights or {}).get(p, 1.0) for p in scored], dtype=float)
    if w.sum() <= 0:
        w = np.ones(len(scored))
    w = w / w.sum()
    everyone = [v for p in scored for v in party_values[p]]
    partnership_reps = sum(wi * parties[p].replicates for wi, p in zip(w, scored, strict=True))
    partnership = Estimate(
        float(sum(wi * parties[p].mean for wi, p in zip(w, scored, strict=True))),
        len(everyone),
        stats.sample_sd(everyone),
        stats.percentile_interval(partnership_reps),
        partnership_reps,
    )
    pooled = Estimate(float(np.mean(everyone)), len(everyone), stats.sample_sd(everyone))
    return Aggregate(cells, parties, partnership, pooled, party_values)


def difference(a: Estimate, b: Estimate) -> tuple[float, tuple[float, float]] | None:
    """a − b with the percentile interval of the replicate differences."""
    if not (a.shown and b.shown) or a.replicates is None or b.replicates is None:
        return None
    return a.mean - b.mean, stats.percentile_interval(a.replicates - b.replicates)


def per_respondent(
    respondents: Sequence[Respondent], measure: Callable[[Respondent], float | None]
) -> list[float | None]:
    return [measure(r) for r in respondents]
