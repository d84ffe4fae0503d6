"""The compiled kernels give exactly what their NumPy versions give."""

from __future__ import annotations

import numpy as np
import pytest

from carepact.engine.release import kernels


def _numpy_key(columns, ups, sizes):
    key = np.zeros(columns[0].shape[0], dtype=np.int64)
    for col, up, size in zip(columns, ups, sizes, strict=True):
        key *= max(1, size)
        key += col if up is None else up[col]
    return key


@pytest.mark.parametrize("seed", range(6))
def test_class_key_matches_numpy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 5000))
    sizes0 = [int(s) for s in rng.integers(1, 3000, size=int(rng.integers(1, 5)))]
    columns, ups, sizes = [], [], []
    for s0, dtype in zip(sizes0, [np.int8, np.int16, np.int32, np.int16], strict=False):
        s0 = min(s0, np.iinfo(dtype).max)
        columns.append(rng.integers(0, s0, size=n).astype(dtype))
        if rng.random() < 0.5:
            ups.append(None)
            sizes.append(s0)
        else:
            coarse = int(rng.integers(1, s0 + 1))
            ups.append(np.sort(rng.integers(0, coarse, size=s0)).astype(np.int16))
            sizes.append(coarse)
    assert np.array_equal(kernels.class_key(columns, ups, sizes), _numpy_key(columns, ups, sizes))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("space_kind", ["dense", "hashed32", "hashed64"])
def test_small_class_records_matches_numpy(seed, space_kind):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 200_000))
    distinct = int(rng.integers(1, 50_000))
    space = {
        "dense": distinct,
        "hashed32": (1 << 30) + distinct,
        "hashed64": (1 << 40) + distinct,
    }[space_kind]
    values = (
        rng.choice(space, size=distinct, replace=False)
        if space < (1 << 31)
        else (rng.integers(0, space, size=distinct))
    )
    key = values[rng.integers(0, distinct, size=n)].astype(np.int64)
    k = int(rng.choice([1, 2, 5, 10, 300, 70_000]))
    weights = rng.integers(1, 20, size=n).astype(np.int32) if seed % 2 else None
    got = kernels.small_class_records(key, weights, space, k)
    want = kernels.small_class_records_numpy(key, weights, space, k)
    assert got == want


def test_small_class_records_counts_every_class_below_k():
    key = np.array([5, 5, 7, 9, 9, 9, 1 << 35], dtype=np.int64)
    assert kernels.small_class_records(key, None, 1 << 36, 3) == 4  # 5 (2), 7 (1), 2**35 (1)
    assert kernels.small_class_records(key, None, 1 << 36, 1) == 0
    weights = np.array([1, 1, 5, 1, 1, 1, 2], dtype=np.int32)
    assert kernels.small_class_records(key, weights, 1 << 36, 4) == 7  # 5 (2), 9 (3), 2**35 (2)


def _stable_byte_order(rows: np.ndarray) -> list[int]:
    return sorted(range(len(rows)), key=lambda i: rows[i].tobytes())


