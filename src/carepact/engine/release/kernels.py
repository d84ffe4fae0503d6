"""Compiled loops for the search's hot spots, with NumPy fallbacks that give the same answers.

numba compiles them on first use and caches the machine code on disk (as for the pseudonym
loop); without numba the NumPy versions run, slower but equal.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

# Label spaces up to this size are counted in a dense array of small counters (one byte
# each while k < 255): no hashing, and far less memory than a bincount's float64 array.
DENSE_SPACE = 1 << 24
# Below this many rows a loop runs on one thread; above, on two.
_PARALLEL_ROWS = 1 << 20


@lru_cache(maxsize=1)
def _compiled():
    try:
        from numba import njit
    except ImportError:  # pragma: no cover - numba is a dependency; kept for odd platforms
        return None

    @njit(nogil=True, cache=True)
    def fold(key, col, up, size):  # pragma: no cover - compiled
        for i in range(key.shape[0]):
            key[i] = key[i] * size + up[col[i]]

    @njit(nogil=True, cache=True)
    def fold_plain(key, col, size):  # pragma: no cover - compiled
        for i in range(key.shape[0]):
            key[i] = key[i] * size + col[i]

    @njit(nogil=True, cache=True)
    def dense_small(key, weights, counts, k):  # pragma: no cover - compiled
        # Counters saturate at k: only classes smaller than k need their exact size.
        if weights.shape[0] == 0:
            for i in range(key.shape[0]):
                c = counts[key[i]]
                if c < k:
                    counts[key[i]] = c + 1
        else:
            for i in range(key.shape[0]):
                c = np.int64(counts[key[i]]) + weights[i]
                counts[key[i]] = k if c > k else c
        total = 0
        for j in range(counts.shape[0]):
            c = counts[j]
            if c < k:
                total += c
        return total

    @njit(nogil=True, cache=True)
    def scatter_parts(key, weights, buf, wbuf, pbits, starts):  # pragma: no cover
        # Scatter the keys into 2**pbits partitions by the high bits of their hash, so
        # each partition can be counted in a small open-addressing table that stays in
        # cache; ``starts`` gets the partitions' bounds.
        n = key.shape[0]
        parts = 1 << pbits
        mult = np.uint64(0x9E3779B97F4A7C15)
        top = np.uint64(63 - pbits)  # shifting one less, after a shift by one: pbits may be 0
        one = np.uint64(1)
        weighted = weights.shape[0] > 0
        for i in range(n):
            starts[np.int64(((np.uint64(key[i]) * mult) >> one) >> top) + 1] += 1
        for p in range(parts):
            starts[p + 1] += starts[p]
        fill = starts[:parts].copy()
        for i in range(n):
            p = np.int64(((np.uint64(key[i]) * mult) >> one) >> top)
            buf[fill[p]] = key[i]
            if weighted:
                wbuf[fill[p]] = weights[i]
            fill[p] += 1

    @njit(nogil=True, cache=True)
    def count_parts(buf, wbuf, starts, pbits, first, last, k, empty):  # pragma: no cover
        # Records in classes smaller than k, over partitions first..last-1.
        mult = np.uint64(0x9E3779B97F4A7C15)
        weighted = wbuf.shape[0] > 0
        largest = 0
        for p in range(first, last):
            if starts[p + 1] - starts[p] > largest:
                largest = starts[p + 1] - starts[p]
        size = 16
        while size * 3 < largest * 4:
            size *= 2
        slots = np.empty(size, dtype=buf.dtype)
        counts = np.zeros(size, dtype=np.int64)
        pb = np.uint64(pbits)
        total = 0
        for p in range(first, last):
            lo, hi = starts[p], starts[p + 1]
            m = hi - lo
            if m == 0:
                continue
            bits = 4
            while (1 << bits) * 3 < m * 4:
                bits += 1
            tsize = 1 << bits
            mask = tsize - 1
            shift = np.uint64(64 - bits)
            for j in range(tsize):
                slots[j] = empty
                counts[j] = 0
            for i in range(lo, hi):
                v = buf[i]
                h = np.int64(((np.uint64(v) * mult) << pb) >> shift)
                while True:
                    s = slots[h]
                    if s == v:
                        break
                    if s == empty:
                        slots[h] = v
                        break
                    h = (h + 1) & mask
                counts[h] += wbuf[i] if weighted else 1
            for j in range(tsize):
                c = counts[j]
                if c < k:
                    total += c
        return total

    @njit(nogil=True, cache=True)
    def pair_grid(first, second, weights, width, grid):  # pragma: no cover - compiled
        for i in range(first.shape[0]):
            grid[np.int64(first[i]) * width + second[i]] += weights[i]

    @njit(nogil=True, cache=True)
    def sort_hex(rows, hexdigits, order, out_rows, out_hex):  # pragma: no cover - compiled
        # Sort (n, 32) byte rows by all their bytes, stably, writing the order, the rows in
        # it and their hex. A gather of rows in sorted order misses the cache on every row,
        # so the rows move instead: scattered into 256 buckets by their first byte (256
        # streams of writes), then each bucket, small enough to stay in cache, is sorted
        # by a count on its second byte and insertion within the little groups left.
        # Empty ``out_rows`` or ``out_hex`` are left unwritten: the order alone is wanted.
        # (Everything is inline: a call to another compiled function would stop numba
        # caching this one.)
        n = rows.shape[0]
        w = rows.shape[1]
        eight = np.uint64(8)
        keys = np.empty(n, dtype=np.uint64)
        ends = np.zeros(257, dtype=np.int64)
        for i in range(n):
            v = np.uint64(0)
            for j in range(8):
                v = (v << eight) | np.uint64(rows[i, j])
            keys[i] = v
            ends[rows[i, 0] + 1] += 1
        for b in range(256):
            ends[b + 1] += ends[b]
        fill = ends[:256].copy()
        tkeys = np.empty(n, dtype=np.uint64)
        tidx = np.empty(n, dtype=np.int64)
        trows = np.empty((n, w), dtype=np.uint8)
        for i in range(n):
            p = fill[rows[i, 0]]
            fill[rows[i, 0]] += 1
            tkeys[p] = keys[i]
            tidx[p] = i
            for j in range(w):
                trows[p, j] = rows[i, j]
        sub = np.zeros(257, dtype=np.int64)
        loc = np.empty(0, dtype=np.int64)
        for b in range(256):
            lo, hi = ends[b], ends[b + 1]
            m = hi - lo
            if m == 0:
                continue
            if loc.shape[0] < m:
                loc = np.empty(m, dtype=np.int64)
            for t in range(257):
                sub[t] = 0
            for p in range(lo, hi):
                sub[trows[p, 1] + 1] += 1
            for t in range(256):
                sub[t + 1] += sub[t]
            sfill = sub[:256].copy()
            for p in range(lo, hi):
                c = trows[p, 1]
                loc[sfill[c]] = p
                sfill[c] += 1
            for t in range(256):
                s0, s1 = sub[t], sub[t + 1]
                if s1 - s0 > 64:
                    # Many rows in one group (one identifier many times): a merge sort on
                    # the prefix keeps it linear-logarithmic; then runs of equal prefixes
                    # by all bytes, below.
                    seg = loc[s0:s1].copy()
                    by = np.argsort(tkeys[seg], kind="mergesort")
                    for a in range(s1 - s0):
                        loc[s0 + a] = seg[by[a]]
                # Insertion, stable: by prefix, then by the remaining bytes.
                for a in range(s0 + 1, s1):
                    x = loc[a]
                    kx = tkeys[x]
                    c = a - 1
                    while c >= s0:
                        y = loc[c]
                        ky = tkeys[y]
                        if ky < kx:
                            break
                        if ky == kx:
                            later = False
                            for j in range(8, w):
                                if trows[y, j] != trows[x, j]:
                                    later = trows[y, j] > trows[x, j]
                                    break
                            if not later:
                                break
                        loc[c + 1] = y
                        c -= 1
                    loc[c + 1] = x
            want_rows, want_hex = out_rows.shape[0] > 0, out_hex.shape[0] > 0
            for a in range(m):
                p = loc[a]
                r = lo + a
                order[r] = tidx[p]
                for j in range(w):
                    v = trows[p, j]
                    if want_rows:
                        out_rows[r, j] = v
                    if want_hex:
                        out_hex[r * 2 * w + 2 * j] = hexdigits[v >> 4]
                        out_hex[r * 2 * w + 2 * j + 1] = hexdigits[v & 15]

    @njit(nogil=True, cache=True)
    def renumber_dense(key, mapping, ids):  # pragma: no cover - compiled
        # Number the distinct keys in key order through a table over the whole space.
        for i in range(key.shape[0]):
            mapping[key[i]] = 1
        m = 0
        for j in range(mapping.shape[0]):
            if mapping[j]:
                mapping[j] = m
                m += 1
        for i in range(key.shape[0]):
            ids[i] = mapping[key[i]]
        return m

    @njit(nogil=True, cache=True)
    def first_counts(ids, weights, first, counts):  # pragma: no cover - compiled
        # The last row of each id (as a scatter leaves it) and the weight of each id.
        for i in range(ids.shape[0]):
            first[ids[i]] = i
            counts[ids[i]] += weights[i]

    @njit(nogil=True, cache=True)
    def first_appearance(idx, remap, used, out):  # pragma: no cover - compiled
        # Renumber codes in order of first appearance; ``used`` gets the codes in that
        # order; returns how many there are. ``remap`` starts at -1.
        m = 0
        for i in range(idx.shape[0]):
            c = idx[i]
            r = remap[c]
            if r < 0:
                r = m
                remap[c] = r
                used[m] = c
                m += 1
            out[i] = r
        return m

    @njit(nogil=True, cache=True)
    def merge_distinct(rows, pos, ends, last, out):  # pragma: no cover - compiled
        # Merge runs of rows (each sorted by all bytes) into ``out``, dropping repeats,
        # until ``out`` is full or the runs are spent; returns the rows written. ``pos``
        # (each run's next row) and ``last`` (the row last written, flag at the end)
        # carry over between calls. Runs are few: a scan of their heads beats a heap.
        width = rows.shape[1]
        eight = np.uint64(8)
        m = 0
        while m < out.shape[0]:
            best = -1
            best_head = np.uint64(0)
            for j in range(pos.shape[0]):
                if pos[j] >= ends[j]:
                    continue
                head = np.uint64(0)
                for t in range(8):
                    head = (head << eight) | np.uint64(rows[pos[j], t])
                if best < 0 or head < best_head:
                    best, best_head = j, head
                elif head == best_head:
                    a, b = pos[j], pos[best]
                    for t in range(8, width):
                        if rows[a, t] != rows[b, t]:
                            if rows[a, t] < rows[b, t]:
                                best = j
                            break
            if best < 0:
                break
            i = pos[best]
            pos[best] += 1
            repeat = last[width] == 1
            if repeat:
                for t in range(width):
                    if rows[i, t] != last[t]:
                        repeat = False
                        break
            if repeat:
                continue
            for t in range(width):
                out[m, t] = rows[i, t]
                last[t] = rows[i, t]
            last[width] = 1
            m += 1
        return m

    @njit(nogil=True, cache=True)
    def digest_slots(rows, slots):  # pragma: no cover - compiled
        # An open-addressing table over (n, 32) digest rows, which are distinct: slot h
        # holds a row number or -1. Digests are uniformly random, so their first eight
        # bytes serve as the hash.
        mask = slots.shape[0] - 1
        eight = np.uint64(8)
        for i in range(rows.shape[0]):
            v = np.uint64(0)
            for j in range(8):
                v = (v << eight) | np.uint64(rows[i, j])
            h = np.int64(v & np.uint64(mask))
            while slots[h] >= 0:
                h = (h + 1) & mask
            slots[h] = i

    @njit(nogil=True, cache=True)
    def digest_hits(rows, table, slots, out):  # pragma: no cover - compiled
        # out[i] = whether rows[i] is one of the table's rows (all bytes compared).
        mask = slots.shape[0] - 1
        eight = np.uint64(8)
        width = rows.shape[1]
        for i in range(rows.shape[0]):
            v = np.uint64(0)
            for j in range(8):
                v = (v << eight) | np.uint64(rows[i, j])
            h = np.int64(v & np.uint64(mask))
            found = False
            while slots[h] >= 0:
                t = slots[h]
                same = True
                for j in range(width):
                    if rows[i, j] != table[t, j]:
                        same = False
                        break
                if same:
                    found = True
                    break
                h = (h + 1) & mask
            out[i] = found

    return SimpleNamespace(
        fold=fold,
        fold_plain=fold_plain,
        dense_small=dense_small,
        scatter_parts=scatter_parts,
        count_parts=count_parts,
        pair_grid=pair_grid,
        sort_hex=sort_hex,
        renumber_dense=renumber_dense,
        first_counts=first_counts,
        first_appearance=first_appearance,
        merge_distinct=merge_distinct,
        digest_slots=digest_slots,
        digest_hits=digest_hits,
    )


class DigestSet:
    """A set of distinct 32-byte digests, for asking which of many rows are in it."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = np.ascontiguousarray(rows.reshape(-1, 32))
        kernels = _compiled()
        if kernels is None:
            self.members = {r.tobytes() for r in self.rows}
            return
        size = 16
        while size < 2 * len(self.rows):
            size *= 2
        self.slots = np.full(size, -1, dtype=np.int64)
        kernels.digest_slots(self.rows, self.slots)
        self.members = None

    def __len__(self) -> int:
        return len(self.rows)

    def hits(self, rows: np.ndarray) -> np.ndarray:
        """A boolean per row of (n, 32) ``rows``: whether it is in the set."""
        if self.members is not None:
            return np.array([r.tobytes() in self.members for r in rows], dtype=np.bool_)
        out = np.empty(len(rows), dtype=np.bool_)
        _compiled().digest_hits(np.ascontiguousarray(rows), self.rows, self.slots, out)
        return out


