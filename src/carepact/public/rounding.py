"""How patient counts are shown to the public: rounded, and small numbers hidden.

A count below 10 is shown as "fewer than 10" (never the number, so that nobody can be
singled out from a small group); a count of 10 or more is rounded to the nearest 10, half
up (15 → 20, 1,234 → 1,230). Nothing recorded is "not recorded", never 0. See
docs/adr/0008-public-page-whitelist-and-rounding.md.
"""

from __future__ import annotations

SMALL = 10
STEP = 10


def rounded(count: int | None) -> int | None:
    """The number shown, or None when it must not be shown (unknown, or fewer than 10)."""
    if count is None or count < SMALL:
        return None
    return (count + STEP // 2) // STEP * STEP


def patients_text(count: int | None) -> str:
    if count is None:
        return "not recorded"
    if count == 0:
        return "none"
    if count < SMALL:
        return f"fewer than {SMALL}"
    return f"about {rounded(count):,}"


def public_count(count: int | None) -> dict:
    """The JSON form: the words shown, and the rounded number when one may be shown."""
    return {"text": patients_text(count), "rounded": rounded(count) if count else None}
