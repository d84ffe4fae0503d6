"""The fast engine's search: optimal full-domain generalisation over the lattice.

A node of the lattice is one level per quasi-identifier. The search works on the frequency
table (one row per distinct combination of quasi-identifier values and sensitive values,
with a count), never on the records.

Why it is fast and still optimal:

* **Lower bounds.** The loss of a node without suppression depends only on each
  quasi-identifier's own value counts, so it is known for every node before any node is
  evaluated, and suppression can only add to it. Nodes are visited in order of that bound;
  once the bound reaches the best loss found, no unvisited node can win.
* **Monotonicity.** For k-anonymity and distinct l-diversity, merging classes never makes
  more records fail, so if a node fails every more specific node fails too, and those are
  tagged without evaluation. (Entropy l-diversity with suppression is not monotone; only
  its k part is used for tagging then.)
* **Two-way projections.** A node suppresses at least as many records as its projection
  on any two columns; those come from small two-way tables, and rule out most specific
  nodes before any is evaluated.
* **Probing upwards.** Before paying for a specific node, a binary search along a chain
  of more general nodes above it finds failures cheaply, in the manner of Flash.
* **Roll-up.** A node's table is computed from the smallest cached table of a more
  specific node, not from the base table, since levels nest.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pyarrow as pa

from carepact.engine.release import kernels
from carepact.engine.release.hierarchy import Domain
from carepact.engine.release.kernels import class_key, pair_grid, small_class_records
from carepact.engine.release.model import (
    ENTROPY_TOLERANCE,
    NodeOutcome,
    loss_fraction,
    max_suppressed,
)
from carepact.engine.release.spec import ReleaseSpec

# Nodes whose table would come from a bigger table than this are probed from above first.
_PROBE_ROWS = 200_000


@dataclass
class Table:
    """Rows of (quasi-identifier codes at ``levels``, sensitive codes) with counts.

    ``cls`` numbers each row's equivalence class 0..m-1. Rows of a rolled-up table are
    distinct; the base table may repeat rows (the evaluation does not mind).
    """

    levels: tuple[int, ...]
    qi: list[np.ndarray]
    sens: list[np.ndarray]
    counts: np.ndarray
    cls: np.ndarray | None  # None until needed (the base table's classes may never be)
    m: int
    distinct_rows: bool = True

    @property
    def rows(self) -> int:
        return int(self.counts.shape[0])


@dataclass
class SearchTrace:
    """What the search did, for ``release explain`` and the report."""

    lattice_size: int = 0
    evaluated: int = 0
    tagged_fail: int = 0
    pruned_by_bound: int = 0
    outcomes: dict[tuple[int, ...], NodeOutcome] = field(default_factory=dict)


def dense_ids(columns: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, int]:
    """Number the distinct combinations of ``columns`` 0..m-1; returns (ids, m).

    Codes are folded into one integer key as long as the key space stays small enough,
    renumbering (by a presence table or by hashing) when it would not.
    """
    n = columns[0].shape[0] if columns else 0
    if not columns:
        return np.zeros(n, dtype=np.int64), 1 if n else 0
    key = columns[0].astype(np.int64, copy=True)
    space = max(1, sizes[0])
    for col, size in zip(columns[1:], sizes[1:], strict=True):
        size = max(1, size)
        if space * size >= (1 << 62):
            key, space = _renumber(key, space)
            key = key.astype(np.int64)
        key *= size
        key += col
        space *= size
    return _renumber(key, space)


def _renumber(key: np.ndarray, space: int) -> tuple[np.ndarray, int]:
    # A presence table costs O(space): worth it only when space is close to the row count.
    if space <= 2 * key.shape[0] + 4096 and space <= (1 << 26):
        return kernels.renumber_dense(key, space)
    # Otherwise hash: Arrow's dictionary encoding numbers keys in one pass, where a sort
    # would take several.
    enc = pa.array(key, type=pa.int64()).dictionary_encode()
    return enc.indices.to_numpy(zero_copy_only=False), len(enc.dictionary)


class Evaluator:
    """Evaluates nodes on a frequency table, caching tables for roll-up.

    The base table holds level-0 label codes (``Domain.codes[0]`` of each value).
    """

    def __init__(
        self,
        spec: ReleaseSpec,
        domains: list[Domain],
        base: Table,
        sens_sizes: list[int],
        *,
        cache_rows: int | None = None,
    ) -> None:
        self.spec = spec
        self.domains = domains
        self.base = base
        self.sens_sizes = sens_sizes
        self.rows = int(base.counts.sum())
        self.limit = max_suppressed(spec, self.rows)
        self.cache: dict[tuple[int, ...], Table] = {base.levels: base}
        self.cache_rows = cache_rows if cache_rows is not None else max(200_000, base.rows // 8)
        self.weights = [q.weight for q in spec.quasi_identifiers]
        self.dens = [d.ncp_den for d in domains]
        self._ups: dict[tuple[int, int, int], np.ndarray] = {}
        # The table of the best-ranked passing node evaluated so far: the release needs it
        # again once the search is over, and it is often too large for the cache.
        self._best: tuple[tuple, tuple[int, ...], Table] | None = None
        # Marginal counts per level-0 label, for the lower bounds (a plain count when every
        # row is one record, which spares a float copy of the counts per column).
        weights = None if bool((base.counts == 1).all()) else base.counts
        self.marginals = [
            np.bincount(base.qi[i], weights=weights, minlength=len(d.labels[0])).astype(np.int64)
            for i, d in enumerate(domains)
        ]

    # -- lower bounds ------------------------------------------------------------------

    def generalisation_nums(self, levels: tuple[int, ...]) -> list[int]:
        return [
            int(np.dot(self.marginals[i], d.ncp_num[lv][self._up(i, 0, lv)]))
            for i, (d, lv) in enumerate(zip(self.domains, levels, strict=True))
        ]

    def lower_bound(self, levels: tuple[int, ...]) -> Fraction:
        return loss_fraction(self.weights, self.dens, self.generalisation_nums(levels), self.rows)

    # -- tables ------------------------------------------------------------------------

    def _up(self, q: int, lower: int, upper: int) -> np.ndarray:
        key = (q, lower, upper)
        if key not in self._ups:
            up = self.domains[q].up(lower, upper)
            self._ups[key] = up.astype(
                np.int16 if len(self.domains[q].labels[upper]) < 32767 else np.int32
            )
        return self._ups[key]

    def table(self, levels: tuple[int, ...], *, keep: bool = False) -> Table:
        if levels in self.cache:
            return self.cache[levels]
        if self._best is not None and self._best[1] == levels:
            return self._best[2]
        sources = [
            t
            for lv, t in self.cache.items()
            if all(a <= b for a, b in zip(lv, levels, strict=True))
        ]
        if not sources:  # pragma: no cover - the search never asks below the base
            raise AssertionError("a node below the base table was requested")
        source = min(sources, key=lambda t: t.rows)
        table = self._rollup(source, levels) if kernels.available() else None
        if table is not None:
            if keep or table.rows <= self.cache_rows:
                self.cache[levels] = table
                self._trim_cache()
            return table
        qi = []
        for q, (have, want) in enumerate(zip(source.levels, levels, strict=True)):
            col = source.qi[q]
            if have != want:
                col = self._up(q, have, want)[col]
            qi.append(col)
        sizes = [len(d.labels[lv]) for d, lv in zip(self.domains, levels, strict=True)]
        cls, m = dense_ids(qi, sizes)
        ids, r = dense_ids([cls, *source.sens], [m, *self.sens_sizes])
        first = first_index(ids, r)
        counts = np.bincount(ids, weights=source.counts, minlength=r).astype(np.int32)
        table = Table(
            levels,
            [c[first] for c in qi],
            [s[first] for s in source.sens],
            counts,
            cls[first].astype(np.int32),
            m,
        )
        if keep or table.rows <= self.cache_rows:
            self.cache[levels] = table
            self._trim_cache()
        return table

    def _rollup(self, source: Table, levels: tuple[int, ...]) -> Table | None:
        """``table`` in compiled passes, without per-row copies of the rolled-up columns;
        the same table, row for row. None where dense_ids would renumber part way."""
        sizes = [len(d.labels[lv]) for d, lv in zip(self.domains, levels, strict=True)]
        space = math.prod(max(1, s) for s in sizes)
        if space >= (1 << 62):
            return None
        ups = [
            None if have == want else self._up(q, have, want)
            for q, (have, want) in enumerate(zip(source.levels, levels, strict=True))
        ]
        cls, m = _renumber(class_key(source.qi, ups, sizes), space)
        sens_space = max(1, m) * math.prod(max(1, s) for s in self.sens_sizes)
        if sens_space >= (1 << 62):
            return None
        ids, r = _renumber(
            class_key([cls, *source.sens], [None] * (1 + len(source.sens)), [m, *self.sens_sizes]),
            sens_space,
        )
        first, counts = kernels.first_counts(ids, source.counts, r)
        del ids
        qi = [
            source.qi[q][first] if up is None else up[source.qi[q][first]]
            for q, up in enumerate(ups)
        ]
        return Table(
            levels,
            qi,
            [s[first] for s in source.sens],
            counts,
            cls[first].astype(np.int32),
            m,
        )

    def table_cost(self, levels: tuple[int, ...]) -> int:
        """Rows of the table this node would be rolled up from (0 when cached)."""
        if levels in self.cache:
            return 0
        return min(
            t.rows
            for lv, t in self.cache.items()
            if all(a <= b for a, b in zip(lv, levels, strict=True))
        )

    def _trim_cache(self) -> None:
        total = sum(t.rows for lv, t in self.cache.items() if lv != self.base.levels)
        if total <= 2 * self.cache_rows:  # about the base table's size again, at most
            return
        for lv, t in sorted(self.cache.items(), key=lambda kv: -kv[1].rows):
            if lv == self.base.levels:
                continue
            del self.cache[lv]
            total -= t.rows
            if total <= self.cache_rows:
                break

    # -- evaluation --------------------------------------------------------------------

    def class_ids(self, t: Table) -> np.ndarray:
        if t.cls is None:
            sizes = [len(d.labels[lv]) for d, lv in zip(self.domains, t.levels, strict=True)]
            cls, t.m = dense_ids(t.qi, sizes)
            t.cls = cls.astype(np.int32)
        return t.cls

    def rebase(self, levels: tuple[int, ...]) -> None:
        """Replace the base table by its roll-up to ``levels``, freeing the larger one.

        Sound once no node below ``levels`` can still win: every later evaluation is of a
        node at or above it.
        """
        table = self.table(levels, keep=True)
        old = self.base.levels
        self.base = table
        self.cache.pop(old, None)
        self.cache[levels] = table

    def class_verdicts(self, t: Table) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Per class of table ``t``: its size, whether it may be released, its l values."""
        spec = self.spec
        self.class_ids(t)
        size = np.bincount(t.cls, weights=t.counts, minlength=t.m).astype(np.int64)
        ok = size >= spec.privacy.k
        l_values: list[np.ndarray] = []
        for j, s in enumerate(spec.sensitive):
            if len(t.sens) == 1 and t.distinct_rows:
                # Rows are distinct on (class, value): each row is one value of a class.
                pair_cls, pair_count = t.cls, t.counts
            else:
                pair, pm = dense_ids([t.cls, t.sens[j]], [t.m, self.sens_sizes[j]])
                pair_cls = t.cls[first_index(pair, pm)]
                pair_count = np.bincount(pair, weights=t.counts, minlength=pm)
            if s.kind == "distinct" or s.l is None:
                distinct = np.bincount(pair_cls, minlength=t.m)
                l_values.append(distinct.astype(np.float64))
                if s.l is not None:
                    ok &= distinct >= s.l
            else:
                p = pair_count / size[pair_cls]
                h = np.bincount(pair_cls, weights=-p * np.log(p), minlength=t.m)
                l_values.append(np.exp(h))
                ok &= h >= math.log(s.l) - ENTROPY_TOLERANCE
        return size, ok, l_values

    def evaluate(self, levels: tuple[int, ...]) -> NodeOutcome:
        """Apply one node: which classes fail, how many records that suppresses, the loss."""
        t = self.table(levels)
        size, ok, l_values = self.class_verdicts(t)
        suppressed = int(size[~ok].sum())
        row_ok = ok[t.cls]
        kept_counts = np.where(row_ok, t.counts, 0)
        nums = []
        for q, (d, lv) in enumerate(zip(self.domains, levels, strict=True)):
            nums.append(int(np.dot(d.ncp_num[lv][t.qi[q]], kept_counts)) + suppressed * d.ncp_den)
        loss = loss_fraction(self.weights, self.dens, nums, self.rows)
        released_sizes = size[ok]
        dm = int(np.dot(released_sizes, released_sizes)) + suppressed * self.rows
        passes = suppressed <= self.limit and suppressed < self.rows
        k_ach = int(released_sizes.min()) if released_sizes.size else 0
        l_ach = tuple(float(v[ok].min()) if released_sizes.size else 0.0 for v in l_values)
        outcome = NodeOutcome(levels, passes, suppressed, int(ok.sum()), loss, dm, k_ach, l_ach)
        if passes:
            rank = outcome.rank(self.spec.privacy.metric)
            if self._best is None or rank < self._best[0]:
                self._best = (rank, levels, t)
        return outcome

    def pair_suppression(self) -> dict[tuple[int, int], np.ndarray]:
        """Records in classes smaller than k, for every pair of columns at every pair of levels.

        A node's projection on two columns (the others at ``*``) is more general than the
        node, so it suppresses no more records for k than the node does: a lower bound on
        the node's suppression from small two-way tables, without touching the node.
        """
        k = self.spec.privacy.k
        base = self.base
        for q in range(len(self.domains)):  # the level maps, made before the threads start
            for lv in range(self.domains[q].height):
                self._up(q, 0, lv)

        def pair(q1: int, q2: int) -> np.ndarray | None:
            d1, d2 = self.domains[q1], self.domains[q2]
            n1, n2 = len(d1.labels[0]), len(d2.labels[0])
            if n1 * n2 > (1 << 23):
                return None
            grid = pair_grid(base.qi[q1], base.qi[q2], base.counts, n1, n2)
            nz = np.flatnonzero(grid)
            c1, c2, w = nz // n2, nz % n2, grid[nz]
            table = np.zeros((d1.height, d2.height), dtype=np.int64)
            m2 = [len(lab) for lab in d2.labels]
            for a in range(d1.height):
                u1 = self._ups[(q1, 0, a)][c1].astype(np.int64)
                for b in range(d2.height):
                    key = u1 * m2[b] + self._ups[(q2, 0, b)][c2]
                    sums = np.bincount(key, weights=w)
                    table[a, b] = int(sums[(sums > 0) & (sums < k)].sum())
            return table

        # Pairs are independent and the grid count drops the GIL: two at a time.
        pairs = list(itertools.combinations(range(len(self.domains)), 2))
        with ThreadPoolExecutor(2) as pool:
            tables = list(pool.map(lambda p: pair(*p), pairs))
        return {p: t for p, t in zip(pairs, tables, strict=True) if t is not None}

    def k_suppression(self, levels: tuple[int, ...]) -> int | None:
        """Records in classes smaller than k at ``levels``, counted without building the
        node's table (one pass, one bincount); None when the label space is too large.

        It is a lower bound on the node's suppression under every model, so a node whose k
        part already exceeds the limit fails without a full evaluation.
        """
        sizes = [len(d.labels[lv]) for d, lv in zip(self.domains, levels, strict=True)]
        space = math.prod(max(1, s) for s in sizes)
        if space >= (1 << 62):
            return None
        sources = [
            t
            for lv, t in self.cache.items()
            if all(a <= b for a, b in zip(lv, levels, strict=True))
        ]
        source = min(sources, key=lambda t: t.rows)
        ups = [
            None if have == want else self._up(q, have, want)
            for q, (have, want) in enumerate(zip(source.levels, levels, strict=True))
        ]
        key = class_key(source.qi, ups, sizes)
        weights = None if bool((source.counts == 1).all()) else source.counts
        return small_class_records(key, weights, space, self.spec.privacy.k)

    def k_fails(self, outcome: NodeOutcome) -> bool:
        """True when the k part alone already fails (monotone even with entropy-l)."""
        t = self.table(outcome.levels)
        self.class_ids(t)
        size = np.bincount(t.cls, weights=t.counts, minlength=t.m)
        return int(size[size < self.spec.privacy.k].sum()) > self.limit


