"""Generalisation hierarchies: how each quasi-identifier becomes less precise, level by level.

A hierarchy maps every value of its column to a label at each level, from level 0 (the
value itself, as text) to the most general level (``*``). Both engines compute labels with
the functions here, on the distinct values of the column only, so they cannot disagree on
a label; rows are then mapped by integer codes.

Loss: each label has a normalised certainty penalty (NCP) between 0 and 1, kept as an
exact fraction ``numerator / denominator`` so that engines summing in different orders
still compare solutions exactly. Ranges (age, numeric, date) use the share of the observed
range the label covers; other hierarchies use the share of observed values it merges.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from carepact.engine.release.errors import ReleaseError

TOP = "*"
KINDS = ("none", "age", "date", "uk_postcode", "us_zip", "numeric", "categorical")

_UK_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$")
_UK_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$")
_UK_DISTRICT = re.compile(r"^([A-Z]{1,2})[0-9][A-Z0-9]?$")
_US_ZIP = re.compile(r"^([0-9]{5})(-[0-9]{4})?$")


class NotCovered(Exception):
    """A value that its hierarchy does not cover; the caller counts, never shows, them."""


@dataclass(frozen=True)
class Hierarchy:
    """One column's generalisation scheme, before it has seen the data."""

    kind: str
    level_names: tuple[str, ...]
    widths: tuple[float, ...] = ()
    # categorical: value -> its labels from level 1 to the top
    table: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def height(self) -> int:
        return len(self.level_names)

    @property
    def is_range(self) -> bool:
        return self.kind in ("age", "numeric", "date")

    def labels(self, value: object) -> tuple[str | None, ...]:
        """Labels of one value at every level; raises NotCovered for a value out of scope."""
        if value is None:
            # Missing stays missing until everything is suppressed at the top.
            return (None,) * (self.height - 1) + (TOP,) if self.height > 1 else (None,)
        base = canonical(value)
        if self.kind == "none":
            return (base,)
        if self.kind == "age":
            age = _whole_number(value)
            if age < 0 or age > 150:
                raise NotCovered
            bands = [f"{age // w * w}-{age // w * w + w - 1}" for w in (5, 10, 20)]
            return (base, *bands, TOP)
        if self.kind == "numeric":
            x = _number(value)
            labels = []
            for w in self.widths:
                lo = math.floor(x / w) * w
                labels.append(f"[{_fmt(lo)}, {_fmt(lo + w)})")
            return (base, *labels, TOP)
        if self.kind == "date":
            d = _date(value)
            return (
                base,
                f"{d.year:04d}-{d.month:02d}",
                f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}",
                f"{d.year:04d}",
                TOP,
            )
        if self.kind == "uk_postcode":
            text = " ".join(str(value).upper().split())
            m = _UK_FULL.match(text)
            if m:
                district, sector = m.group(1), f"{m.group(1)} {m.group(2)}"
            elif m := _UK_SECTOR.match(text):
                district, sector = m.group(1), text
            elif _UK_DISTRICT.match(text):
                district, sector = text, text
            else:
                raise NotCovered
            area = re.match(r"^[A-Z]+", district).group(0)  # type: ignore[union-attr]
            return (base, sector, district, area, TOP)
        if self.kind == "us_zip":
            text = (
                f"{value:05d}"
                if isinstance(value, int) and not isinstance(value, bool)
                else str(value).strip()
            )
            m = _US_ZIP.match(text)
            if not m:
                raise NotCovered
            return (base, m.group(1)[:3], TOP)
        if self.kind == "categorical":
            row = self.table.get(base)
            if row is None:
                raise NotCovered
            return (base, *row)
        raise AssertionError(self.kind)  # pragma: no cover - kinds are checked at load


