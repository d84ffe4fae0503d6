"""Reading KPI measurements from a CSV file, validated at the edge, row by row.

The file has a header row. ``period`` and ``value`` are required; ``count``, ``dimension``,
``group`` and ``note`` are optional. Every problem is reported as (line, column, problem),
where line 1 is the header. Messages describe the problem and never repeat a cell's
content, so they can be shown and stored without carrying anything from the file.

The caller decides what a bad row means; carepact imports nothing from a file with any
bad row (see docs/outcomes.md).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date

from carepact.engine.outcomes.periods import Frequency, period_label, period_start

REQUIRED = ("period", "value")
OPTIONAL = ("count", "dimension", "group", "note")
COLUMNS = REQUIRED + OPTIONAL
MAX_ROWS = 10_000
MAX_NOTE = 500
MAX_GROUP = 80

DIMENSIONS = {
    "age_band": "age band",
    "sex": "sex",
    "ethnicity": "ethnicity",
    "deprivation": "deprivation",
}

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Row:
    line: int
    period: date  # the first day of the period
    value: float
    count: int | None = None
    dimension: str = ""
    group: str = ""
    note: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.problem}"


class FieldError(ValueError):
    """One field's problem, in words that repeat nothing from the input."""


def parse_period(text: str, frequency: Frequency | str) -> date:
    """A period given as ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``.

    The form must be at least as fine as the KPI's frequency (a year is not a month); a
    finer form (a day, for a monthly KPI) names the period that contains it.
    """
    frequency = Frequency(frequency)
    text = text.strip()
    try:
        if m := _DAY.match(text):
            day = date(int(m[1]), int(m[2]), int(m[3]))
        elif m := _MONTH.match(text):
            day = date(int(m[1]), int(m[2]), 1)
        elif m := _QUARTER.match(text):
            if frequency is Frequency.MONTHLY:
                raise FieldError("this KPI is monthly: give a month as YYYY-MM")
            day = date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
        elif m := _YEAR.match(text):
            if frequency is not Frequency.ANNUALLY:
                raise FieldError(f"this KPI is {frequency.value}: a year alone is too coarse")
            day = date(int(m[1]), 1, 1)
        else:
            raise FieldError("not a period: write YYYY-MM (or YYYY-MM-DD, YYYY-Qn, YYYY)")
    except ValueError as exc:
        if isinstance(exc, FieldError):
            raise
        raise FieldError("not a real date") from None
    if not 1900 <= day.year <= 2200:
        raise FieldError("the year is out of range")
    return period_start(day, frequency)


def parse_value(text: str) -> float:
    text = text.strip()
    if not _NUMBER.match(text):
        raise FieldError("not a number (use a point for decimals and no thousands separator)")
    value = float(text)
    if not math.isfinite(value):
        raise FieldError("not a finite number")
    return value


def parse_count(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise FieldError("not a whole number of people, 0 or more")
    return int(text)


def parse_dimension(text: str) -> str:
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    if not key:
        return ""
    if key not in DIMENSIONS:
        raise FieldError(f"not one of {', '.join(DIMENSIONS)}")
    return key


def parse(text: str, frequency: Frequency | str) -> tuple[list[Row], list[RowError]]:
    """Every row of the file, and every problem found (both lists may be non-empty)."""
    frequency = Frequency(frequency)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return [], [RowError(1, "file", "the file is empty: it needs a header row and data")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error:
        return [], [RowError(1, "file", "not a readable CSV file")]
    errors: list[RowError] = []
    for name in header:
        if name not in COLUMNS:
            errors.append(RowError(1, name or "(blank)", "unknown column"))
    for name in REQUIRED:
        if name not in header:
            errors.append(RowError(1, name, "required column is missing"))
    if len(set(header)) != len(header):
        errors.append(RowError(1, "header", "a column appears more than once"))
    if errors:
        return [], errors
    rows: list[Row] = []
    seen: dict[tuple[date, str, str], int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(RowError(line, "file", f"more than {MAX_ROWS} rows: split the file"))
                break
            if len(cells) != len(header):
                errors.append(
                    RowError(line, "row", f"has {len(cells)} cells, the header has {len(header)}")
                )
                continue
            row, row_errors = _row(line, dict(zip(header, cells, strict=True)), frequency)
            errors.extend(row_errors)
            if row is None:
                continue
            key = (row.period, row.dimension, row.group.lower())
            if key in seen:
                where = period_label(row.period, frequency)
                errors.append(
                    RowError(line, "period", f"repeats line {seen[key]} ({where}, same group)")
                )
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error:
        errors.append(RowError(reader.line_num, "file", "not a readable CSV line"))
    if not rows and not errors:
        errors.append(RowError(1, "file", "the file has a header but no data rows"))
    return rows, errors


def _row(line: int, cells: dict[str, str], frequency: Frequency) -> tuple[Row | None, list]:
    errors: list[RowError] = []
    fields: dict = {}
    parsers = {
        "period": lambda t: parse_period(t, frequency),
        "value": parse_value,
        "count": parse_count,
        "dimension": parse_dimension,
    }
    for column, parser in parsers.items():
        if column not in cells:
            continue
        raw = cells[column]
        if column in REQUIRED and not raw.strip():
            errors.append(RowError(line, column, "is empty"))
            continue
        try:
            fields[column] = parser(raw)
        except FieldError as exc:
            errors.append(RowError(line, column, str(exc)))
    group = cells.get("group", "").strip()
    note = cells.get("note", "").strip()
    dimension = fields.get("dimension", "")
    if dimension and not group:
        errors.append(RowError(line, "group", "a breakdown row needs its group"))
    if group and not dimension and "dimension" not in {e.column for e in errors}:
        errors.append(RowError(line, "dimension", "a group needs its dimension"))
    if len(group) > MAX_GROUP:
        errors.append(RowError(line, "group", f"longer than {MAX_GROUP} characters"))
    if len(note) > MAX_NOTE:
        errors.append(RowError(line, "note", f"longer than {MAX_NOTE} characters"))
    if errors:
        return None, errors
    return (
        Row(
            line=line,
            period=fields["period"],
            value=fields["value"],
            count=fields.get("count"),
            dimension=dimension,
            group=group if dimension else "",
            note=note,
        ),
        [],
    )