@pytest.mark.parametrize("n", [0, 1, 2, 3, 17, 1000, 70_000])
def test_digest_order_is_the_stable_sort(n):
    rng = np.random.default_rng(n)
    rows = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    if n > 3:
        # Repeated identifiers give equal digests; near-equal prefixes share buckets.
        rows[rng.integers(0, n, size=n // 3)] = rows[rng.integers(0, n, size=n // 3)]
        rows[: n // 4, :6] = rows[0, :6]
    assert kernels.digest_order(rows).tolist() == _stable_byte_order(rows)
    assert kernels.digest_order_numpy(rows).tolist() == _stable_byte_order(rows)


def test_digest_order_with_two_identifiers_interleaved():
    rows = np.zeros((50_000, 32), dtype=np.uint8)
    rows[::2, 7] = 2  # one crowded group, two prefixes, alternating
    rows[1::2, 7] = 1
    rows[::3, 20] = 9  # differences past the prefix order rows too
    assert kernels.digest_order(rows).tolist() == _stable_byte_order(rows)


@pytest.mark.parametrize("n", [0, 1, 5, 300, 70_000])
def test_digest_order_sorts_by_every_byte(n):
    rng = np.random.default_rng(n + 1)
    rows = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    if n > 5:
        rows[rng.integers(0, n, size=n // 3)] = rows[rng.integers(0, n, size=n // 3)]
        rows[: n // 50, :8] = rows[0, :8]  # equal prefixes, different digests
        rows[n // 2 : n // 2 + 200] = rows[1]  # a crowded bucket of one digest
    got = rows[kernels.digest_order(rows)]
    want = rows[kernels.digest_order_numpy(rows)]
    assert np.array_equal(got, want)
    assert np.array_equal(want, rows[np.lexsort(rows.T[::-1])])


@pytest.mark.parametrize("n", [0, 1, 2, 300, 70_000])
def test_sorted_hex_is_the_stable_sort_by_every_byte(n, monkeypatch):
    rng = np.random.default_rng(n)
    rows = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    if n > 300:
        # Crowded groups: one identifier many times, and rows sharing their first bytes.
        rows[::7] = rows[0]
        rows[1::5, :10] = rows[1, :10]
    want = sorted(range(n), key=lambda i: rows[i].tobytes())  # stable
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setattr(kernels, "_compiled", lambda: None)
        order, taken, hexed = kernels.sorted_hex(rows)
        assert order.tolist() == want
        assert np.array_equal(taken, rows[want])
        assert hexed.tobytes() == b"".join(rows[i].tobytes().hex().encode() for i in want)


def test_pair_grid_matches_bincount():
    rng = np.random.default_rng(4)
    first = rng.integers(0, 30, size=10_000).astype(np.int8)
    second = rng.integers(0, 700, size=10_000).astype(np.int16)
    weights = rng.integers(1, 5, size=10_000).astype(np.int32)
    want = np.bincount(first.astype(np.int64) * 700 + second, weights=weights, minlength=30 * 700)
    assert np.array_equal(kernels.pair_grid(first, second, weights, 30, 700), want)


@pytest.mark.parametrize("seed", range(4))
def test_renumber_and_first_counts_match_numpy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 20_000))
    space = int(rng.integers(1, 3 * n + 2))
    key = rng.integers(0, space, size=n).astype(np.int64)
    present = np.zeros(space, dtype=np.bool_)
    present[key] = True
    ids, m = kernels.renumber_dense(key, space)
    assert m == int(present.sum())
    assert np.array_equal(ids, (np.cumsum(present, dtype=np.int32) - 1)[key])
    weights = rng.integers(1, 9, size=n).astype(np.int32)
    first, counts = kernels.first_counts(ids, weights, m)
    want_first = np.empty(m, dtype=np.int64)
    want_first[ids] = np.arange(n, dtype=np.int64)
    assert np.array_equal(first, want_first)
    assert np.array_equal(counts, np.bincount(ids, weights=weights, minlength=m).astype(np.int32))


def test_two_thread_paths_match_numpy():
    rng = np.random.default_rng(9)
    n = (1 << 20) + 12_345
    columns = [rng.integers(0, 100, size=n).astype(np.int8), rng.integers(0, 3000, size=n)]
    ups = [None, (np.arange(3000) // 7).astype(np.int16)]
    sizes = [100, 429]
    key = kernels.class_key(columns, ups, sizes)
    assert np.array_equal(key, _numpy_key(columns, ups, sizes))
    for space in (100 * 429, (1 << 33) + 5):
        wide = key * (space // (100 * 429))
        weights = rng.integers(1, 4, size=n).astype(np.int32)
        for w in (None, weights):
            got = kernels.small_class_records(wide, w, space, 30)
            assert got == kernels.small_class_records_numpy(wide, w, space, 30)


@pytest.mark.parametrize("n", [0, 1, 7, 5_000])
def test_first_appearance_numbers_codes_as_they_first_occur(n, monkeypatch):
    rng = np.random.default_rng(n)
    idx = rng.integers(0, 40, size=n).astype(np.int32)
    seen: dict[int, int] = {}
    want = np.array([seen.setdefault(int(c), len(seen)) for c in idx], dtype=np.int32)
    codes, used = kernels.first_appearance(idx, 40)
    assert np.array_equal(codes, want)
    assert used.tolist() == list(seen)
    monkeypatch.setattr(kernels, "_compiled", lambda: None)
    codes, used = kernels.first_appearance(idx, 40)
    assert np.array_equal(codes, want)
    assert used.tolist() == list(seen)


@pytest.mark.parametrize("size", [0, 1, 3_000])
def test_digest_set_finds_exactly_its_members(size, monkeypatch):
    rng = np.random.default_rng(size)
    members = rng.integers(0, 256, size=(size, 32), dtype=np.uint8)
    others = rng.integers(0, 256, size=(2_000, 32), dtype=np.uint8)
    if size:
        # Near misses: a member's first eight bytes (the hash) with a different tail.
        others[:5, :8] = members[0, :8]
    rows = np.concatenate([others, members[::2]])
    want = np.array([False] * len(others) + [True] * len(members[::2]))
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setattr(kernels, "_compiled", lambda: None)
        found = kernels.DigestSet(members)
        assert len(found) == size
        assert np.array_equal(found.hits(rows), want)