def first_index(ids: np.ndarray, m: int) -> np.ndarray:
    """One row index for each id 0..m-1."""
    first = np.empty(m, dtype=np.int64)
    # Any row of a group will do (they share its codes); a plain scatter is the fastest.
    first[ids] = np.arange(ids.shape[0], dtype=np.int64)
    return first


def search(
    spec: ReleaseSpec, evaluator: Evaluator, progress: Callable[[float], None] | None = None
) -> tuple[NodeOutcome | None, SearchTrace]:
    """Find the best node that meets the privacy model within the suppression limit."""
    if progress:
        progress(0.0)
    heights = [d.height for d in evaluator.domains]
    nodes = list(itertools.product(*(range(h) for h in heights)))
    trace = SearchTrace(lattice_size=len(nodes))
    metric = spec.privacy.metric
    monotone = all(s.kind == "distinct" or s.l is None for s in spec.sensitive)
    bounds = (
        {n: evaluator.lower_bound(n) for n in nodes}
        if metric == "loss"
        else {n: Fraction(0) for n in nodes}
    )
    order = sorted(nodes, key=lambda n: (bounds[n], sum(n), n))
    failed: set[tuple[int, ...]] = set()  # known to fail (tagging is only sound when monotone)
    best: NodeOutcome | None = None
    # With a monotone model a node suppresses at least as many records as any node above
    # it, and each suppressed record adds at least (1 - its largest NCP) per column to the
    # loss; that tightens the bound of specific nodes once general ones are evaluated.
    min_supp: dict[tuple[int, ...], int] = {}
    total_w = sum(Fraction(w) for w in evaluator.weights)
    gain_per_record = [
        sum(
            Fraction(w) * Fraction(d.ncp_den - int(d.ncp_num[lv].max(initial=0)), d.ncp_den)
            for w, d, lv in zip(evaluator.weights, evaluator.domains, n, strict=True)
        )
        / (total_w * max(1, evaluator.rows))
        for n in nodes
    ]
    gain = dict(zip(nodes, gain_per_record, strict=True))
    pairs = evaluator.pair_suppression() if len(heights) > 1 else {}
    for n in nodes:
        bound = max((t[n[a], n[b]] for (a, b), t in pairs.items()), default=0)
        if bound:
            min_supp[n] = int(bound)
        if bound > evaluator.limit:
            failed.add(n)  # sound for every model: suppression alone exceeds the limit
            trace.tagged_fail += 1

    def outcome(n: tuple[int, ...]) -> NodeOutcome:
        if n not in trace.outcomes:
            o = trace.outcomes[n] = evaluator.evaluate(n)
            trace.evaluated += 1
            if monotone and o.suppressed:
                for m in itertools.product(*(range(x + 1) for x in n)):
                    if min_supp.get(m, 0) < o.suppressed:
                        min_supp[m] = o.suppressed
        return trace.outcomes[n]

    k_checked: set[tuple[int, ...]] = set()
    label_counts = [[len(lab) for lab in d.labels] for d in evaluator.domains]
    cheap_cells = max(50_000, evaluator.rows // 20)
    probe_cells = max(200_000, evaluator.rows // 8)

    def cells(n: tuple[int, ...]) -> int:
        return math.prod(label_counts[q][lv] for q, lv in enumerate(n))

    def floor_of_remaining(start: int) -> tuple[int, ...] | None:
        # The most specific levels any node still in play needs: a table there serves
        # every remaining node, and is usually far smaller than the base table.
        live = [
            m for m in order[start:] if m not in failed and (best is None or bounds[m] <= best.loss)
        ]
        if not live:
            return None
        return tuple(min(col) for col in zip(*live, strict=True))

    def tag_below(n: tuple[int, ...]) -> None:
        for m in itertools.product(*(range(x + 1) for x in n)):
            if m not in failed:
                failed.add(m)
                if m not in trace.outcomes:
                    trace.tagged_fail += 1

    def fails(o: NodeOutcome) -> bool:
        return not o.passes if monotone else evaluator.k_fails(o)

    def chain_up(n: tuple[int, ...]) -> list[tuple[int, ...]]:
        # Raise the quasi-identifier with the fewest labels first, keeping the most
        # discriminating ones fine for longest: the failures found high on such a chain
        # tag the largest sets of nodes below them.
        path = [n]
        cur = list(n)
        while any(c < h - 1 for c, h in zip(cur, heights, strict=True)):
            q = min(
                (i for i in range(len(cur)) if cur[i] < heights[i] - 1),
                key=lambda i: (len(evaluator.domains[i].labels[cur[i]]), i),
            )
            cur[q] += 1
            path.append(tuple(cur))
        return path

    def probe(n: tuple[int, ...]) -> None:
        # Binary search for the lowest non-failing node on a chain above ``n``; every
        # failure tags all nodes below it, often including ``n`` itself.
        path = chain_up(n)
        # Only nodes with few possible classes are worth a probe: a probe that costs as
        # much as the node itself saves nothing.
        while len(path) > 1 and cells(path[0]) > probe_cells:
            path = path[1:]
        lo, hi = 0, len(path) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if path[mid] in failed:
                lo = mid + 1
                continue
            if k_check(path[mid]):
                lo = mid + 1
                continue
            o = outcome(path[mid])
            if fails(o):
                tag_below(path[mid])
                lo = mid + 1
            else:
                hi = mid

    def k_check(n: tuple[int, ...]) -> bool:
        # The cheap k part first: a lower bound on suppression for n and everything below.
        if n in k_checked:
            return n in failed
        k_checked.add(n)
        supp = evaluator.k_suppression(n)
        if supp is None:
            return False
        for m in itertools.product(*(range(x + 1) for x in n)):
            if min_supp.get(m, 0) < supp:
                min_supp[m] = supp
        if supp > evaluator.limit:
            tag_below(n)
            return True
        return False

    # First pass over the nodes with few possible classes: cheap to evaluate, and they give
    # an incumbent and suppression counts that let the bound rule out most specific nodes.
    cheap = [n for n in order if cells(n) <= cheap_cells]
    # An incumbent early: the cheap node with the lowest estimated loss that passes. It
    # bounds everything after, and lets the base table shrink to what can still win.
    estimate = sorted(cheap, key=lambda n: (bounds[n] + gain[n] * min_supp.get(n, 0), sum(n), n))

    def k_rules_out(n: tuple[int, ...]) -> bool:
        # Before a full evaluation that rolls up a large table: the k part alone, counted
        # in one pass, often already fails (and then everything below fails with it).
        return evaluator.table_cost(n) > _PROBE_ROWS and k_check(n)

    attempts = 0
    for n in estimate:
        if best is not None or attempts >= 8:
            break
        if n in failed:
            continue
        attempts += 1
        if k_rules_out(n):
            continue
        o = outcome(n)
        if fails(o):
            tag_below(n)
        if o.passes:
            best = o

    def shrink_base() -> None:
        if best is None or metric != "loss":
            return
        live = [m for m in nodes if m not in failed and bounds[m] <= best.loss]
        floor = tuple(min(col) for col in zip(*live, strict=True)) if live else None
        if floor is not None and floor != evaluator.base.levels:
            evaluator.rebase(floor)

    shrink_base()
    for n in cheap:
        if n in failed or n in trace.outcomes:
            continue
        if (
            best is not None
            and metric == "loss"
            and bounds[n] + gain[n] * min_supp.get(n, 0) > best.loss
        ):
            continue
        if k_rules_out(n):
            continue
        o = outcome(n)
        if fails(o):
            tag_below(n)
        if o.passes and (best is None or o.rank(metric) < best.rank(metric)):
            best = o

    shrink_base()
    total = len(order)
    for done, n in enumerate(order):
        if progress and done % 16 == 0:
            progress(done / total)
        if best is not None and metric == "loss" and bounds[n] > best.loss:
            trace.pruned_by_bound += total - done
            break
        if n in failed:
            continue
        if n in trace.outcomes:
            o = trace.outcomes[n]
            if o.passes and (best is None or o.rank(metric) < best.rank(metric)):
                best = o
            continue
        if (
            best is not None
            and metric == "loss"
            and bounds[n] + gain[n] * min_supp.get(n, 0) > best.loss
        ):
            trace.pruned_by_bound += 1
            continue
        if evaluator.table_cost(n) > _PROBE_ROWS:
            if k_check(n):
                continue
            if (
                best is not None
                and metric == "loss"
                and bounds[n] + gain[n] * min_supp.get(n, 0) > best.loss
            ):
                trace.pruned_by_bound += 1
                continue
            probe(n)
            if n in failed:
                continue
            if (
                best is not None
                and metric == "loss"
                and bounds[n] + gain[n] * min_supp.get(n, 0) > best.loss
            ):
                trace.pruned_by_bound += 1
                continue
            if evaluator.table_cost(n) >= evaluator.base.rows:
                floor = floor_of_remaining(done)
                if (
                    floor is not None
                    and floor != evaluator.base.levels
                    and floor not in evaluator.cache
                ):
                    evaluator.table(floor, keep=True)
        o = outcome(n)
        if fails(o):
            tag_below(n)
        if o.passes and (best is None or o.rank(metric) < best.rank(metric)):
            best = o
    # Every node was evaluated, ruled out as failing (monotonicity, projections, the k
    # check), or ruled out by the loss bound: count each once, whatever ruled it out first.
    trace.tagged_fail = len(failed - trace.outcomes.keys())
    trace.pruned_by_bound = len(nodes) - len(trace.outcomes) - trace.tagged_fail
    if progress:
        progress(1.0)
    return best, trace
