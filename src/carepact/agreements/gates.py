"""The stage gate agreements add: no mobilising without an MoU signed by every party."""

from __future__ import annotations

from carepact.agreements.models import Agreement, AgreementParty
from carepact.engine.agreements.negotiation import VersionStatus
from carepact.engine.agreements.topics import Kind
from carepact.partnerships.gates import Gate, register
from carepact.partnerships.models import Partnership, Party, Stage


def signed_mou_reason(partnership: Partnership) -> str | None:
    """None when an MoU in force is signed by every active party, else what is missing."""
    signed = list(
        Agreement.objects.filter(
            partnership=partnership,
            kind=Kind.MOU,
            versions__status=VersionStatus.SIGNED,
        ).distinct()
    )
    if not signed:
        return (
            "No MoU is signed yet: draft one under Agreements, settle it with the other "
            "parties and have each party's signatory sign it."
        )
    active = {
        p.organisation_id: p.organisation.name
        for p in partnership.parties.filter(status=Party.Status.ACTIVE).select_related(
            "organisation"
        )
    }
    best: list[str] | None = None
    for agreement in signed:
        covered = set(
            AgreementParty.objects.filter(agreement=agreement).values_list(
                "organisation_id", flat=True
            )
        )
        missing = sorted(name for pk, name in active.items() if pk not in covered)
        if not missing:
            return None
        if best is None or len(missing) < len(best):
            best = missing
    return (
        f"The signed MoU does not include {', '.join(best)}: sign an MoU with every party "
        "before mobilising."
    )


register(
    Gate(
        "signed_mou",
        Stage.MOBILISING,
        "An MoU is signed by every party",
        "Starting work before the MoU is signed leaves plan, SOPs, ownership and money "
        "to be argued about later, when it is most expensive.",
        signed_mou_reason,
    )
)
