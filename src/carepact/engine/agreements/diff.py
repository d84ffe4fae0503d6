"""What changed between two versions of an agreement: clause by clause, and word by word.

Clauses are matched by their slot (the clause family), so switching from one alternative
to another shows as a change of that clause, not as one removed and one added.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ClauseSnapshot:
    family: str
    topic: str
    title: str
    alternative: str
    key: str
    clause_version: int
    parameters: dict[str, tuple[str, str]]  # name: (label, value in words)
    text: str  # rendered


@dataclass(frozen=True)
class ParamChange:
    name: str
    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "del" or "ins"
    text: str


@dataclass(frozen=True)
class ClauseDiff:
    family: str
    title: str
    change: Change
    before: ClauseSnapshot | None
    after: ClauseSnapshot | None
    alternative_changed: bool = False
    wording_changed: bool = False  # a new clause version (same alternative)
    parameters: tuple[ParamChange, ...] = ()
    text: tuple[Segment, ...] = field(default=())

    @property
    def summary(self) -> str:
        if self.change == Change.ADDED:
            return f"{self.title} added ({self.after.alternative})."
        if self.change == Change.REMOVED:
            return f"{self.title} removed."
        if self.change == Change.UNCHANGED:
            return f"{self.title} unchanged."
        parts = []
        if self.alternative_changed:
            parts.append(f"from {self.before.alternative} to {self.after.alternative}")
        if self.wording_changed:
            parts.append(
                f"wording from clause version {self.before.clause_version} to "
                f"{self.after.clause_version}"
            )
        parts.extend(f"{p.label}: {p.before or '—'} → {p.after or '—'}" for p in self.parameters)
        return f"{self.title} changed: {'; '.join(parts)}."


_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """The text as runs of unchanged, deleted and inserted words (whitespace kept)."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("ins", "".join(b[j1:j2])))
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].op == segment.op:
            merged[-1] = Segment(segment.op, merged[-1].text + segment.text)
        elif segment.text:
            merged.append(segment)
    return tuple(merged)


def _param_changes(before: ClauseSnapshot, after: ClauseSnapshot) -> tuple[ParamChange, ...]:
    names = list(before.parameters) + [n for n in after.parameters if n not in before.parameters]
    changes = []
    for name in names:
        b = before.parameters.get(name)
        a = after.parameters.get(name)
        if (b[1] if b else None) != (a[1] if a else None):
            label = (a or b)[0]
            changes.append(ParamChange(name, label, b[1] if b else None, a[1] if a else None))
    return tuple(changes)


def diff_versions(
    before: Sequence[ClauseSnapshot], after: Sequence[ClauseSnapshot]
) -> list[ClauseDiff]:
    """One entry per clause slot in either version, in the order of ``after`` then the
    removed ones in the order of ``before``."""
    old = {c.family: c for c in before}
    new = {c.family: c for c in after}
    result: list[ClauseDiff] = []
    for family, clause in new.items():
        prior = old.get(family)
        if prior is None:
            result.append(
                ClauseDiff(
                    family,
                    clause.title,
                    Change.ADDED,
                    None,
                    clause,
                    text=(Segment("ins", clause.text),),
                )
            )
            continue
        alternative_changed = prior.key != clause.key
        wording_changed = not alternative_changed and prior.clause_version != clause.clause_version
        params = _param_changes(prior, clause)
        changed = alternative_changed or wording_changed or params or prior.text != clause.text
        result.append(
            ClauseDiff(
                family,
                clause.title,
                Change.CHANGED if changed else Change.UNCHANGED,
                prior,
                clause,
                alternative_changed=alternative_changed,
                wording_changed=wording_changed,
                parameters=params,
                text=word_diff(prior.text, clause.text) if changed else (),
            )
        )
    for family, clause in old.items():
        if family not in new:
            result.append(
                ClauseDiff(
                    family,
                    clause.title,
                    Change.REMOVED,
                    clause,
                    None,
                    text=(Segment("del", clause.text),),
                )
            )
    return result


def unified(before: str, after: str, *, before_name: str, after_name: str) -> str:
    """A unified line diff of two whole documents (for the command line and Markdown)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=before_name,
        tofile=after_name,
    )
    return "".join(lines)
