"""Input and output: the only module that opens data files.

Reading goes through DuckDB for both engines, so a CSV is typed the same way whichever
engine runs. Writing goes through pyarrow with fixed settings, so equal tables give equal
bytes. Errors name files and columns, never values.
"""

from __future__ import annotations

import csv
import glob
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from carepact.engine.identifiers import nhs_number_is_valid
from carepact.engine.release.errors import ReleaseError
from carepact.engine.release.kernels import first_appearance, merged_distinct
from carepact.engine.release.spec import DIRECT_IDENTIFIER_NAMES, ReleaseSpec, Source

# Released rows are shuffled by pseudonym within blocks of this many rows (one Parquet row
# group each), so the output order does not echo the input's order.
BLOCK_ROWS = 1_000_000


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(
    *, threads: int | None = None, memory_limit: str | None = None, temp_dir: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with bounded threads and memory."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET threads = {int(threads or min(os.cpu_count() or 2, 8))}")
    # The queries stream; DuckDB needs little beyond the consent list's hash table.
    con.execute(f"SET memory_limit = '{memory_limit or '400MB'}'")
    con.execute("SET preserve_insertion_order = true")
    if temp_dir is not None:
        con.execute(f"SET temp_directory = '{str(temp_dir).replace(chr(39), chr(39) * 2)}'")
    return con


def input_files(source: Source) -> list[Path]:
    """The files a path source stands for: one file, a folder's files, or a glob's matches."""
    if source.path is None:
        return []
    path = source.path
    if any(ch in str(path) for ch in "*?["):
        files = sorted(Path(p) for p in glob.glob(str(path)) if Path(p).is_file())
    elif path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".parquet", ".csv")
        )
    elif path.is_file():
        files = [path]
    else:
        raise ReleaseError(f"input {path.name} not found")
    if not files:
        raise ReleaseError(f"input {path.name} holds no Parquet or CSV files")
    for f in files:
        if f.stat().st_size == 0:
            raise ReleaseError(f"input file {f.name} is empty")
    return files


def _format_of(source: Source, files: list[Path]) -> str:
    if source.format:
        return source.format
    kinds = {"csv" if f.suffix.lower() in (".csv", ".txt", ".tsv") else "parquet" for f in files}
    if len(kinds) > 1:
        raise ReleaseError("input mixes CSV and Parquet files; give input.format or separate them")
    return kinds.pop()


def from_clause(con: duckdb.DuckDBPyConnection, source: Source) -> str:
    """SQL for the source table, attaching a database when the source is one."""
    if source.path is not None:
        files = input_files(source)
        fmt = _format_of(source, files)
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        if fmt == "csv":
            return f"read_csv([{listed}], header = true, auto_detect = true, union_by_name = true)"
        return f"read_parquet([{listed}], union_by_name = true)"
    table = ".".join(quote(part) for part in str(source.table).split("."))
    if source.duckdb is not None:
        if not source.duckdb.is_file():
            raise ReleaseError(f"input database {source.duckdb.name} not found")
        try:
            con.execute(
                f"ATTACH '{str(source.duckdb).replace(chr(39), chr(39) * 2)}' AS src (READ_ONLY)"
            )
        except duckdb.Error:
            raise ReleaseError(f"input database {source.duckdb.name} cannot be opened") from None
        return f"src.{table}"
    try:
        con.execute("LOAD postgres")
    except duckdb.Error:
        try:
            con.execute("INSTALL postgres")
            con.execute("LOAD postgres")
        except duckdb.Error:
            raise ReleaseError(
                "PostgreSQL input needs DuckDB's postgres extension, which is not available"
            ) from None
    try:
        con.execute("ATTACH $dsn AS pg (TYPE postgres, READ_ONLY)", {"dsn": source.postgres})
    except duckdb.Error:
        raise ReleaseError("the PostgreSQL database in input.postgres cannot be reached") from None
    return f"pg.{table}"


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # noqa: S608
    except duckdb.Error:
        raise ReleaseError("the input cannot be read as a table (check its format)") from None
    return {r[0]: r[1] for r in rows}


