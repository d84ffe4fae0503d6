"""Who may speak for a party about publishing its partnership, as a truth table.

Publishing tells the public what a partnership does with patient data, so each party
decides for itself, through the people who may commit it: an administrator of the party
organisation, or a partnership lead who holds the lead role for that organisation.
"""

from __future__ import annotations

from carepact.core.access import Decision


def may_speak_for_party(
    *, is_party_member: bool, is_org_admin: bool, is_lead_for_org: bool
) -> Decision:
    if not is_party_member:
        return Decision.deny("You are not a member of that party organisation.")
    if is_org_admin:
        return Decision.allow("Organisation administrators speak for their organisation.")
    if is_lead_for_org:
        return Decision.allow("Partnership leads speak for the organisation they lead for.")
    return Decision.deny(
        "Only an administrator of your organisation, or a partnership lead for it, can agree "
        "to publish or change the public page."
    )
