"""The DuckDB engine: two streaming passes over the input and a search in between.

Pass one reads only the quasi-identifier and sensitive columns, applies consent in DuckDB,
and codes every value against a per-column dictionary, giving the frequency table. The
search (``lattice``) picks the generalisation. Pass two streams the released columns in
input order, drops excluded and suppressed rows, replaces values by their labels,
computes pseudonyms and writes blocks. Memory is bounded by the frequency table and one
block, whatever the number of rows.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from carepact.engine.release.errors import ReleaseError
from carepact.engine.release.hierarchy import build_domain, canonical
from carepact.engine.release.io import (
    InputPlan,
    ReleaseWriter,
    id_expression,
    quote,
)
from carepact.engine.release.kernels import DigestSet, digest_order, sorted_hex, warm_up
from carepact.engine.release.lattice import Evaluator, Table, dense_ids, first_index, search
from carepact.engine.release.model import Analysis, HashedExclusions
from carepact.engine.release.pseudonym import digest_rows, hex_strings
from carepact.engine.release.spec import ReleaseSpec

_BATCH = 500_000
INPUT_CHANGED = "the input changed between the two passes; run the release again"
_ENUM_TYPES = frozenset(
    [
        "VARCHAR",
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "DATE",
    ]
)
_ENUM_MAX = 200_000


class Encoder:
    """A growing dictionary from values to integer codes for one column."""

    def __init__(self) -> None:
        self.index: dict[object, int] = {}
        self.values: list[object] = []
        self.remap: np.ndarray | None = None

    def encode(self, arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        enc = pc.dictionary_encode(arr)
        lut = np.empty(len(enc.dictionary) + 1, dtype=np.int32)
        for i, v in enumerate(enc.dictionary.to_pylist()):
            lut[i] = self._code(v)
        lut[-1] = self._code(None) if enc.indices.null_count else 0
        idx = pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy(zero_copy_only=False)
        return lut[idx]

    def lookup(self, arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Codes of values already seen (pass two sees the same values as pass one), -1
        for a value not seen (or dropped by ``compact``)."""
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        enc = pc.dictionary_encode(arr)
        lut = np.empty(len(enc.dictionary) + 1, dtype=np.int32)
        for i, v in enumerate(enc.dictionary.to_pylist()):
            lut[i] = self.index.get(v, -1)
        lut[-1] = self.index.get(None, -1)
        idx = pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy(zero_copy_only=False)
        return lut[idx]

    def compact(self, codes: np.ndarray) -> np.ndarray:
        """Forget values no code uses; return the codes renumbered to match."""
        mapping = self.compact_map(codes)
        return codes if mapping is None else mapping[codes]

    def compact_map(self, codes: np.ndarray) -> np.ndarray | None:
        """Forget values no code uses; return old code -> new code (-1 for a value no
        code uses), or None when every value is used and codes stay as they are."""
        used = np.bincount(codes, minlength=len(self.values)) > 0
        if used.all():
            self.remap = np.arange(len(self.values), dtype=np.int32)
            return None
        mapping = np.where(used, np.cumsum(used) - 1, -1).astype(np.int32)
        self.values = [v for v, u in zip(self.values, used, strict=True) if u]
        self.index = {v: i for i, v in enumerate(self.values)}
        self.remap = mapping  # old code -> new code, -1 for values no released row has
        return mapping

    def code(self, v: object) -> int:
        return self._code(v)

    def _code(self, v: object) -> int:
        code = self.index.get(v)
        if code is None:
            code = self.index[v] = len(self.values)
            self.values.append(v)
        return code


def _smallest(a: np.ndarray, size: int) -> np.ndarray:
    for dtype in (np.int8, np.int16, np.int32):
        if size < np.iinfo(dtype).max:
            return a.astype(dtype)
    return a


