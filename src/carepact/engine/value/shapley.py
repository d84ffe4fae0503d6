"""Exact Shapley values of a cooperative game, for up to 12 parties.

The partners say what each coalition of them could achieve on its own (its *value*, in
any unit they choose). A party's Shapley value is its marginal contribution to the
coalitions it could join, averaged over every order in which the parties could have come
together:

    φ_i = Σ over coalitions S without i of  |S|! (n − |S| − 1)! / n!  × (v(S ∪ {i}) − v(S))

Coalitions are bit masks over the parties (bit k set when party k is in), so the sum runs
over all 2^n masks once per party: exact, and instant for n ≤ 12 (4,096 coalitions).
Arithmetic is in fractions, so the efficiency property — the values add up to the grand
coalition's value — holds exactly, and :func:`check_efficiency` verifies it.

Coalitions are written as party names joined by ``+`` (``"NHS+Pharma"``); the order of
names does not matter; the empty coalition may be omitted and is worth 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Real

MAX_PARTIES = 12
SEPARATOR = "+"


class GameError(ValueError):
    """A coalition table that does not define a game; the message says what is wrong."""


@dataclass(frozen=True)
class Game:
    parties: tuple[str, ...]
    values: tuple[Fraction, ...]  # indexed by coalition bit mask; values[0] is 0

    @property
    def grand(self) -> Fraction:
        return self.values[-1]

    def value(self, members: set[str] | frozenset[str]) -> Fraction:
        mask = 0
        for name in members:
            mask |= 1 << self.parties.index(name)
        return self.values[mask]


def coalition_key(members) -> str:
    """The canonical name of a coalition: its members joined by ``+``, in the given order."""
    return SEPARATOR.join(members)


def _number(value: object, key: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal | str):
        raise GameError(f"the value of {key!r} is not a number")
    try:
        number = Fraction(Decimal(value) if isinstance(value, str) else value)
    except (ValueError, ArithmeticError, TypeError):
        raise GameError(f"the value of {key!r} is not a finite number") from None
    return number


def _members(key: str) -> tuple[str, ...]:
    if key.strip() == "":
        return ()
    names = tuple(name.strip() for name in key.split(SEPARATOR))
    if any(not name for name in names):
        raise GameError(f"the coalition {key!r} has an empty party name")
    if len(set(names)) != len(names):
        raise GameError(f"the coalition {key!r} names a party twice")
    return names


def game_from_mapping(table: Mapping[str, object], parties: list[str] | None = None) -> Game:
    """Check a coalition → value table and build the game.

    ``parties`` fixes the parties and their order; without it they are every name that
    appears, in order of first appearance. Every non-empty coalition of the parties must
    have a value; the empty one may be omitted and must be 0 if given.
    """
    if not isinstance(table, Mapping):
        raise GameError("the coalition values must be an object mapping coalitions to values")
    parsed: dict[frozenset[str], tuple[str, Fraction]] = {}
    seen: list[str] = []
    for key, raw in table.items():
        if not isinstance(key, str):
            raise GameError("each coalition must be written as text, such as 'NHS+Pharma'")
        members = _members(key)
        number = _number(raw, key)
        group = frozenset(members)
        if group in parsed:
            raise GameError(
                f"the coalitions {parsed[group][0]!r} and {key!r} are the same coalition"
            )
        parsed[group] = (key, number)
        seen.extend(name for name in members if name not in seen)
    names = list(parties) if parties is not None else seen
    if len(set(names)) != len(names):
        raise GameError("a party is named twice")
    unknown = sorted(set(seen) - set(names))
    if unknown:
        raise GameError(f"coalitions name parties that are not in the game: {unknown}")
    if not names:
        raise GameError("no parties: give the value of at least one coalition")
    if len(names) > MAX_PARTIES:
        raise GameError(
            f"{len(names)} parties: exact Shapley values are computed for at most {MAX_PARTIES}"
        )
    empty = parsed.get(frozenset())
    if empty is not None and empty[1] != 0:
        raise GameError("the empty coalition must be worth 0")
    n = len(names)
    values = [Fraction(0)] * (1 << n)
    missing = []
    for mask in range(1, 1 << n):
        members = frozenset(names[k] for k in range(n) if mask >> k & 1)
        found = parsed.get(members)
        if found is None:
            missing.append(coalition_key(name for name in names if name in members))
        else:
            values[mask] = found[1]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise GameError(f"missing the value of coalition {shown}{more}")
    return Game(tuple(names), tuple(values))


def shapley(game: Game) -> dict[str, Fraction]:
    """Each party's exact Shapley value."""
    n = len(game.parties)
    factorial = [math.factorial(k) for k in range(n + 1)]
    # weight[s] = s! (n - s - 1)! / n!, for a coalition of s parties that i joins
    weight = [Fraction(factorial[s] * factorial[n - s - 1], factorial[n]) for s in range(n)]
    values = game.values
    phi = [Fraction(0)] * n
    for mask in range(1 << n):
        size = mask.bit_count()
        if size == n:
            continue
        w = weight[size]
        base = values[mask]
        for k in range(n):
            bit = 1 << k
            if not mask & bit:
                phi[k] += w * (values[mask | bit] - base)
    return dict(zip(game.parties, phi, strict=True))


def efficiency_gap(game: Game, phi: Mapping[str, Fraction]) -> Fraction:
    """Sum of the Shapley values minus the grand coalition's value (0 for a correct result)."""
    return sum(phi.values(), Fraction(0)) - game.grand


def check_efficiency(game: Game, phi: Mapping[str, Fraction]) -> None:
    """Raise when the values do not add up to the grand coalition's value."""
    gap = efficiency_gap(game, phi)
    if gap != 0:
        raise GameError(f"the Shapley values miss the grand coalition's value by {float(gap)}")


def as_number(value: Fraction) -> int | float:
    """A value for JSON: an integer when it is whole, else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)