@dataclass(frozen=True)
class InputPlan:
    """The columns a release reads, after checking them against the input."""

    relation: str
    columns: dict[str, str]
    dropped: tuple[str, ...]  # direct identifiers present and removed
    not_released: tuple[str, ...]  # other columns present and not listed in the spec
    missing_drop: tuple[str, ...]  # listed in drop but not present


def plan_input(con: duckdb.DuckDBPyConnection, spec: ReleaseSpec) -> InputPlan:
    relation = from_clause(con, spec.source)
    cols = columns_of(con, relation)
    needed = [spec.patient_id, *spec.qi_columns, *spec.sensitive_columns, *spec.keep]
    missing = [c for c in needed if c not in cols]
    if missing:
        raise ReleaseError(f"input has no column {', '.join(repr(c) for c in missing)}")
    listed = set(needed)
    if spec.drop is None:
        dropped = tuple(c for c in cols if c.lower() in DIRECT_IDENTIFIER_NAMES and c not in listed)
    else:
        dropped = tuple(c for c in spec.drop if c in cols)
    if spec.patient_id not in dropped:
        dropped = (spec.patient_id, *dropped)
    not_released = tuple(c for c in cols if c not in listed and c not in dropped)
    missing_drop = tuple(c for c in (spec.drop or ()) if c not in cols)
    return InputPlan(relation, cols, dropped, not_released, missing_drop)


def id_expression(spec: ReleaseSpec) -> str:
    """SQL for the identifier as it is matched and hashed (NHS numbers without spaces)."""
    col = f"CAST({quote(spec.patient_id)} AS VARCHAR)"
    if spec.patient_id_kind == "nhs_number":
        # Spaces anywhere (trimming included) and hyphens go. Most identifiers have
        # neither, and testing for them costs far less than rewriting every string.
        return (
            f"CASE WHEN contains({col}, ' ') OR contains({col}, '-') "
            f"THEN replace(replace({col}, ' ', ''), '-', '') ELSE {col} END"
        )
    return col


@dataclass(frozen=True)
class Exclusions:
    """Identifiers excluded by consent, normalised, and what checking them found."""

    ids: tuple[str, ...]
    entries: int  # entries read (file, list and registry together)
    invalid: int  # NHS numbers failing the checksum (still excluded: an opt-out stands)
    invalid_lines: tuple[int, ...]  # where they are in the file (first few), line 1 = header


def load_exclusions(spec: ReleaseSpec, extra: Iterable[str] = ()) -> Exclusions:
    """Read the opt-out list and the caller's exclusions; check NHS numbers' checksums."""
    values: list[str] = []
    lines: list[int] = []
    consent = spec.consent
    if consent.exclude_file is not None:
        path = consent.exclude_file
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                reader = csv.reader(fh)
                header = next(reader, None)
                if header is None:
                    raise ReleaseError(f"consent file {path.name} is empty")
                header = [h.strip() for h in header]
                column = consent.column or (header[0] if len(header) == 1 else None)
                if column is None:
                    raise ReleaseError(
                        f"consent file {path.name} has several columns; name one in consent.column"
                    )
                if column not in header:
                    raise ReleaseError(f"consent file {path.name} has no column '{column}'")
                idx = header.index(column)
                picked = [
                    (line, row[idx])
                    for line, row in enumerate(reader, start=2)
                    if len(row) > idx and row[idx].strip()
                ]
                lines = [line for line, _ in picked]
                values = [value for _, value in picked]
        except FileNotFoundError:
            raise ReleaseError(f"consent file {path.name} not found") from None
        except (UnicodeDecodeError, csv.Error):
            raise ReleaseError(f"consent file {path.name} is not a UTF-8 CSV file") from None
    values.extend(consent.exclude_list)
    lines.extend([0] * len(consent.exclude_list))
    extra_list = [str(v) for v in extra]
    values.extend(extra_list)
    lines.extend([0] * len(extra_list))
    ids = _normalise_many(spec, values)
    invalid_lines: list[int] = []
    invalid = 0
    if spec.patient_id_kind == "nhs_number" and ids:
        bad = ~_nhs_valid_many(ids)
        for i in np.flatnonzero(bad):
            # The vectorised check only finds candidates; the shared rule decides.
            if not nhs_number_is_valid(ids[i]):
                invalid += 1
                if lines[i] and len(invalid_lines) < 20:
                    invalid_lines.append(lines[i])
    # Distinct, in the order first listed (a list of hundreds of thousands need not be
    # sorted: nothing depends on its order beyond it being the same every time).
    return Exclusions(tuple(dict.fromkeys(ids)), len(values), invalid, tuple(invalid_lines))