def warm_up() -> threading.Thread:
    """Import numba and load the cached machine code of the kernels on a background thread.

    That takes about a second (the first call of a compiled function starts LLVM), which a
    release spends better while DuckDB reads its input than when the search needs them.
    """

    def load() -> None:
        kernels = _compiled()
        if kernels is not None:
            for dtype in (np.int8, np.int16, np.int32):
                kernels.fold_plain(np.zeros(1, np.int64), np.zeros(1, dtype), 1)
                kernels.pair_grid(
                    np.zeros(1, dtype),
                    np.zeros(1, dtype),
                    np.ones(1, np.int32),
                    1,
                    np.zeros(1, np.int64),
                )

    thread = threading.Thread(target=load, name="carepact-warm-up", daemon=True)
    thread.start()
    return thread


def available() -> bool:
    """True when the compiled kernels run (numba is importable)."""
    return _compiled() is not None


def renumber_dense(key: np.ndarray, space: int) -> tuple[np.ndarray, int]:
    """Ids 0..m-1 for the distinct values of ``key`` (all below ``space``) in value order:
    what a presence table and its cumulative sum give."""
    kernels = _compiled()
    if kernels is None:
        present = np.zeros(space, dtype=np.bool_)
        present[key] = True
        mapping = np.cumsum(present, dtype=np.int32) - 1
        return mapping[key], int(present.sum())
    ids = np.empty(key.shape[0], dtype=np.int32)
    m = kernels.renumber_dense(key, np.zeros(space, dtype=np.int32), ids)
    return ids, int(m)


