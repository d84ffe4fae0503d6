"""What a release means, in one place: the privacy test for a class, the suppression
budget, the information-loss metrics and how candidate solutions are ranked.

Both engines call these functions with numbers they computed their own way, so they agree
on the meaning even though they share no row-handling code.

Metrics (lower is better):

* ``loss`` (default): the average normalised certainty penalty over all quasi-identifier
  cells, each quasi-identifier weighted as the spec says. A released cell costs its label's
  NCP (0 for the exact value, 1 for ``*``); every cell of a suppressed record costs 1. It is
  kept as an exact fraction, so ties are ties in every engine.
* ``discernibility``: the sum over released classes of the class size squared, plus, for
  each suppressed record, the number of records (as if it were in a class of everyone).

Ranking: metric, then fewer suppressed records, then the lower node (sum of levels), then
the level vector itself; so the choice is unique and reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from carepact.engine.release.spec import ReleaseSpec

ENTROPY_TOLERANCE = 1e-9


@dataclass(frozen=True)
class NodeOutcome:
    """The result of applying one generalisation (a node of the lattice) to the data."""

    levels: tuple[int, ...]
    passes: bool
    suppressed: int  # records in classes that fail the privacy test
    classes: int  # classes released
    loss: Fraction
    discernibility: int
    k_achieved: int  # smallest released class (0 when nothing is released)
    l_achieved: tuple[float, ...]  # per sensitive attribute, over released classes

    def rank(self, metric: str) -> tuple:
        value = self.loss if metric == "loss" else self.discernibility
        return (value, self.suppressed, sum(self.levels), self.levels)


def max_suppressed(spec: ReleaseSpec, rows: int) -> int:
    """The most records the suppression limit allows out of ``rows``."""
    return math.floor(spec.privacy.suppression_limit * rows + 1e-9)


def class_ok(spec: ReleaseSpec, size: int, distinct: list[int], entropy: list[float]) -> bool:
    """True when one equivalence class may be released under the spec's privacy model."""
    if size < spec.privacy.k:
        return False
    for i, s in enumerate(spec.sensitive):
        if s.l is None:
            continue
        if s.kind == "distinct" and distinct[i] < s.l:
            return False
        if s.kind == "entropy" and entropy[i] < math.log(s.l) - ENTROPY_TOLERANCE:
            return False
    return True


def entropy_of(counts: list[int]) -> float:
    total = sum(counts)
    return -sum(c / total * math.log(c / total) for c in counts if c)


def loss_fraction(weights: list[float], dens: list[int], nums: list[int], rows: int) -> Fraction:
    """Weighted average NCP from per-QI numerator sums (suppressed cells included)."""
    if rows == 0:
        return Fraction(0)
    total_w = sum(Fraction(w) for w in weights)
    acc = Fraction(0)
    for w, den, num in zip(weights, dens, nums, strict=True):
        acc += Fraction(w) * Fraction(num, den)
    return acc / (total_w * rows)


def lattice_shape(heights: list[int]) -> int:
    out = 1
    for h in heights:
        out *= h
    return out


@dataclass
class Analysis:
    """Pass one and the search: counts, the hierarchies on the data, the chosen node."""

    rows_in: int
    excluded_consent: int
    excluded_no_id: int
    domains: list  # list[Domain], one per quasi-identifier, in spec order
    best: NodeOutcome | None
    class_sizes: list[int]  # sizes of the released classes at the chosen node
    lattice_size: int
    evaluated: int
    tagged: int
    pruned: int
    candidates: list[NodeOutcome]  # passing nodes that were evaluated, best first

    @property
    def rows(self) -> int:
        return self.rows_in - self.excluded_consent - self.excluded_no_id


@dataclass(frozen=True)
class HashedExclusions:
    """Exclusions known only as keyed hashes (a consent registry's form): HMAC-SHA-256 of
    the identifier under ``key``, as 32-byte digests."""

    key: bytes
    digests: frozenset[bytes]

    @classmethod
    def from_hex(cls, key: bytes, hashes) -> HashedExclusions:
        digests = set()
        for h in hashes:
            text = str(h).strip().lower()
            if len(text) == 64:
                try:
                    digests.add(bytes.fromhex(text))
                except ValueError:
                    continue
        return cls(key, frozenset(digests))

    @cached_property
    def _set(self):
        from carepact.engine.release.kernels import DigestSet

        rows = np.frombuffer(b"".join(self.digests), dtype=np.uint8).reshape(-1, 32)
        return DigestSet(rows)

    def match(self, identifiers) -> np.ndarray:
        """Which of an Arrow string array's identifiers hash to an excluded digest."""
        from carepact.engine.release.pseudonym import digest_rows

        n = len(identifiers)
        if not n or not self.digests:
            return np.zeros(n, dtype=np.bool_)
        return self._set.hits(digest_rows(self.key, identifiers))