def _normalise_many(spec: ReleaseSpec, values: list[str]) -> list[str]:
    """Identifiers as they are matched and hashed: NHS numbers trimmed and without spaces
    or hyphens (as ``id_expression`` does in SQL), in Arrow (lists run to millions)."""
    if spec.patient_id_kind != "nhs_number" or not values:
        return values
    arr = pc.utf8_trim_whitespace(pa.array(values, type=pa.string()))
    arr = pc.replace_substring(pc.replace_substring(arr, " ", ""), "-", "")
    return arr.to_pylist()


def _nhs_valid_many(ids: list[str]) -> np.ndarray:
    """NHS checksum over many numbers at once: the rule of ``nhs_number_is_valid``, or
    stricter (anything it rejects goes to that rule to decide)."""
    arr = pa.array(ids, type=pa.string())
    ok = pc.and_(pc.equal(pc.binary_length(arr), 10), pc.ascii_is_decimal(arr))
    ok = ok.fill_null(False).to_numpy(zero_copy_only=False)
    digits = np.zeros((len(ids), 10), dtype=np.int64)
    good = np.flatnonzero(ok)
    if good.size:
        # Ten ASCII digits each: the strings' bytes, ten to a row.
        taken = arr.take(pa.array(good))
        offsets = np.frombuffer(taken.buffers()[1], dtype=np.int32)
        offsets = offsets[taken.offset : taken.offset + len(taken) + 1]
        data = np.frombuffer(taken.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        digits[good] = data.reshape(-1, 10).astype(np.int64) - 48
    total = (digits[:, :9] * np.arange(10, 1, -1)).sum(axis=1)
    check = 11 - total % 11
    check[check == 11] = 0
    return ok & (check != 10) & (check == digits[:, 9])


# -- writing ---------------------------------------------------------------------------------


class AtomicOutputs:
    """Files written under temporary names and renamed into place only when all succeed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pending: list[tuple[Path, Path]] = []

    def temp_for(self, final: Path) -> Path:
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=self.directory)
        os.close(fd)
        tmp = Path(name)
        self.pending.append((tmp, final))
        return tmp

    def commit(self) -> None:
        for tmp, final in self.pending:
            os.replace(tmp, final)
        self.pending = []

    def abort(self) -> None:
        for tmp, _ in self.pending:
            tmp.unlink(missing_ok=True)
        self.pending = []


LABEL = pa.dictionary(pa.int32(), pa.string())


def release_schema(spec: ReleaseSpec, types: dict[str, pa.DataType]) -> pa.Schema:
    """Columns of the released table. Labels travel dictionary-encoded (few distinct)."""
    fields = [pa.field("pseudonym", pa.string(), nullable=False)]
    fields += [pa.field(c, LABEL) for c in spec.qi_columns]
    fields += [pa.field(c, types[c]) for c in (*spec.sensitive_columns, *spec.keep)]
    return pa.schema(fields)


def canonical_labels(column: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """One dictionary encoding per content: used labels only, in order of first appearance.

    Engines build label columns differently (codes into all labels, or plain text); this
    gives both the same arrays, so the writer gives both the same bytes.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        return pc.dictionary_encode(column.cast(pa.string()))
    if not column.indices.null_count and not column.dictionary.null_count:
        # The common case, in one compiled pass.
        codes, used = first_appearance(
            column.indices.to_numpy(zero_copy_only=False), len(column.dictionary)
        )
        labels = column.dictionary.take(pa.array(used)).cast(pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), labels)
    idx = column.indices.to_numpy(zero_copy_only=False)
    idx = np.where(column.indices.is_valid().to_numpy(zero_copy_only=False), idx, -1).astype(
        np.int64
    )
    dict_valid = np.append(column.dictionary.is_valid().to_numpy(zero_copy_only=False), False)
    valid = dict_valid[idx]  # index -1 reads the appended False
    n, k = len(idx), len(column.dictionary)
    first = np.full(k, n, dtype=np.int64)
    positions = np.flatnonzero(valid)
    first[idx[positions][::-1]] = positions[::-1]
    used = np.flatnonzero(first < n)
    order = used[np.argsort(first[used], kind="stable")]
    remap = np.full(k, -1, dtype=np.int32)
    remap[order] = np.arange(len(order), dtype=np.int32)
    new_idx = pa.array(np.where(valid, remap[np.maximum(idx, 0)], 0).astype(np.int32), mask=~valid)
    return pa.DictionaryArray.from_arrays(
        new_idx, column.dictionary.take(pa.array(order)).cast(pa.string())
    )


