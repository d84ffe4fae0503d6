"""Whether an agreement has what its kind needs: topics covered and parameters valid.

:func:`assess` is the rule, free of storage: given a kind and the clauses present (with any
problems in their parameters), it names each missing required topic with why it matters,
the recommended topics not covered, and the clauses whose parameters need attention. An
agreement may be sent for signature only when :attr:`Completeness.complete` holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from carepact.engine.agreements.topics import KINDS, TOPICS, Kind, Topic


@dataclass(frozen=True)
class ClauseFacts:
    topic: str
    title: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    topic: Topic
    label: str
    why: str
    required: bool


@dataclass(frozen=True)
class ClauseProblem:
    title: str
    problem: str


@dataclass(frozen=True)
class Completeness:
    kind: Kind
    covered: tuple[Topic, ...]
    missing: tuple[Gap, ...]  # required topics with no clause
    suggested: tuple[Gap, ...]  # recommended topics with no clause
    problems: tuple[ClauseProblem, ...]  # clauses whose parameters are not valid

    @property
    def covered_labels(self) -> list[str]:
        return [TOPICS[t].label for t in self.covered]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems

    def reason(self) -> str:
        """Why it cannot be signed yet, in sentences; empty when complete."""
        parts = []
        if self.missing:
            labels = ", ".join(g.label.lower() for g in self.missing)
            parts.append(f"A {KINDS[self.kind].label.lower()} needs a clause on each of: {labels}.")
        for problem in self.problems:
            parts.append(f"{problem.title}: {problem.problem}")
        return " ".join(parts)


def assess(kind: str, clauses: Iterable[ClauseFacts]) -> Completeness:
    info = KINDS[Kind(kind)]
    clauses = list(clauses)
    present = {Topic(c.topic) for c in clauses}

    def gap(topic: Topic, required: bool) -> Gap:
        return Gap(topic, TOPICS[topic].label, TOPICS[topic].why, required)

    return Completeness(
        kind=Kind(kind),
        covered=tuple(t for t in Topic if t in present),
        missing=tuple(gap(t, True) for t in info.required if t not in present),
        suggested=tuple(gap(t, False) for t in info.recommended if t not in present),
        problems=tuple(ClauseProblem(c.title, problem) for c in clauses for problem in c.problems),
    )
