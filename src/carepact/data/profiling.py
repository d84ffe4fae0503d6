"""Profiling a dataset: counts per column, computed inside DuckDB.

Only aggregates leave DuckDB: the number of rows, each column's type, missing values and
distinct values; for quasi-identifiers, also how many of their values are rare (fewer than
the dataset's k rows), which is where re-identification risk starts. No value itself is
read out, logged or stored.
"""

from __future__ import annotations

from typing import Any

import duckdb

from carepact.engine.release import ReleaseError
from carepact.engine.release.io import columns_of, connect, from_clause, quote
from carepact.engine.release.spec import Source


def profile(source: Source, *, quasi_identifiers: list[str], k: int) -> dict[str, Any]:
    """Row count, and per column: type, missing, distinct (and rare values for QIs)."""
    con = connect(threads=2, memory_limit="512MB")
    try:
        relation = from_clause(con, source)
        types = columns_of(con, relation)
        parts = ["count(*)"]
        for name in types:
            q = quote(name)
            parts += [f"count(*) - count({q})", f"approx_count_distinct({q})"]
        # Column names are quoted identifiers; the relation is the engine's own from-clause.
        row = con.execute(f"SELECT {', '.join(parts)} FROM {relation}").fetchone()  # noqa: S608
        rows = int(row[0])
        columns = []
        for i, (name, kind) in enumerate(types.items()):
            missing, distinct = int(row[1 + 2 * i]), int(row[2 + 2 * i])
            entry = {"name": name, "type": kind, "missing": missing, "distinct": distinct}
            if name in quasi_identifiers:
                q = quote(name)
                groups = f"SELECT count(*) AS n FROM {relation} GROUP BY {q}"  # noqa: S608
                rare = con.execute(
                    f"SELECT count(*), coalesce(sum(n) FILTER (n < {int(k)}), 0), "  # noqa: S608
                    f"count(*) FILTER (n < {int(k)}) FROM ({groups})"
                ).fetchone()
                entry["distinct"] = int(rare[0])
                entry["rare_values"], entry["rows_in_rare_values"] = int(rare[2]), int(rare[1])
            columns.append(entry)
        return {"rows": rows, "columns": columns}
    except duckdb.Error:
        raise ReleaseError("the dataset could not be read; check its location and format") from None
    finally:
        con.close()


def columns(source: Source) -> dict[str, str]:
    """Column names and DuckDB types, read from the location's header or schema only."""
    con = connect(threads=1, memory_limit="256MB")
    try:
        return columns_of(con, from_clause(con, source))
    except duckdb.Error:
        raise ReleaseError("the dataset could not be read; check its location and format") from None
    finally:
        con.close()