def canonical(value: object) -> str:
    """The text of a value at level 0, the same in every engine."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _fmt(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fmt(x: float) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def _whole_number(value: object) -> int:
    if isinstance(value, bool):
        raise NotCovered
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise NotCovered


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise NotCovered
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise NotCovered
        return value  # type: ignore[return-value]
    try:
        x = float(str(value))
    except ValueError:
        raise NotCovered from None
    if not math.isfinite(x):
        raise NotCovered
    return x


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise NotCovered from None


def built_in(kind: str, *, widths: Sequence[float] = (), field_name: str = "") -> Hierarchy:
    """A hierarchy of a built-in kind; ``widths`` only for ``numeric``."""
    if kind == "none":
        return Hierarchy("none", ("value",))
    if kind == "age":
        return Hierarchy("age", ("value", "5-year band", "10-year band", "20-year band", TOP))
    if kind == "date":
        return Hierarchy("date", ("value", "month", "quarter", "year", TOP))
    if kind == "uk_postcode":
        return Hierarchy("uk_postcode", ("value", "sector", "district", "area", TOP))
    if kind == "us_zip":
        return Hierarchy("us_zip", ("value", "3-digit", TOP))
    if kind == "numeric":
        if not widths:
            raise ReleaseError(
                f"spec field '{field_name}.widths': a numeric hierarchy needs widths"
            )
        previous = None
        for w in widths:
            if isinstance(w, bool) or not isinstance(w, int | float) or not w > 0:
                raise ReleaseError(f"spec field '{field_name}.widths': widths are positive numbers")
            if previous is not None:
                ratio = w / previous
                if w <= previous or abs(ratio - round(ratio)) > 1e-9:
                    raise ReleaseError(
                        f"spec field '{field_name}.widths': each width must be a larger multiple "
                        "of the one before, so that ranges nest"
                    )
            previous = w
        names = tuple(f"width {_fmt(float(w))}" for w in widths)
        return Hierarchy("numeric", ("value", *names, TOP), widths=tuple(widths))
    raise ReleaseError(
        f"spec field '{field_name}.hierarchy': unknown kind; use one of {', '.join(KINDS)}"
    )


def load_categorical(path: Path, *, field_name: str) -> Hierarchy:
    """Read and check a categorical hierarchy CSV: value, then each more general level.

    Checks: the file exists and is not empty; every row has the same number of columns
    (at least two); no value is listed twice; each label has exactly one parent (so the
    levels nest); the last level has a single label (everything merges at the top).
    """
    where = f"hierarchy file for '{field_name}'"
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = [row for row in csv.reader(fh) if row and any(cell.strip() for cell in row)]
    except FileNotFoundError:
        raise ReleaseError(f"{where}: file {path.name} not found") from None
    except (UnicodeDecodeError, csv.Error):
        raise ReleaseError(f"{where}: file {path.name} is not a UTF-8 CSV file") from None
    if not rows:
        raise ReleaseError(f"{where}: file {path.name} is empty")
    width = len(rows[0])
    if width < 2:
        raise ReleaseError(f"{where}: each row needs the value and at least one more general level")
    table: dict[str, tuple[str, ...]] = {}
    parents: list[dict[str, str]] = [{} for _ in range(width - 1)]
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if len(cells) != width:
            raise ReleaseError(
                f"{where}: row {number} has {len(cells)} columns, the first row has {width}"
            )
        if any(cell == "" for cell in cells):
            raise ReleaseError(f"{where}: row {number} has an empty cell")
        if cells[0] in table:
            raise ReleaseError(f"{where}: row {number} repeats a value listed on an earlier row")
        for level in range(width - 1):
            child, parent = cells[level], cells[level + 1]
            # Labels are per level: the same text at two levels is two different labels.
            seen = parents[level].setdefault(child, parent)
            if seen != parent:
                raise ReleaseError(
                    f"{where}: row {number} gives a label at level {level} a second parent at "
                    f"level {level + 1}; each label needs exactly one"
                )
        table[cells[0]] = tuple(cells[1:])
    tops = {row[-1] for row in table.values()}
    if len(tops) != 1:
        raise ReleaseError(
            f"{where}: the last column has {len(tops)} different labels; it needs one, such as *"
        )
    names = ("value", *(f"level {i}" for i in range(1, width)))
    return Hierarchy("categorical", names, table=table)


@dataclass(frozen=True)
class Domain:
    """A hierarchy applied to the distinct values of one column.

    ``codes[level][i]`` is the label code at ``level`` of domain value ``i``; labels of a
    level are sorted, so codes are the same in every engine. ``ncp_num[level][code] /
    ncp_den`` is the loss of that label. Levels that would not change the partition of the
    observed values (a postcode district has no finer sector) are dropped.
    """

    column: str
    level_names: tuple[str, ...]
    levels: tuple[int, ...]  # which of the hierarchy's levels survive
    labels: tuple[tuple[str | None, ...], ...]  # per kept level: label of each code
    codes: tuple[np.ndarray, ...]  # per kept level: domain index -> label code
    ncp_num: tuple[np.ndarray, ...]  # per kept level: label code -> NCP numerator
    ncp_den: int

    @property
    def height(self) -> int:
        return len(self.levels)

    def up(self, lower: int, upper: int) -> np.ndarray:
        """Code map from one kept level to a higher one (a function, since levels nest)."""
        out = np.zeros(len(self.labels[lower]), dtype=np.int64)
        out[self.codes[lower]] = self.codes[upper]
        return out


def build_domain(column: str, hierarchy: Hierarchy, values: Sequence[object]) -> Domain:
    """Label, code and cost every level for the distinct values of a column.

    Raises ReleaseError naming the column and how many distinct values the hierarchy does
    not cover, without naming any of them.
    """
    per_value: list[tuple[str | None, ...]] = []
    missing = 0
    for value in values:
        try:
            per_value.append(hierarchy.labels(value))
        except NotCovered:
            missing += 1
    if missing:
        raise ReleaseError(
            f"column '{column}': {missing} distinct value(s) are not covered by its "
            f"{hierarchy.kind} hierarchy"
        )
    n = len(values)
    all_codes: list[np.ndarray] = []
    all_labels: list[tuple[str | None, ...]] = []
    for level in range(hierarchy.height):
        level_labels = [row[level] for row in per_value]
        distinct = sorted({lab for lab in level_labels if lab is not None})
        has_none = any(lab is None for lab in level_labels)
        ordered: list[str | None] = [*distinct, *([None] if has_none else [])]
        index = {lab: i for i, lab in enumerate(ordered)}
        all_codes.append(np.array([index[lab] for lab in level_labels], dtype=np.int64).reshape(n))
        all_labels.append(tuple(ordered))
    keep = [0]
    for level in range(1, hierarchy.height):
        if level == hierarchy.height - 1 or len(all_labels[level]) < len(all_labels[keep[-1]]):
            keep.append(level)
    # The top is kept even when it merges nothing (one observed value), so every
    # quasi-identifier can always be fully generalised; a one-level hierarchy has no top.
    ncp_num, ncp_den = _ncp(
        hierarchy, values, [all_codes[i] for i in keep], [all_labels[i] for i in keep]
    )
    return Domain(
        column=column,
        level_names=tuple(hierarchy.level_names[i] for i in keep),
        levels=tuple(keep),
        labels=tuple(all_labels[i] for i in keep),
        codes=tuple(all_codes[i] for i in keep),
        ncp_num=tuple(ncp_num),
        ncp_den=ncp_den,
    )


def _ncp(
    hierarchy: Hierarchy,
    values: Sequence[object],
    codes: list[np.ndarray],
    labels: list[tuple[str | None, ...]],
) -> tuple[list[np.ndarray], int]:
    """Exact NCP numerators per level and label, over one common denominator."""
    n = len(values)
    present = [i for i, v in enumerate(values) if v is not None]
    if hierarchy.is_range and present:
        # Position of each value on a number line, in whole units (days for dates, and
        # scaled integers for numbers) so that ranges and spans stay exact.
        pos, scale = _positions(hierarchy, [values[i] for i in present])
        lo_all, hi_all = min(pos), max(pos)
        den = max(1, hi_all - lo_all)
        out = []
        for level, level_codes in enumerate(codes):
            num = np.zeros(len(labels[level]), dtype=np.int64)
            if level == len(codes) - 1 and labels[level][0] == TOP:
                num[:] = den
            elif level > 0:
                spans = _label_spans(hierarchy, labels[level], scale)
                for code, (lo, hi) in spans.items():
                    num[code] = max(0, min(hi, hi_all) - max(lo, lo_all))
            for i, v in enumerate(values):
                if v is None:
                    num[level_codes[i]] = den if level == len(codes) - 1 else 0
            out.append(num)
        return out, den
    den = max(1, n - 1)
    out = []
    for level, level_codes in enumerate(codes):
        members = np.bincount(level_codes, minlength=len(labels[level]))
        out.append(
            np.maximum(members - 1, 0).astype(np.int64)
            if n > 1
            else np.zeros(len(labels[level]), np.int64)
        )
    return out, den


def _positions(hierarchy: Hierarchy, values: Sequence[object]) -> tuple[list[int], int]:
    if hierarchy.kind == "date":
        return [_date(v).toordinal() for v in values], 1
    if hierarchy.kind == "age":
        return [_whole_number(v) for v in values], 1
    nums = [_number(v) for v in values]
    scale = 1
    for w in (*hierarchy.widths, *nums):
        while abs(w * scale - round(w * scale)) > 1e-9 and scale < 10**6:
            scale *= 10
    return [round(x * scale) for x in nums], scale


def _label_spans(
    hierarchy: Hierarchy, labels: Sequence[str | None], scale: int
) -> dict[int, tuple[int, int]]:
    """Covered range of each label, as [lo, hi] in the same units as ``_positions``."""
    spans: dict[int, tuple[int, int]] = {}
    for code, label in enumerate(labels):
        if label is None or label == TOP:
            continue
        if hierarchy.kind == "age":
            lo, hi = (int(x) for x in label.split("-"))
            spans[code] = (lo, hi)
        elif hierarchy.kind == "numeric":
            lo_s, hi_s = label[1:-1].split(", ")
            spans[code] = (round(float(lo_s) * scale), round(float(hi_s) * scale))
        elif hierarchy.kind == "date":
            if "-Q" in label:
                year, quarter = int(label[:4]), int(label[-1])
                first = dt.date(year, 3 * quarter - 2, 1)
                last = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            elif len(label) == 7:
                year, month = int(label[:4]), int(label[5:])
                first = dt.date(year, month, 1)
                last = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
            else:
                first, last = dt.date(int(label), 1, 1), dt.date(int(label) + 1, 1, 1)
            spans[code] = (first.toordinal(), last.toordinal() - 1)
    return spans
