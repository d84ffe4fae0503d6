"""Sending for signature, signing, freezing a signed version, verifying it, amending it.

When the last party signs, the version's canonical JSON (clauses, clause wording, parameter
specs and values, parties, defined terms, and the fingerprint of the version it amends) is
hashed with SHA-256; the document and its hash are stored with the version and the hash is
recorded in the partnership's audit trail. :func:`verify` recomputes the document from what
is stored and compares all three.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from carepact.accounts.models import Membership, User
from carepact.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementVersion,
    Obligation,
    Signature,
)
from carepact.agreements.rules import AgreementAction
from carepact.agreements.services.access import (
    agreement_access,
    current_version,
    party_organisations,
)
from carepact.agreements.services.drafting import (
    clause_views,
    completeness_of,
    context_for,
    defined_terms,
    ordered_clauses,
    snapshot,
)
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.engine.agreements import canonical, diff, negotiation
from carepact.engine.agreements.negotiation import ProposalStatus, VersionStatus
from carepact.engine.agreements.topics import KINDS, Kind
from carepact.engine.hashchain import sha256_hex

SIGNED_ACTION = "agreement.signed"


def _move(version: AgreementVersion, name: str) -> None:
    try:
        version.status = negotiation.move(version.status, name).value
    except negotiation.NegotiationError as exc:
        raise Conflict(str(exc)) from None


def send_refusal(version: AgreementVersion) -> str | None:
    """Why this version cannot go out for signature now, or None."""
    if version.status != VersionStatus.NEGOTIATING:
        if version.status == VersionStatus.DRAFT:
            return "Open the draft for negotiation first, so every party can propose changes."
        return None if version.status == VersionStatus.SIGNING else "This version is signed."
    return negotiation.send_refusal(
        complete_reason=completeness_of(version).reason(),
        open_points=version.proposals.filter(status=ProposalStatus.OPEN).count(),
    )


def send_for_signature(actor: User, agreement: Agreement) -> AgreementVersion:
    """Refused, with the reasons, while the agreement is incomplete or points are open."""
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.SEND)
    version = current_version(agreement)
    refusal = send_refusal(version)
    if version.status == VersionStatus.NEGOTIATING and refusal:
        raise Conflict(refusal)
    _move(version, "send_for_signature")
    version.sent_for_signature_at = clock.now()
    version.save(update_fields=["status", "sent_for_signature_at"])
    audit.record(
        actor,
        action="agreement.send",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=(
            f"{actor} sent version {version.number} of {agreement} for signature by "
            f"{', '.join(o.name for o in aa.parties)}."
        ),
        summary={"version": version.number},
    )
    return version


def recall(actor: User, agreement: Agreement, *, reason: str = "") -> AgreementVersion:
    """Take a version back from signature to negotiation; signatures so far are void."""
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.SEND)
    version = current_version(agreement)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "Say why the agreement goes back to negotiation.",
            errors={"reason": ["A reason is required."]},
        )
    _move(version, "recall")
    voided = [s.organisation_name for s in version.signatures.all()]
    version.signatures.all().delete()
    version.sent_for_signature_at = None
    version.save(update_fields=["status", "sent_for_signature_at"])
    audit.record(
        actor,
        action="agreement.recall",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=(
            f"{actor} took version {version.number} of {agreement} back to negotiation: "
            f"{reason}" + (f" Signatures voided: {', '.join(voided)}." if voided else "")
        ),
        summary={"version": version.number, "reason": reason, "voided": voided},
    )
    return version


def awaiting_signature(agreement: Agreement, version: AgreementVersion):
    """(organisation, its signature or None) for each party."""
    signatures = {s.organisation_id: s for s in version.signatures.all()}
    return [(o, signatures.get(o.pk)) for o in party_organisations(agreement)]


def sign(actor: User, agreement: Agreement, *, password: str) -> Signature:
    """Sign for the actor's organisation, after re-entering the password.

    The last signature freezes the version.
    """
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.SIGN)
    version = current_version(agreement)
    if version.status != VersionStatus.SIGNING:
        raise Conflict(
            "This version is not out for signature."
            if version.status in (VersionStatus.DRAFT, VersionStatus.NEGOTIATING)
            else "This version is already signed by every party."
        )
    signed_ids = set(version.signatures.values_list("organisation_id", flat=True))
    organisation = next((o for o in aa.signs_for if o.pk not in signed_ids), None)
    if organisation is None:
        raise Conflict(
            f"{', '.join(o.name for o in aa.signs_for)} has already signed this version."
        )
    if not password or not actor.check_password(password):
        raise Invalid(
            "Your password is not correct: signing needs your own password, entered again.",
            errors={"password": ["The password is not correct."]},
        )
    membership = Membership.objects.filter(user=actor, organisation=organisation).first()
    now = clock.now()
    signature = Signature.objects.create(
        version=version,
        organisation=organisation,
        organisation_name=organisation.name,
        signed_by=actor,
        signer_name=actor.full_name or actor.email,
        signer_title=membership.job_title if membership else "",
        signed_at=now,
    )
    remaining = [o for o in aa.parties if o.pk not in signed_ids | {organisation.pk}]
    audit.record(
        actor,
        action="agreement.sign",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=organisation,
        message=(
            f"{actor} signed version {version.number} of {agreement} for {organisation}."
            + (f" Waiting for {', '.join(o.name for o in remaining)}." if remaining else "")
        ),
        summary={"version": version.number, "organisation": organisation.slug},
    )
    if not remaining:
        _freeze(actor, agreement, version)
    return signature


def canonical_of(agreement: Agreement, version: AgreementVersion) -> dict:
    """The canonical document of a version, rebuilt from what is stored now."""
    ctx = context_for(agreement, version)
    clauses = [
        canonical.CanonicalClause(
            number=i,
            key=c.clause_version.clause.key,
            clause_version=c.clause_version.number,
            family=c.family,
            topic=c.topic,
            title=c.clause_version.clause.title,
            alternative=c.clause_version.clause.alternative,
            template=c.clause_version.text,
            parameter_specs=c.clause_version.parameters,
            parameters=c.parameters,
        )
        for i, c in enumerate(ordered_clauses(version), 1)
    ]
    amends = version.amends.hash if version.amends_id else None
    return canonical.canonical_document(
        agreement_id=agreement.pk,
        partnership=agreement.partnership.slug,
        kind=agreement.kind,
        title=agreement.title,
        version=version.number,
        amends=amends,
        parties=[{"organisation": slug, "name": ctx.parties[slug]} for slug in ctx.party_order],
        clauses=clauses,
        defined_terms=defined_terms(agreement, version),
    )


def _freeze(actor: User, agreement: Agreement, version: AgreementVersion) -> None:
    now = clock.now()
    version.defined_terms = defined_terms(agreement)
    _move(version, "complete_signatures")
    version.signed_at = now
    document = canonical_of(agreement, version)
    version.canonical = canonical.encode(document).decode("utf-8")
    version.hash = canonical.fingerprint(document)
    version.save(update_fields=["status", "signed_at", "defined_terms", "canonical", "hash"])
    if version.amends_id:
        previous = version.amends
        _move(previous, "supersede")
        previous.save(update_fields=["status"])
        Obligation.objects.filter(version=previous, met_at__isnull=True).update(cancelled_at=now)
    audit.record(
        actor,
        action=SIGNED_ACTION,
        obj=version,
        partnership=agreement.partnership,
        organisation=None,
        message=(
            f"Every party has signed version {version.number} of {agreement}. It is frozen "
            f"with SHA-256 {version.hash}."
        ),
        summary={
            "agreement": agreement.pk,
            "version": version.number,
            "sha256": version.hash,
            "amends": document["amends"],
            "parties": [p["organisation"] for p in document["parties"]],
        },
    )
    if agreement.kind == Kind.DATA_SHARING:
        from carepact.agreements.services.terms import create_obligations

        create_obligations(agreement, version)


# -- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    version: AgreementVersion
    recomputed: str
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def recorded_hash(agreement: Agreement, version: AgreementVersion) -> str | None:
    event = (
        AuditEvent.objects.for_partnership(agreement.partnership_id)
        .filter(action=SIGNED_ACTION, object_type="agreementversion", object_id=str(version.pk))
        .order_by("-seq")
        .first()
    )
    return (event.summary or {}).get("sha256") if event else None


def verify(agreement: Agreement, version: AgreementVersion) -> Verification:
    """Recompute a signed version's fingerprint and compare it with what was recorded."""
    document = canonical_of(agreement, version)
    recomputed = canonical.fingerprint(document)
    problem = None
    if recomputed != version.hash:
        problem = (
            "its clauses, wording or parameters have changed since it was signed "
            f"(now {recomputed[:16]}…, signed {version.hash[:16] or 'nothing'}…)"
        )
    elif sha256_hex(version.canonical.encode("utf-8")) != version.hash:
        problem = "the canonical text stored with it no longer matches its hash"
    else:
        recorded = recorded_hash(agreement, version)
        if recorded is None:
            problem = "the audit trail holds no record of its signature"
        elif recorded != version.hash:
            problem = "its hash differs from the one recorded in the audit trail when it was signed"
    return Verification(version, recomputed, problem)