class FastEngine:
    """Frequency table, lattice search and streaming rewrite over DuckDB."""

    name = "duckdb"

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        spec: ReleaseSpec,
        plan: InputPlan,
        exclusions: tuple[str, ...],
        hashed: HashedExclusions | None = None,
    ) -> None:
        warm_up()  # the compiled kernels load while pass one reads
        self.con = con
        self.spec = spec
        self.plan = plan
        self.hashed = hashed if hashed is not None and hashed.digests else None
        self.excluded_by_hash = 0
        con.execute("CREATE OR REPLACE TEMP TABLE _excl (id VARCHAR)")
        if exclusions:
            ids = pa.table({"id": pa.array(exclusions, type=pa.string())})
            con.register("_excl_src", ids)
            con.execute("INSERT INTO _excl SELECT id FROM _excl_src")
            con.unregister("_excl_src")
        self.encoders = [Encoder() for _ in spec.qi_columns]
        self.sens_encoders = [Encoder() for _ in spec.sensitive_columns]
        self.evaluator: Evaluator | None = None
        self.analysis: Analysis | None = None
        self._verdicts_at: tuple[tuple[int, ...], tuple] | None = None

    def analyse(self, progress: Callable[[float], None] | None = None) -> Analysis:
        """Pass one and the search."""
        spec = self.spec
        self._verdicts_at = None
        cols = [*spec.qi_columns, *spec.sensitive_columns]
        select = ", ".join(quote(c) for c in cols)
        encoders = [*self.encoders, *self.sens_encoders]
        luts = self._enum_columns(cols, encoders, "_carepact_scan")
        outer = [
            f"TRY_CAST({_as_text(c, self.plan.columns)} AS _carepact_scan_{i}) AS {quote(c)}"
            if i in luts
            else quote(c)
            for i, c in enumerate(cols)
        ]
        with_pid = ", _pid" if self.hashed else ""
        sql = (
            f"SELECT CASE WHEN _pid IS NULL THEN 2 WHEN _pid IN (SELECT id FROM _excl) THEN 1 "  # noqa: S608
            f"ELSE 0 END::TINYINT AS _status, {', '.join(outer)}{with_pid} "
            f"FROM (SELECT {id_expression(spec)} AS _pid, {select} FROM {self.plan.relation})"
        )
        matched: list[pa.Array] = []
        self._scan_luts = luts
        total = self.con.sql(f"SELECT count(*) FROM {self.plan.relation}").fetchall()[0][0]  # noqa: S608
        if total == 0:
            raise ReleaseError("input has no rows")
        qi_chunks: list[list[np.ndarray]] = [[] for _ in spec.qi_columns]
        sens_chunks: list[list[np.ndarray]] = [[] for _ in spec.sensitive_columns]
        status_counts = np.zeros(3, dtype=np.int64)
        seen = 0
        reader = self.con.sql(sql).to_arrow_reader(_BATCH)
        for batch in _prefetched(reader):
            status = batch.column(0).to_numpy(zero_copy_only=False)
            if self.hashed:
                # Registry exclusions arrive as keyed hashes: hash this batch's identifiers
                # under the registry's key and exclude the matches like any opt-out.
                status = status.copy()
                pids = batch.column(batch.num_columns - 1)
                candidates = np.flatnonzero(status == 0)
                hit = self.hashed.match(pids.take(pa.array(candidates)))
                status[candidates[hit]] = 1
                matched.append(pids.take(pa.array(candidates[hit])))
            status_counts += np.bincount(status, minlength=3)
            keep = status == 0
            # Code every row, then drop excluded ones: cheaper than filtering each column.
            for pos, enc in enumerate(encoders):
                column = batch.column(1 + pos)
                codes = _enum_codes(column, luts[pos], enc) if pos in luts else enc.encode(column)
                target = (
                    qi_chunks[pos]
                    if pos < len(spec.qi_columns)
                    else sens_chunks[pos - len(spec.qi_columns)]
                )
                target.append(codes[keep])
            seen += batch.num_rows
            if progress:
                progress(0.5 * seen / max(1, total))
        if matched:
            # Pass two excludes them by identifier, in DuckDB, like the opt-out list.
            ids = pa.concat_arrays([m.cast(pa.string()) for m in matched])
            self.excluded_by_hash = len(ids)
            if len(ids):
                self.con.register("_excl_hashed", pa.table({"id": ids}))
                self.con.execute("INSERT INTO _excl SELECT id FROM _excl_hashed")
                self.con.unregister("_excl_hashed")
        rows = int(status_counts[0])
        if rows == 0:
            raise ReleaseError("no rows are left once consent exclusions are applied")
        if spec.privacy.k > rows:
            raise ReleaseError(
                f"k ({spec.privacy.k}) is larger than the number of rows "
                f"that may be released ({rows})"
            )
        # Excluded rows were coded too (cheaper than filtering): keep only the values that
        # released rows use, so the domain is what the reference engine sees. One column at
        # a time, freeing its chunks, keeps the peak low.
        qi_codes = []
        compacted: list[np.ndarray | None] = []
        for i, enc in enumerate(self.encoders):
            qi_codes.append(np.concatenate(qi_chunks[i]))
            qi_chunks[i] = []
            compacted.append(enc.compact_map(qi_codes[i]))
        sens = []
        for j, enc in enumerate(self.sens_encoders):
            sens.append(_smallest(enc.compact(np.concatenate(sens_chunks[j])), len(enc.values)))
            sens_chunks[j] = []
        domains = [
            build_domain(q.column, q.hierarchy, enc.values)
            for q, enc in zip(spec.quasi_identifiers, self.encoders, strict=True)
        ]
        # The frequency table holds level-0 label codes; pass two maps values the same way.
        qi = []
        for i, d in enumerate(domains):
            to_label = _smallest(d.codes[0], len(d.labels[0]))
            if compacted[i] is not None:
                # Renumbering and labelling in one pass: no code maps to -1 (unused values).
                to_label = to_label[np.maximum(compacted[i], 0)]
            qi.append(to_label[qi_codes[i]])
            qi_codes[i] = None
        del qi_codes
        sens_sizes = [max(1, len(e.values)) for e in self.sens_encoders]
        base = _frequency_table(qi, sens, [len(d.labels[0]) for d in domains], sens_sizes)
        evaluator = Evaluator(spec, domains, base, sens_sizes)
        best, trace = search(
            spec, evaluator, (lambda f: progress(0.5 + 0.5 * f)) if progress else None
        )
        class_sizes: list[int] = []
        if best is not None:
            _, ok, sizes = self._verdicts(evaluator, best.levels)
            class_sizes = sorted(int(s) for s in sizes[ok])
        candidates = sorted(
            (o for o in trace.outcomes.values() if o.passes),
            key=lambda o: o.rank(spec.privacy.metric),
        )
        self.evaluator = evaluator
        self.analysis = Analysis(
            rows_in=int(status_counts.sum()),
            excluded_consent=int(status_counts[1]),
            excluded_no_id=int(status_counts[2]),
            domains=domains,
            best=best,
            class_sizes=class_sizes,
            lattice_size=trace.lattice_size,
            evaluated=trace.evaluated,
            tagged=trace.tagged_fail,
            pruned=trace.pruned_by_bound,
            candidates=candidates,
        )
        return self.analysis

    def _enum_columns(
        self, cols: list[str], encoders: list[Encoder], prefix: str
    ) -> dict[int, np.ndarray]:
        """Enum types for columns with a modest number of distinct values, so DuckDB returns
        dictionary codes instead of values; returns, per column, enum position -> code.

        Costs a DISTINCT over each such column first, which on columnar input reads that
        column only, and saves coding every value in Python.
        """
        luts: dict[int, np.ndarray] = {}
        for i, c in enumerate(cols):
            if self.plan.columns.get(c, "").upper() not in _ENUM_TYPES:
                continue
            rows = self.con.sql(
                f"SELECT DISTINCT {quote(c)} FROM {self.plan.relation} "  # noqa: S608
                f"WHERE {quote(c)} IS NOT NULL LIMIT {_ENUM_MAX + 1}"
            ).fetchall()
            if len(rows) > _ENUM_MAX:
                continue
            values = sorted((r[0] for r in rows), key=canonical)
            texts = [canonical(v) for v in values]
            if not values or len(set(texts)) != len(texts):
                continue
            literal = ", ".join("'" + t.replace("'", "''") + "'" for t in texts)
            self.con.execute(f"CREATE OR REPLACE TYPE {prefix}_{i} AS ENUM ({literal})")
            luts[i] = np.array([encoders[i].code(v) for v in values] + [-1], dtype=np.int32)
        return luts

    def _verdicts(
        self, evaluator: Evaluator, levels: tuple[int, ...]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per class at ``levels``: its key (sorted), whether it is released, its size."""
        if self._verdicts_at is not None and self._verdicts_at[0] == levels:
            return self._verdicts_at[1]
        t = evaluator.table(levels)
        size, ok, _ = evaluator.class_verdicts(t)
        sizes_l = [len(d.labels[lv]) for d, lv in zip(evaluator.domains, levels, strict=True)]
        rep = first_index(t.cls, t.m)
        keys = _class_keys([c[rep] for c in t.qi], sizes_l)
        sort = np.argsort(keys, kind="stable")
        verdicts = keys[sort], ok[sort], size[sort]
        self._verdicts_at = (levels, verdicts)
        return verdicts

    def write(
        self,
        key: bytes,
        writer: ReleaseWriter,
        block_rows: int,
        progress: Callable[[float], None] | None = None,
        membership_key: bytes | None = None,
    ) -> tuple[int, np.ndarray, list[int]]:
        """Pass two: write the released rows; returns (rows written, their digests, where
        each block's digests start: each block's are sorted)."""
        spec = self.spec
        analysis = self.analysis
        assert analysis is not None and analysis.best is not None and self.evaluator is not None
        levels = analysis.best.levels
        keys, ok, _ = self._verdicts(self.evaluator, levels)
        sizes_l = [len(d.labels[lv]) for d, lv in zip(analysis.domains, levels, strict=True)]
        label_arrays = [
            pa.array(list(d.labels[lv]), type=pa.string())
            for d, lv in zip(analysis.domains, levels, strict=True)
        ]
        self.evaluator = None  # the frequency table is not needed any more
        passthrough = [*spec.sensitive_columns, *spec.keep]
        select = ", ".join(quote(c) for c in (*spec.qi_columns, *passthrough))
        # Text columns come back as enum codes (DuckDB hashes them in parallel, in C++),
        # which are positions in the column's dictionary from pass one.
        # The pass-one enum types again: DuckDB returns codes, mapped through the pass-one
        # dictionaries as they were after dropping values only excluded rows had.
        enum_maps: dict[int, np.ndarray] = {}
        for i, lut in self._scan_luts.items():
            if i < len(spec.qi_columns):
                remap = self.encoders[i].remap
                mapped = lut.copy()
                known = mapped >= 0
                if remap is not None:
                    mapped[known] = remap[mapped[known]]
                enum_maps[i] = mapped
        outer = [
            f"TRY_CAST({_as_text(c, self.plan.columns)} AS _carepact_scan_{i}) AS {quote(c)}"
            if i in enum_maps
            else quote(c)
            for i, c in enumerate(spec.qi_columns)
        ]
        outer += [quote(c) for c in passthrough]
        sql = (
            f"SELECT _pid, {', '.join(outer)} FROM (SELECT {id_expression(spec)} AS _pid, {select} "  # noqa: S608
            f"FROM {self.plan.relation}) "
        )
        # Consent is applied here, not in the query (DuckDB's join for ``NOT IN`` gives up
        # the input's order on several threads, and the rows' order decides which block
        # each lands in), and to the keyed digests every released row needs anyway: an
        # excluded identifier has the same digest, and a lookup of 32-byte digests costs
        # far less than one of strings. Equal digests are equal identifiers.
        excluded_ids = (
            self.con.sql("SELECT DISTINCT id FROM _excl WHERE id IS NOT NULL")
            .to_arrow_table()
            .column(0)
            .combine_chunks()
        )
        excluded = DigestSet(digest_rows(key, excluded_ids)) if len(excluded_ids) else None
        del excluded_ids
        other_key = membership_key is not None and membership_key != key

        space = 1
        for size in sizes_l:
            space *= max(1, size)
        dense_ok = None
        if space <= (1 << 24):
            dense_ok = np.zeros(space, dtype=np.bool_)
            dense_ok[keys[ok]] = True
        reader = self.con.sql(sql).to_arrow_reader(_BATCH)
        # Released rows waiting for a block: digests, label codes, passthrough columns and
        # (for an index under another key) identifiers, filtered batch by batch.
        pending: list[tuple[np.ndarray, list[np.ndarray], list[pa.Array], pa.Array | None]] = []
        pending_rows = 0
        # Every released row's digest, for the membership index. They wait in an unnamed
        # temporary file (in the spill folder, gone when closed) rather than in memory, so
        # pass two's peak does not carry them; they are read back once DuckDB is done.
        expected = analysis.rows - analysis.best.suppressed
        spill_dir = self._spill_dir()
        written = 0
        seen = 0
        n_qi = len(spec.qi_columns)

        def take_block() -> tuple[np.ndarray, list[np.ndarray], list[pa.Array], pa.Array | None]:
            nonlocal pending, pending_rows
            if len(pending) == 1:
                raw, codes, others, pids = pending[0]
            else:
                raw = np.concatenate([p[0] for p in pending])
                codes = [np.concatenate([p[1][i] for p in pending]) for i in range(n_qi)]
                others = [
                    pa.concat_arrays([p[2][j] for p in pending]) for j in range(len(passthrough))
                ]
                pids = pa.concat_arrays([p[3] for p in pending]) if other_key else None
            n = len(raw)
            if n > block_rows:
                pending = [
                    (
                        raw[block_rows:],
                        [c[block_rows:] for c in codes],
                        [o.slice(block_rows) for o in others],
                        pids.slice(block_rows) if pids is not None else None,
                    )
                ]
                raw = raw[:block_rows]
                codes = [c[:block_rows] for c in codes]
                others = [o.slice(0, block_rows) for o in others]
                pids = pids.slice(0, block_rows) if pids is not None else None
            else:
                pending = []
            pending_rows = n - len(raw)
            return raw, codes, others, pids

        def flush(final: bool) -> None:
            nonlocal written
            while pending_rows >= block_rows or (final and pending_rows):
                raw, codes, others, pids = take_block()
                # Rows in the order of their pseudonyms (stable for repeated identifiers).
                order, raw, hexed = sorted_hex(raw)
                columns: dict[str, pa.Array] = {"pseudonym": hex_strings(hexed, len(raw))}
                for i, c in enumerate(spec.qi_columns):
                    columns[c] = pa.DictionaryArray.from_arrays(
                        pa.array(codes[i][order]), label_arrays[i]
                    )
                take = pa.array(order)
                for j, c in enumerate(passthrough):
                    columns[c] = others[j].take(take)
                # Encoding and compressing a block (pyarrow, without the GIL) overlaps with
                # reading and hashing the next one; blocks are still written in order.
                if writing[0] is not None:
                    writing[0].result()
                writing[0] = background.submit(writer.write_block, pa.table(columns))
                if pids is not None:
                    # The index holds keyed hashes under the membership key instead, so a
                    # registry can find people in it without the release's key.
                    raw = digest_rows(membership_key, pids)
                    raw = raw[digest_order(raw)]
                if written + len(raw) > expected:
                    raise ReleaseError(INPUT_CHANGED)
                # Each block's digests are in order: the index merges these runs.
                spill.write(memoryview(np.ascontiguousarray(raw)).cast("B"))
                written += len(raw)
                runs.append(written)

        writing: list[Future | None] = [None]
        runs = [0]
        with (
            tempfile.TemporaryFile(dir=spill_dir) as spill,
            ThreadPoolExecutor(1) as background,
        ):
            for batch in _prefetched(reader):
                seen += batch.num_rows
                level_codes = []
                # Values pass one never saw in a row that may be released: only rows that
                # consent excludes may have them (pass one dropped such values).
                unseen = np.zeros(batch.num_rows, dtype=np.bool_)
                for i, d in enumerate(analysis.domains):
                    column = batch.column(1 + i)
                    if i in enum_maps:
                        indices = column.indices.fill_null(len(enum_maps[i]) - 1)
                        codes = enum_maps[i][indices.to_numpy(zero_copy_only=False)]
                    else:
                        codes = self.encoders[i].lookup(column)
                    missing = codes < 0
                    if missing.any():
                        unseen |= missing
                        codes = np.where(missing, 0, codes)
                    level_codes.append(d.codes[levels[i]][codes])
                row_keys = _class_keys(level_codes, sizes_l)
                if dense_ok is not None:
                    mask = dense_ok[row_keys]
                else:
                    pos = np.minimum(np.searchsorted(keys, row_keys), len(keys) - 1)
                    mask = ok[pos] & (keys[pos] == row_keys)
                pids = batch.column(0)
                # Rows with no identifier were left out in pass one.
                valid = pids.is_valid().to_numpy(zero_copy_only=False) if pids.null_count else None
                check = mask | unseen
                if valid is not None:
                    check &= valid
                picked = np.flatnonzero(check)
                if picked.size:
                    take = pa.array(picked)
                    raw = digest_rows(key, pids.take(take))
                    out = excluded.hits(raw) if excluded is not None else None
                    if unseen.any() and (out is None or not out[unseen[picked]].all()):
                        raise ReleaseError(INPUT_CHANGED)
                    keep = mask[picked]
                    if out is not None:
                        keep &= ~out
                    if not keep.all():
                        picked, raw = picked[keep], raw[keep]
                        take = pa.array(picked)
                if picked.size:
                    pending.append(
                        (
                            raw,
                            [c[picked].astype(np.int32) for c in level_codes],
                            [
                                batch.column(1 + n_qi + j).take(take)
                                for j in range(len(passthrough))
                            ],
                            pids.take(take) if other_key else None,
                        )
                    )
                    pending_rows += picked.size
                    flush(final=False)
                if progress:
                    progress(min(1.0, seen / max(1, analysis.rows_in)))
            flush(final=True)
            if writing[0] is not None:
                writing[0].result()
            del reader, pending
            spill.seek(0)
            digests = np.fromfile(spill, dtype=np.uint8, count=written * 32).reshape(-1, 32)
        return written, digests, runs

    def _spill_dir(self) -> str | None:
        """DuckDB's spill folder (the release's own, next to its output), when set."""
        try:
            folder = self.con.sql("SELECT current_setting('temp_directory')").fetchall()[0][0]
        except duckdb.Error:  # pragma: no cover - every DuckDB we support has the setting
            return None
        return folder if folder and os.path.isdir(folder) else None


def _prefetched(reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
    """The reader's batches, in order, with DuckDB producing the next one on a second
    thread while the caller works on this one (reading drops the GIL)."""
    batches: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    done = object()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in reader:
                if not put(batch):
                    return
        except BaseException as error:  # handed to the caller, raised there
            put(error)
            return
        put(done)

    worker = threading.Thread(target=produce, name="carepact-read", daemon=True)
    worker.start()
    try:
        while True:
            item = batches.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _as_text(column: str, types: dict[str, str]) -> str:
    return (
        quote(column)
        if types.get(column, "").upper() == "VARCHAR"
        else f"CAST({quote(column)} AS VARCHAR)"
    )


def _enum_codes(column: pa.Array, lut: np.ndarray, enc: Encoder) -> np.ndarray:
    """Codes of an enum column: its positions through ``lut``; missing values get their own."""
    indices = column.indices
    if indices.null_count:
        lut[-1] = enc.code(None)
    return lut[indices.fill_null(len(lut) - 1).to_numpy(zero_copy_only=False)]


def _class_keys(level_codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """A stable integer key per class (mixed radix over label codes)."""
    space = 1
    for s in sizes:
        space *= max(1, s)
    if space >= (1 << 63):
        raise ReleaseError(
            "too many combinations of labels at the chosen levels to index"
        )  # pragma: no cover
    n = level_codes[0].shape[0] if level_codes else 0
    key = np.zeros(n, dtype=np.int64)
    for codes, size in zip(level_codes, sizes, strict=True):
        key *= max(1, size)
        key += codes
    return key


def _frequency_table(
    qi: list[np.ndarray], sens: list[np.ndarray], qi_sizes: list[int], sens_sizes: list[int]
) -> Table:
    """Group coded rows by their codes when that is cheap; otherwise keep rows with count 1.

    The evaluator does not need distinct rows, and on data where nearly every row is
    distinct grouping would cost more than it saves; the first roll-up aggregates anyway.
    """
    n = qi[0].shape[0] if qi else 0
    levels = tuple(0 for _ in qi)
    space = 1
    for s in (*qi_sizes, *sens_sizes):
        space *= max(1, s)
    if space <= 2 * n + 4096:
        cls, m = dense_ids(qi, qi_sizes)
        ids, r = dense_ids([cls, *sens], [m, *sens_sizes])
        rep = first_index(ids, r)
        counts = np.bincount(ids, minlength=r).astype(np.int32)
        return Table(
            levels,
            [a[rep] for a in qi],
            [s[rep] for s in sens],
            counts,
            cls[rep].astype(np.int32),
            m,
        )
    return Table(levels, qi, sens, np.ones(n, dtype=np.int32), None, 0, distinct_rows=False)