def first_counts(ids: np.ndarray, weights: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """(last row index of each id 0..m-1, int32 total weight of each id)."""
    kernels = _compiled()
    if kernels is None:
        first = np.empty(m, dtype=np.int64)
        first[ids] = np.arange(ids.shape[0], dtype=np.int64)
        return first, np.bincount(ids, weights=weights, minlength=m).astype(np.int32)
    first = np.empty(m, dtype=np.int64)
    counts = np.zeros(m, dtype=np.int64)
    kernels.first_counts(ids, weights, first, counts)
    return first, counts.astype(np.int32)


def pair_grid(first: np.ndarray, second: np.ndarray, weights: np.ndarray, n1: int, n2: int):
    """Records per cell of two code columns: an (n1 * n2) int64 grid, cell a * n2 + b."""
    kernels = _compiled()
    if kernels is None:
        cells = first.astype(np.int64) * n2 + second
        return np.bincount(cells, weights=weights, minlength=n1 * n2).astype(np.int64)
    grid = np.zeros(n1 * n2, dtype=np.int64)
    kernels.pair_grid(first, second, weights, n2, grid)
    return grid


def first_appearance(idx: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0..k-1 renumbered in order of first appearance: (new int32 codes, the old
    codes in that order)."""
    kernels = _compiled()
    if kernels is None:
        n = idx.shape[0]
        first = np.full(k, n, dtype=np.int64)
        first[idx[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
        used = np.flatnonzero(first < n)
        used = used[np.argsort(first[used], kind="stable")]
        remap = np.full(k, -1, dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        return remap[idx], used
    out = np.empty(idx.shape[0], dtype=np.int32)
    used = np.empty(k, dtype=np.int64)
    m = kernels.first_appearance(idx, np.full(k, -1, dtype=np.int32), used, out)
    return out, used[:m]


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).copy()


def sorted_hex(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, 32) digest rows sorted by all their bytes (stably: equal rows keep their order):
    (the order, the rows in it, their lowercase hex, 64 bytes a row)."""
    kernels = _compiled()
    if kernels is None or rows.shape[0] == 0:
        order = digest_order_numpy(rows)
        taken = rows[order]
        pairs = np.frombuffer(b"".join(b"%02x" % i for i in range(256)), dtype=np.uint16)
        return order, taken, pairs[taken].view(np.uint8).reshape(-1)
    n, width = rows.shape
    order = np.empty(n, dtype=np.int64)
    taken = np.empty((n, width), dtype=np.uint8)
    hexed = np.empty(n * width * 2, dtype=np.uint8)
    kernels.sort_hex(np.ascontiguousarray(rows), _HEX_DIGITS, order, taken, hexed)
    return order, taken, hexed


def digest_order(rows: np.ndarray) -> np.ndarray:
    """The stable order of (n, 32) byte rows by all their bytes (equal rows keep theirs)."""
    kernels = _compiled()
    if kernels is None or rows.shape[0] == 0:
        return digest_order_numpy(rows)
    order = np.empty(rows.shape[0], dtype=np.int64)
    none = np.empty((0, rows.shape[1]), dtype=np.uint8)
    kernels.sort_hex(np.ascontiguousarray(rows), _HEX_DIGITS, order, none, none.reshape(-1))
    return order


def merged_distinct(rows: np.ndarray, runs: list[int], chunk: int) -> Iterator[np.ndarray]:
    """The distinct rows of (n, 32) ``rows`` in byte order, ``chunk`` rows at a time, where
    ``rows[runs[i]:runs[i + 1]]`` are each sorted by all bytes already (a merge, which reads
    each run in order instead of gathering rows from all over)."""
    kernels = _compiled()
    if kernels is None or len(runs) < 2:
        ordered = rows[digest_order(rows)]
        keep = np.ones(len(ordered), dtype=np.bool_)
        keep[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
        ordered = ordered[keep]
        for start in range(0, len(ordered), chunk):
            yield ordered[start : start + chunk]
        return
    pos = np.array(runs[:-1], dtype=np.int64)
    ends = np.array(runs[1:], dtype=np.int64)
    last = np.zeros(rows.shape[1] + 1, dtype=np.uint8)
    out = np.empty((chunk, rows.shape[1]), dtype=np.uint8)
    while m := kernels.merge_distinct(rows, pos, ends, last, out):
        yield out[:m]


def digest_order_numpy(rows: np.ndarray) -> np.ndarray:
    order = prefix_order_numpy(rows)
    head = np.ascontiguousarray(rows[:, :8]).view(">u8").ravel()[order]
    ties = np.flatnonzero(head[1:] == head[:-1])
    if ties.size:  # equal first eight bytes: order those runs by the whole row
        n = len(order)
        for start in ties[np.r_[True, np.diff(ties) > 1]]:
            end = start + 1
            while end < n and head[end] == head[start]:
                end += 1
            run = order[start:end]
            order[start:end] = sorted(run, key=lambda i: rows[i].tobytes())
    return order


def prefix_order_numpy(rows: np.ndarray) -> np.ndarray:
    head = np.ascontiguousarray(rows[:, :8]).view(">u8").ravel()
    return np.argsort(head, kind="stable")


def _counter(k: int):
    for dtype in (np.uint8, np.uint16, np.uint32):
        if k < np.iinfo(dtype).max:
            return dtype
    return np.int64


def class_key(columns: list[np.ndarray], ups: list[np.ndarray | None], sizes: list[int]):
    """Mixed-radix key per row: sum of (up[col] or col) times the sizes after it."""
    n = columns[0].shape[0] if columns else 0
    key = np.zeros(n, dtype=np.int64)
    kernels = _compiled()
    if kernels is None:
        for col, up, size in zip(columns, ups, sizes, strict=True):
            key *= max(1, size)
            key += col if up is None else up[col]
        return key

    def fold_rows(lo: int, hi: int) -> None:
        part = key[lo:hi]
        for col, up, size in zip(columns, ups, sizes, strict=True):
            if up is None:
                kernels.fold_plain(part, col[lo:hi], max(1, size))
            else:
                kernels.fold(part, col[lo:hi], up, max(1, size))

    if n < _PARALLEL_ROWS:
        fold_rows(0, n)
    else:  # two halves of the rows on two threads (the loops drop the GIL)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda r: fold_rows(*r), [(0, n // 2), (n // 2, n)]))
    return key


def small_class_records(key: np.ndarray, weights: np.ndarray | None, space: int, k: int) -> int:
    """Records in classes (equal keys, ``weights`` records per row) smaller than ``k``."""
    kernels = _compiled()
    if kernels is None:
        return small_class_records_numpy(key, weights, space, k)
    w = np.empty(0, dtype=np.int32) if weights is None else weights
    counter = _counter(k)
    if space <= DENSE_SPACE:
        return int(kernels.dense_small(key, w, np.zeros(space, dtype=counter), k))
    n = key.shape[0]
    # Partitions of about 32k rows: each one's table fits in the CPU's cache.
    pbits = 0
    while pbits < 16 and (n >> pbits) > 32_768:
        pbits += 1
    if space < (1 << 32) - 1:
        buf, empty = np.empty(n, dtype=np.uint32), np.uint32((1 << 32) - 1)
    else:
        buf, empty = np.empty(n, dtype=np.int64), np.int64(-1)
    wbuf = np.empty(n if weights is not None else 0, dtype=w.dtype)
    scatter_parts, count_parts = kernels.scatter_parts, kernels.count_parts
    starts = np.zeros((1 << pbits) + 1, dtype=np.int64)
    scatter_parts(key, w, buf, wbuf, pbits, starts)
    parts = 1 << pbits
    if n < _PARALLEL_ROWS or parts < 2:
        return int(count_parts(buf, wbuf, starts, pbits, 0, parts, k, empty))
    # Partitions are independent: count the two halves on two threads (nogil).
    halves = [(0, parts // 2), (parts // 2, parts)]
    with ThreadPoolExecutor(2) as pool:
        totals = pool.map(
            lambda r: count_parts(buf, wbuf, starts, pbits, r[0], r[1], k, empty), halves
        )
        return int(sum(totals))


def small_class_records_numpy(
    key: np.ndarray, weights: np.ndarray | None, space: int, k: int
) -> int:
    """The NumPy version: a bincount for small spaces, else a sort and runs of equal keys."""
    if space <= DENSE_SPACE:
        counts = np.bincount(key, weights=weights, minlength=space)
        return int(counts[(counts > 0) & (counts < k)].sum())
    if weights is not None:
        order = np.argsort(key, kind="stable")
        key = key[order]
        weights = weights[order].astype(np.int64)
        del order
    else:
        key = np.sort(key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    if weights is None:
        runs = np.diff(np.r_[starts, key.shape[0]])
    else:
        runs = np.add.reduceat(weights, starts)
    return int(runs[runs < k].sum())
