"""The statistics of a health check, short and written out so they can be checked by hand.

Agreement within a group (r*wg(J), AD), how much group membership explains (ICC(1),
ICC(2)), effect sizes (Hedges' g), profile agreement (Krippendorff's α, interval), trends
(Theil-Sen), inequality (Gini) and seeded bootstrap intervals. Missing values are NaN.
The formulas follow shared/research/health-instruments.md §6; tests check each against
hand-computed values and, where one exists, a reference library (SciPy, ``krippendorff``).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# The variance of a uniform ("no agreement") answer on a five-point scale: (A² − 1) / 12.
NULL_VARIANCE_5 = (5**2 - 1) / 12
BOOTSTRAP_RESAMPLES = 2000
DEFAULT_SEED = 20260101


def rng_for(*parts: object, seed: int = DEFAULT_SEED) -> np.random.Generator:
    """A generator seeded from the parts' text: the same inputs always draw the same."""
    key = ":".join(str(p) for p in parts).encode()
    return np.random.default_rng([seed, zlib.crc32(key)])


def bootstrap_means(
    values: Sequence[float], rng: np.random.Generator, resamples: int = BOOTSTRAP_RESAMPLES
) -> np.ndarray:
    """``resamples`` means of resamples (with replacement) of ``values``."""
    data = np.asarray(values, dtype=float)
    idx = rng.integers(0, len(data), size=(resamples, len(data)))
    return data[idx].mean(axis=1)


def percentile_interval(replicates: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return float(low), float(high)


def sample_sd(values: Sequence[float]) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else None


def _item_columns(matrix: np.ndarray) -> list[np.ndarray]:
    """Each item's answered values (a column without its NaNs)."""
    data = np.asarray(matrix, dtype=float)
    if data.ndim == 1:
        data = data[:, None]
    return [col[~np.isnan(col)] for col in data.T]


def rwg_star(matrix: np.ndarray, null_variance: float = NULL_VARIANCE_5) -> float | None:
    """r*wg(J) (Lindell, Brandt & Whitney 1999): 1 − mean item variance / null variance.

    ``matrix`` is respondents × items. Each item's variance is the sample variance of its
    answered values; items with fewer than two answers are left out. Unlike rwg(J) it does
    not grow with the number of items, and it is negative when a group disagrees more than
    people answering at random would.
    """
    variances = [np.var(col, ddof=1) for col in _item_columns(matrix) if len(col) >= 2]
    if not variances:
        return None
    return float(1 - np.mean(variances) / null_variance)


def average_deviation(matrix: np.ndarray) -> float | None:
    """AD_M(J) (Burke, Finkelstein & Dusig 1999): mean over items of the mean |x − x̄|."""
    deviations = [np.mean(np.abs(col - col.mean())) for col in _item_columns(matrix) if len(col)]
    return float(np.mean(deviations)) if deviations else None


@functools.lru_cache(maxsize=512)
def rwg_null_threshold(
    n: int,
    items: int,
    *,
    options: int = 5,
    simulations: int = 5000,
    quantile: float = 0.95,
    seed: int = DEFAULT_SEED,
) -> float:
    """The r*wg(J) a group of ``n`` reaches by chance in ``quantile`` of random groups.

    Simulates groups answering uniformly at random (Dunlap et al. 2003): a small group needs
    a higher value before its agreement means anything.
    """
    rng = rng_for("rwg-null", n, items, options, seed=seed)
    draws = rng.integers(1, options + 1, size=(simulations, n, items)).astype(float)
    variances = draws.var(axis=1, ddof=1).mean(axis=1)
    null = (options**2 - 1) / 12
    return float(np.quantile(1 - variances / null, quantile))


@dataclass(frozen=True)
class Icc:
    icc1: float
    icc2: float | None  # undefined when the groups' means are identical
    f: float
    groups: int
    n: int
    k: float  # the (adjusted) group size used


def icc(groups: Sequence[Sequence[float]]) -> Icc | None:
    """ICC(1) and ICC(2) from a one-way ANOVA of scores on group (Bliese 2000).

    ICC(1) = (MSB − MSW) / (MSB + (k − 1) MSW) with k the adjusted mean group size
    (N − Σ nᵢ² / N) / (G − 1), which equals the group size when groups are equal;
    ICC(2) = (MSB − MSW) / MSB. Needs two groups and more people than groups.
    """
    data = [np.asarray(g, dtype=float) for g in groups if len(g)]
    g, n = len(data), sum(len(x) for x in data)
    if g < 2 or n <= g:
        return None
    grand = np.concatenate(data).mean()
    ssb = sum(len(x) * (x.mean() - grand) ** 2 for x in data)
    ssw = sum(((x - x.mean()) ** 2).sum() for x in data)
    msb, msw = ssb / (g - 1), ssw / (n - g)
    k = (n - sum(len(x) ** 2 for x in data) / n) / (g - 1)
    if msb == 0 and msw == 0:
        return None
    icc1 = (msb - msw) / (msb + (k - 1) * msw)
    icc2 = (msb - msw) / msb if msb else None
    return Icc(
        float(icc1),
        None if icc2 is None else float(icc2),
        float(msb / msw) if msw else float("inf"),
        g,
        n,
        k,
    )


def hedges_g(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Standardised mean difference (a − b) / pooled SD, with the small-sample correction."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    nx, ny = len(x), len(y)
    if nx < 2 or ny < 2:
        return None
    pooled = np.sqrt(((nx - 1) * x.var(ddof=1) + (ny - 1) * y.var(ddof=1)) / (nx + ny - 2))
    if pooled == 0:
        return None
    correction = 1 - 3 / (4 * (nx + ny) - 9)
    return float((x.mean() - y.mean()) / pooled * correction)


def krippendorff_alpha_interval(data: np.ndarray) -> float | None:
    """Krippendorff's α for interval data; ``data`` is coders × units with NaN for missing.

    α = 1 − D_o / D_e, where D_o is the mean squared difference between values of the same
    unit (each unit weighted by 1 / (m − 1)) and D_e the mean squared difference between
    any two pairable values. Units with fewer than two values are not pairable.
    """
    matrix = np.asarray(data, dtype=float)
    units = [col[~np.isnan(col)] for col in matrix.T]
    units = [u for u in units if len(u) >= 2]
    values = np.concatenate(units) if units else np.array([])
    n = len(values)
    if n < 2:
        return None
    observed = sum(((u[:, None] - u[None, :]) ** 2).sum() / (len(u) - 1) for u in units) / n
    expected = ((values[:, None] - values[None, :]) ** 2).sum() / (n * (n - 1))
    if expected == 0:
        return None
    return float(1 - observed / expected)


def theil_sen(x: Sequence[float], y: Sequence[float]) -> tuple[float, float] | None:
    """(slope, intercept): the median of pairwise slopes, robust to one odd wave."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(xs))
        for j in range(i + 1, len(xs))
        if xs[j] != xs[i]
    ]
    if not slopes:
        return None
    slope = float(np.median(slopes))
    return slope, float(np.median(ys - slope * xs))


def gini(values: Sequence[float]) -> float:
    """Gini coefficient: 0 when all values are equal, (n − 1)/n when one holds everything."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0 or v.sum() == 0:
        return 0.0
    return float(np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * v.mean()))