def signed_versions(partnership_slug: str | None = None, agreement_id: int | None = None):
    versions = AgreementVersion.objects.filter(
        status__in=[VersionStatus.SIGNED, VersionStatus.SUPERSEDED]
    ).select_related("agreement__partnership", "amends")
    if partnership_slug:
        versions = versions.filter(agreement__partnership__slug=partnership_slug)
    if agreement_id is not None:
        versions = versions.filter(agreement_id=agreement_id)
    return versions.order_by("agreement_id", "number")


def verify_all(*, agreement_id: int | None = None) -> list[Verification]:
    """Every signed (or superseded) version, or those of one agreement."""
    return [verify(v.agreement, v) for v in signed_versions(agreement_id=agreement_id)]


# -- amendments and diffs --------------------------------------------------------------------


def start_amendment(actor: User, agreement: Agreement, *, reason: str) -> AgreementVersion:
    """A new version copied from the signed one, negotiated through proposals."""
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.DRAFT)
    if not aa.in_agreement:
        raise Denied("Only people of a party to this agreement can amend it.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why the agreement needs amending.", errors={"reason": ["Required."]})
    latest = current_version(agreement)
    if latest.status != VersionStatus.SIGNED:
        raise Conflict(
            f"Version {latest.number} is not signed yet: change it through negotiation, "
            "not an amendment."
        )
    now = clock.now()
    new = AgreementVersion.objects.create(
        agreement=agreement,
        number=latest.number + 1,
        status=VersionStatus.NEGOTIATING,
        amends=latest,
        created_by=actor,
        created_at=now,
        negotiation_opened_at=now,
    )
    AgreementClause.objects.bulk_create(
        AgreementClause(
            version=new,
            clause_version=c.clause_version,
            family=c.family,
            topic=c.topic,
            parameters=c.parameters,
            added_by=c.added_by,
            added_at=c.added_at,
        )
        for c in latest.clauses.all()
    )
    audit.record(
        actor,
        action="agreement.amend",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=(
            f"{actor} started amendment {new.number} of {agreement}: {reason} Version "
            f"{latest.number} stays in force until the amendment is signed."
        ),
        summary={"version": new.number, "amends": latest.number, "reason": reason},
    )
    return new


