"""Reading a national data opt-out list: NHS numbers, one a line, checked digit by digit.

A list may have a header line and several columns (the NHS number is then the column
named ``nhs_number``, or the first). Invalid lines are reported by line number and reason;
the reason never repeats the value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from carepact.engine.identifiers import normalise_nhs_number

HEADER_NAMES = {"nhs_number", "nhs number", "nhsnumber", "nhs_no"}


class NotAList(ValueError):
    """The file cannot be read as text lines at all."""


@dataclass
class OptOutList:
    numbers: list[tuple[int, str]] = field(default_factory=list)  # (line, ten digits)
    rejections: list[dict[str, str]] = field(default_factory=list)
    skips: list[dict[str, str]] = field(default_factory=list)
    entries: int = 0


def read_optouts(content: bytes | str) -> OptOutList:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise NotAList(
                "The file is not UTF-8 text: an opt-out list is text, one NHS number a line."
            ) from None
    if "\x00" in content:
        raise NotAList("The file is not text: an opt-out list is text, one NHS number a line.")
    result = OptOutList()
    rows = csv.reader(io.StringIO(content))
    column = 0
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if line == 1 and not any(c.replace(" ", "").isdigit() for c in cells):
            names = [c.lower() for c in cells]
            column = next((i for i, n in enumerate(names) if n in HEADER_NAMES), 0)
            continue
        result.entries += 1
        value = cells[column] if column < len(cells) else ""
        try:
            number = normalise_nhs_number(value)
        except ValueError as exc:
            result.rejections.append({"at": f"line {line}", "reason": str(exc)})
            continue
        if number in seen:
            result.skips.append(
                {"at": f"line {line}", "reason": f"the same number is on line {seen[number]}"}
            )
            continue
        seen[number] = line
        result.numbers.append((line, number))
    return result
