"""Where a dataset lives: a path under the data directory's ``datasets`` folder.

A location is a Parquet or CSV file, a folder of them, a glob, or a table in a DuckDB
database written ``path/to/file.duckdb#table``. Paths are relative to
``<data dir>/datasets`` (absolute paths must lie inside it); ``..`` is refused. Operators
who keep extracts elsewhere link them into that folder, so the web process can read only
what an operator put there on purpose.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from carepact.core.errors import Invalid
from carepact.engine.release.spec import Source


def root() -> Path:
    return Path(settings.DATA_DIR) / "datasets"


def _inside(path: str) -> Path:
    base = os.path.normpath(root())
    candidate = path if os.path.isabs(path) else os.path.join(base, path)
    candidate = os.path.normpath(candidate)
    if candidate != base and not candidate.startswith(base + os.sep):
        raise Invalid(
            "A dataset's location must be inside the data directory's datasets folder.",
            errors={"location": [f"Use a path under {base}."]},
        )
    return Path(candidate)


def source_for(location: str) -> Source:
    """The release engine's source for a location (checked, not yet opened)."""
    text = (location or "").strip()
    if not text:
        raise Invalid("Give the dataset's location.", errors={"location": ["Required."]})
    if "#" in text:
        path, table = text.split("#", 1)
        if not table.strip():
            raise Invalid("Name the table after #.", errors={"location": ["Missing table."]})
        return Source(duckdb=_inside(path.strip()), table=table.strip())
    return Source(path=_inside(text))


def describe(location: str) -> str:
    """The location relative to the datasets folder, for pages."""
    try:
        source = source_for(location)
    except Invalid:
        return location
    path = source.path or source.duckdb
    try:
        shown = str(Path(path).relative_to(root()))
    except ValueError:
        shown = str(path)
    return f"{shown}#{source.table}" if source.table else shown
