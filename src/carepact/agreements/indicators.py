"""The agreements app's indicators for other apps to read (see core.indicators)."""

from __future__ import annotations

from carepact.agreements.gates import signed_mou_reason
from carepact.agreements.models import Agreement, Proposal
from carepact.core.indicators import Reading, provide
from carepact.engine.agreements.analytics import median
from carepact.engine.agreements.negotiation import ProposalStatus, VersionStatus
from carepact.engine.agreements.topics import Kind


def _contracting_days(partnership) -> Reading:
    from carepact.agreements.services.analytics import partnership_facts
    from carepact.engine.agreements.analytics import days

    signed = [days(f.first_draft, f.signed) for f in partnership_facts(partnership) if f.signed]
    value = median(signed)
    if value is None:
        return Reading(None, detail="no agreement is signed yet")
    return Reading(
        value,
        detail=f"median {value:g} days from first draft to signature over {len(signed)} "
        f"signed agreement{'s' if len(signed) != 1 else ''}",
    )


def _open_points(partnership) -> Reading:
    count = Proposal.objects.filter(
        version__agreement__partnership=partnership, status=ProposalStatus.OPEN
    ).count()
    return Reading(count, detail=f"{count} proposal{'s' if count != 1 else ''} awaiting answers")


def _signed_mou(partnership) -> Reading:
    exists = Agreement.objects.filter(
        partnership=partnership, kind=Kind.MOU, versions__status=VersionStatus.SIGNED
    ).exists()
    reason = signed_mou_reason(partnership) if exists else None
    if not exists:
        return Reading(False, detail="no MoU is signed yet")
    return Reading(True, detail=reason or "an MoU is signed by every party")


provide("contracting_days", _contracting_days)
provide("open_negotiation_points", _open_points)
provide("signed_mou", _signed_mou)
