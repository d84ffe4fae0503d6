"""The outcomes rules, free of the database, each tested as a truth table.

Who may do what reuses the partnership's actions: any member of a party reads objectives,
KPIs and measurements (``Action.VIEW``); anyone with a role other than observer defines
them and records measurements (``Action.CONTRIBUTE``).
"""

from __future__ import annotations

from collections.abc import Iterable

from carepact.core.access import Decision

MIN_OWNING_PARTIES = 2


def joint_accountability(owner_organisations: Iterable[str], *, active_parties: int) -> Decision:
    """An objective is shared only when people of two or more parties are accountable for it.

    ``owner_organisations`` names the party organisation of each owner (repeats allowed);
    ``active_parties`` is how many organisations have joined the partnership.
    """
    organisations = sorted(set(owner_organisations))
    if len(organisations) >= MIN_OWNING_PARTIES:
        return Decision.allow()
    if active_parties < MIN_OWNING_PARTIES:
        return Decision.deny(
            "A shared objective needs accountable owners from at least two parties, and only "
            "one organisation has joined: invite a partner first."
        )
    if not organisations:
        return Decision.deny(
            "A shared objective needs accountable owners from at least two parties: "
            "choose at least one person from each of two parties."
        )
    return Decision.deny(
        f"A shared objective needs accountable owners from at least two parties; every owner "
        f"chosen is from {organisations[0]}: add an owner from another party."
    )