def snapshots(agreement: Agreement, version: AgreementVersion) -> list[diff.ClauseSnapshot]:
    ctx = context_for(agreement, version)
    return [
        snapshot(c.clause_version, c.parameters, c.family, ctx) for c in ordered_clauses(version)
    ]


def compare(
    agreement: Agreement, before: AgreementVersion, after: AgreementVersion
) -> list[diff.ClauseDiff]:
    """Clause by clause and word by word, what ``after`` changes in ``before``."""
    return diff.diff_versions(snapshots(agreement, before), snapshots(agreement, after))


def plain_text(agreement: Agreement, version: AgreementVersion) -> str:
    """The version as numbered plain text, for line diffs."""
    lines = [f"{agreement.title} — version {version.number}", ""]
    for view in clause_views(version):
        lines.append(f"{view.number}. {view.title} ({view.alternative})")
        for i, paragraph in enumerate(view.paragraphs, 1):
            lines.append(f"{view.number}.{i} {paragraph}")
        lines.append("")
    return "\n".join(lines)


def text_diff(agreement: Agreement, before: AgreementVersion, after: AgreementVersion) -> str:
    return diff.unified(
        plain_text(agreement, before),
        plain_text(agreement, after),
        before_name=f"version {before.number}",
        after_name=f"version {after.number}",
    )


def kind_label(agreement: Agreement) -> str:
    return KINDS[Kind(agreement.kind)].label


def canonical_pretty(version: AgreementVersion) -> str:
    return json.dumps(json.loads(version.canonical), indent=2, ensure_ascii=False)
