"""Data-use terms from signed data-sharing agreements, release checks, and obligations.

:func:`covering_terms` and :func:`check_release_allowed` are the entry points the data
app calls before any release: no data may leave without a signed data-sharing agreement
whose terms cover the dataset, the recipient and the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from carepact.accounts.models import Organisation, User
from carepact.agreements.models import Agreement, AgreementVersion, Obligation
from carepact.agreements.rules import AgreementAction, decide
from carepact.agreements.services.access import party_organisations, signed_version
from carepact.agreements.services.drafting import context_for, ordered_clauses
from carepact.agreements.terms import DataUseTerms, build_terms
from carepact.core import audit, clock
from carepact.core.errors import Conflict, NotFound
from carepact.engine.agreements.negotiation import VersionStatus
from carepact.engine.agreements.terms import DATA_USE_FAMILY
from carepact.engine.agreements.topics import Kind
from carepact.partnerships.models import Partnership
from carepact.partnerships.rules import access_for


def _localdate(moment=None) -> date:
    return timezone.localdate(moment or clock.now())


def data_use_terms(agreement: Agreement, version: AgreementVersion) -> DataUseTerms | None:
    """The terms of a signed data-sharing version; None for other kinds, unsigned versions,
    or one without a data-use clause."""
    if agreement.kind != Kind.DATA_SHARING or version.status != VersionStatus.SIGNED:
        return None
    clauses = {
        c.family: (c.clause_version.clause.key, c.parameters) for c in ordered_clauses(version)
    }
    if DATA_USE_FAMILY not in clauses:
        return None
    ctx = context_for(agreement, version)
    return build_terms(
        agreement_id=agreement.pk,
        version=version.number,
        fingerprint=version.hash,
        partnership=agreement.partnership.slug,
        signed_on=_localdate(version.signed_at),
        clauses=clauses,
        party_names=dict(ctx.parties or {}),
    )


def terms_in_force(partnership: Partnership) -> list[DataUseTerms]:
    """The terms of every data-sharing agreement of the partnership that is signed now."""
    found = []
    for agreement in Agreement.objects.filter(partnership=partnership, kind=Kind.DATA_SHARING):
        version = signed_version(agreement)
        terms = data_use_terms(agreement, version) if version else None
        if terms is not None:
            found.append(terms)
    return found


def _slug(recipient: Organisation | str) -> str:
    return recipient.slug if isinstance(recipient, Organisation) else str(recipient)


def covering_terms(
    partnership: Partnership,
    dataset_ref: str,
    recipient_org: Organisation | str,
    on: date | None = None,
) -> DataUseTerms | None:
    """The signed data-use terms that cover releasing ``dataset_ref`` to ``recipient_org``
    on ``on`` (today by default), or None when no signed data-sharing agreement does."""
    on = on or _localdate()
    recipient = _slug(recipient_org)
    for terms in terms_in_force(partnership):
        if terms.refusal(dataset=dataset_ref, recipient=recipient, on=on) is None:
            return terms
    return None


def check_release_allowed(
    partnership: Partnership,
    *,
    dataset: str,
    recipient: Organisation | str,
    on: date | None = None,
) -> DataUseTerms:
    """The covering terms, or :class:`Conflict` saying why no release may happen."""
    on = on or _localdate()
    slug = _slug(recipient)
    in_force = terms_in_force(partnership)
    if not in_force:
        raise Conflict(
            "No data may be released: this partnership has no signed data-sharing agreement. "
            "Agree and sign one that covers the dataset and the recipient first."
        )
    reasons = []
    for terms in in_force:
        refusal = terms.refusal(dataset=dataset, recipient=slug, on=on)
        if refusal is None:
            return terms
        reasons.append(f"under agreement {terms.agreement_id} (version {terms.version}), {refusal}")
    raise Conflict(
        "No signed data-sharing agreement covers this release: " + "; ".join(reasons) + "."
    )


# -- obligations -----------------------------------------------------------------------------


def create_obligations(agreement: Agreement, version: AgreementVersion) -> list[Obligation]:
    """Dated items, each owned by a party, from the terms of a newly signed version."""
    terms = data_use_terms(agreement, version)
    if terms is None:
        return []
    by_slug = {o.slug: o for o in party_organisations(agreement)}
    return Obligation.objects.bulk_create(
        Obligation(
            partnership=agreement.partnership,
            agreement=agreement,
            version=version,
            kind=item.kind,
            description=item.description,
            due_on=item.due_on,
            owner=by_slug[item.owner],
        )
        for item in terms.obligations
        if item.owner in by_slug
    )


@dataclass
class ObligationView:
    obligation: Obligation
    state: str  # met | overdue | due_soon | upcoming
    label: str
    can_meet: bool


KIND_LABELS = {
    "progress_report": "Progress report",
    "publication": "Publication of results",
    "return_of_derived_data": "Return of derived data",
    "deletion": "Deletion at expiry",
}


def obligations_of(actor: User, partnership: Partnership) -> list[ObligationView]:
    """The partnership's obligations in force, soonest first, with what is overdue."""
    access = access_for(actor, partnership)
    mine = {o.pk for o in access.party_organisations}
    today = _localdate()
    views = []
    found = (
        Obligation.objects.filter(partnership=partnership, cancelled_at__isnull=True)
        .select_related("owner", "agreement", "version", "met_by")
        .order_by("due_on", "kind", "pk")
    )
    for item in found:
        if item.met_at:
            state = "met"
        elif item.due_on < today:
            state = "overdue"
        elif (item.due_on - today).days <= 30:
            state = "due_soon"
        else:
            state = "upcoming"
        can = (
            not item.met_at
            and decide(
                AgreementAction.MEET_OBLIGATION,
                is_party_member=bool(access.party_organisations),
                roles=access.roles,
                in_agreement=item.owner_id in mine,
            ).allowed
        )
        views.append(ObligationView(item, state, KIND_LABELS.get(item.kind, item.kind), can))
    return views


def get_obligation(actor: User, partnership: Partnership, obligation_id: int) -> Obligation:
    item = (
        Obligation.objects.visible_to(actor)
        .filter(partnership=partnership, pk=obligation_id)
        .select_related("owner", "agreement")
        .first()
    )
    if item is None:
        raise NotFound("No such obligation in this partnership.")
    return item


def meet_obligation(actor: User, obligation: Obligation, *, note: str = "") -> Obligation:
    """Record that the owning organisation has met the obligation."""
    partnership = obligation.partnership
    access = access_for(actor, partnership)
    owns = obligation.owner in access.party_organisations
    decide(
        AgreementAction.MEET_OBLIGATION,
        is_party_member=bool(access.party_organisations),
        roles=access.roles,
        in_agreement=owns,
    ).check()
    if obligation.met_at:
        raise Conflict("This obligation is already recorded as met.")
    if obligation.cancelled_at:
        raise Conflict("This obligation was replaced by a signed amendment.")
    obligation.met_at, obligation.met_by = clock.now(), actor
    obligation.note = (note or "").strip()
    obligation.save(update_fields=["met_at", "met_by", "note"])
    audit.record(
        actor,
        action="obligation.met",
        obj=obligation,
        partnership=partnership,
        organisation=obligation.owner,
        message=(
            f"{actor} recorded that {obligation.owner} met its obligation "
            f"“{KIND_LABELS.get(obligation.kind, obligation.kind)}” due "
            f"{obligation.due_on:%-d %B %Y}."
        ),
        summary={
            "agreement": obligation.agreement_id,
            "kind": obligation.kind,
            "due_on": obligation.due_on.isoformat(),
            "note": obligation.note,
        },
    )
    return obligation