class ReleaseWriter:
    """Writes the released table block by block, the same way for both engines."""

    def __init__(self, path: Path, fmt: str, schema: pa.Schema) -> None:
        self.fmt = fmt
        self.schema = schema
        if fmt == "parquet":
            # Every pseudonym differs and is random hex: no dictionary, and compressing it
            # costs more time than the space it saves. No column statistics: each block
            # spans the whole range of pseudonyms, so they would let a reader skip nothing,
            # and they cost a third of the writing.
            compression = {f.name: ("none" if f.name == "pseudonym" else "zstd") for f in schema}
            self._writer = pq.ParquetWriter(
                str(path),
                schema,
                compression=compression,
                use_dictionary=[f.name for f in schema if f.name != "pseudonym"],
                write_statistics=False,
                store_schema=False,
            )
        else:
            plain = pa.schema(
                [pa.field(f.name, pa.string()) if f.type == LABEL else f for f in schema]
            )
            self._writer = pacsv.CSVWriter(str(path), plain)
            self.csv_schema = plain
        self.rows = 0

    def write_block(self, table: pa.Table) -> None:
        columns = []
        for field in self.schema:
            col = table.column(field.name)
            columns.append(canonical_labels(col) if field.type == LABEL else col.cast(field.type))
        table = pa.Table.from_arrays(columns, schema=self.schema)
        if self.fmt == "parquet":
            self._writer.write_table(table, row_group_size=max(1, table.num_rows))
        else:
            self._writer.write_table(table.cast(self.csv_schema))
        self.rows += table.num_rows

    def close(self) -> None:
        if self.fmt == "parquet" and self.rows == 0:
            self._writer.write_table(self.schema.empty_table())
        self._writer.close()


def write_membership(
    path: Path, digests: np.ndarray, metadata: dict[str, str], runs: list[int] | None = None
) -> int:
    """The membership index: sorted, distinct 32-byte pseudonym digests, one column.

    ``digests`` is an (n, 32) byte array; with ``runs``, ``digests[runs[i]:runs[i + 1]]``
    are each sorted already (a release's blocks), and are merged. Sorted so a lookup reads
    one row group; ``docs/release.md`` shows the one-line query. Written in chunks, so it
    needs little memory beyond the digests themselves.
    """
    rows = digests.reshape(-1, 32)
    schema = pa.schema([pa.field("pseudonym", pa.binary(32))]).with_metadata(
        {f"carepact.{k}": v for k, v in metadata.items()}
    )
    written = 0
    with pq.ParquetWriter(
        str(path), schema, compression="none", use_dictionary=False, store_schema=False
    ) as writer:
        for chunk in merged_distinct(rows, runs or [], 1_000_000):
            col = pa.Array.from_buffers(
                pa.binary(32), len(chunk), [None, pa.py_buffer(np.ascontiguousarray(chunk))]
            )
            writer.write_table(pa.Table.from_arrays([col], schema=schema), row_group_size=100_000)
            written += len(chunk)
        if not written:
            writer.write_table(schema.empty_table())
    return written
