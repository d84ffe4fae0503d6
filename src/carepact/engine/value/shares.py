"""The fairness view: what each party put in, what it was promised, what it got.

For one currency, each party has:

* a **contribution share**: its contributions divided by all parties' contributions;
* an **agreed share**: what the agreement's benefit-sharing clause promises it (when the
  parties have recorded one);
* a **realised share**: the benefits attributed to it divided by all benefits realised;
* a **gap**: realised share minus agreed share when there is an agreement, otherwise
  realised share minus contribution share. A gap of 10 percentage points or more either
  way is flagged as an imbalance worth talking about.

Shares are fractions from 0 to 1; a share is None when there is nothing to divide by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

IMBALANCE = 0.10  # a gap of ten percentage points
AGREED_TOLERANCE = 1e-6


class SharesError(ValueError):
    """Agreed shares that do not describe a division of the benefits."""


@dataclass(frozen=True)
class PartyShare:
    party: str
    contributed: int
    contribution_share: float | None
    agreed_share: float | None
    realised: int
    realised_share: float | None
    gap: float | None
    gap_basis: str  # "agreed", "contribution" or "" when there is no gap

    @property
    def imbalanced(self) -> bool:
        # (shares are floats: 0.6 - 0.5 is 0.0999...; a ten-point gap must still count)
        return self.gap is not None and abs(self.gap) >= IMBALANCE - 1e-9


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def check_agreed(agreed: Mapping[str, float], parties: Sequence[str]) -> None:
    """Agreed shares must be 0 to 1, for known parties, and add up to 1."""
    unknown = set(agreed) - set(parties)
    if unknown:
        raise SharesError(f"agreed shares name parties not in the partnership: {sorted(unknown)}")
    if any(not 0 <= s <= 1 for s in agreed.values()):
        raise SharesError("an agreed share must be between 0 and 1")
    if abs(sum(agreed.values()) - 1) > AGREED_TOLERANCE:
        raise SharesError("agreed shares must add up to 100%")


def fairness(
    parties: Sequence[str],
    contributed: Mapping[str, int],
    realised: Mapping[str, int],
    agreed: Mapping[str, float] | None = None,
) -> list[PartyShare]:
    """One row per party, in the order given; amounts are minor units of one currency."""
    if agreed is not None:
        check_agreed(agreed, parties)
    total_in = sum(contributed.get(p, 0) for p in parties)
    total_out = sum(realised.get(p, 0) for p in parties)
    rows = []
    for party in parties:
        c_share = _share(contributed.get(party, 0), total_in)
        r_share = _share(realised.get(party, 0), total_out)
        a_share = agreed.get(party, 0.0) if agreed is not None else None
        gap, basis = None, ""
        if r_share is not None and a_share is not None:
            gap, basis = r_share - a_share, "agreed"
        elif r_share is not None and c_share is not None:
            gap, basis = r_share - c_share, "contribution"
        rows.append(
            PartyShare(
                party=party,
                contributed=contributed.get(party, 0),
                contribution_share=c_share,
                agreed_share=a_share,
                realised=realised.get(party, 0),
                realised_share=r_share,
                gap=gap,
                gap_basis=basis,
            )
        )
    return rows
