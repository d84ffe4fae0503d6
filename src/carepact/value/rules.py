"""The value rules, free of the database, each tested as a truth table.

Reading the ledger, the fairness view and the value case is ``Action.VIEW`` (any member of
a party); writing needs ``Action.CONTRIBUTE`` (a role other than observer) and, for the
ledger, the right to speak for the party the entry is about (:func:`may_record_for`).
"""

from __future__ import annotations

from carepact.core.access import Decision


def may_record_for(*, own_party: bool, is_lead: bool) -> Decision:
    """Whether someone may put a contribution on a party's line of the ledger.

    Each party records what it put in; a partnership lead may record for any party (for
    instance from the agreement's schedule), so that the ledger can be complete.
    """
    if own_party:
        return Decision.allow()
    if is_lead:
        return Decision.allow("Partnership leads may record for any party.")
    return Decision.deny(
        "You can record contributions for your own organisation only; a partnership lead "
        "can record them for any party."
    )
