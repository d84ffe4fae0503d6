"""A dataset's policies: from the signed data-sharing agreement that covers it, or from the
terms drafted on it, compiled to Cedar (``engine.policy``) and asked questions.

What was signed is what is enforced: when a signed agreement's data-use terms name the
dataset, its permission, modifiers, recipients, start, end and places of use are compiled
as they are. Until then the data steward's draft terms let people ask and be answered, but
no release can run without a signed agreement (``releases.py`` checks it again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from carepact.accounts.models import INDUSTRY_KINDS, Organisation, OrganisationKind
from carepact.agreements.services import terms_in_force
from carepact.agreements.terms import DataUseTerms, dataset_key
from carepact.core import clock
from carepact.engine.policy import (
    CompiledPolicy,
    Modifier,
    PolicyDecision,
    PolicyTerms,
    Principal,
    Question,
    Reason,
    TermsError,
    compile_terms,
    decide,
    parse_modifier,
)
from carepact.engine.policy.purposes import PurposeError
from carepact.partnerships.models import Party

from .models import Dataset

NOT_FOR_PROFIT_KINDS = frozenset(
    {
        OrganisationKind.NHS_TRUST,
        OrganisationKind.PUBLIC_HEALTH,
        OrganisationKind.GOVERNMENT,
        OrganisationKind.ACADEMIA,
        OrganisationKind.CHARITY,
    }
)


def today() -> date:
    return timezone.localdate(clock.now())


@dataclass(frozen=True)
class Governing:
    """The terms that govern a dataset now, where they come from, and their policy."""

    source: str  # agreement | draft
    reference: str
    policy: CompiledPolicy
    agreement: DataUseTerms | None = None

    @property
    def signed(self) -> bool:
        return self.source == "agreement"


def covers(terms: DataUseTerms, dataset: Dataset) -> bool:
    names = {dataset_key(d) for d in terms.datasets}
    return bool(names & {dataset_key(dataset.name), dataset_key(dataset.slug)})


def _names(partnership) -> tuple[tuple[str, str], ...]:
    parties = Party.objects.filter(partnership=partnership).select_related("organisation")
    return tuple((p.organisation.slug, p.organisation.name) for p in parties)


def _from_agreement(dataset: Dataset, terms: DataUseTerms) -> PolicyTerms:
    permission = terms.permission.code
    if terms.permission.value:
        permission = f"{permission}:{terms.permission.value}"
    modifiers = [
        parse_modifier(f"{m.code}:{m.value}" if m.value else m.code) for m in terms.modifiers
    ]
    if terms.geography and not any(m.code == "GS" for m in modifiers):
        modifiers.append(Modifier("GS", " ".join(sorted(terms.geography))))
    return PolicyTerms(
        reference=f"data-sharing agreement {terms.agreement_id} (version {terms.version}, "
        f"signed {terms.signed_on:%-d %B %Y})",
        dataset=dataset.policy_key,
        dataset_label=dataset.name,
        owner=dataset.owner.slug,
        recipients=tuple(sorted(terms.recipients)),
        permission=permission,
        modifiers=tuple(sorted(modifiers, key=lambda m: m.code)),
        starts_on=terms.signed_on,
        expires_on=terms.expires_on,
        names=_names(dataset.partnership),
    )


def draft_recipients(dataset: Dataset) -> list[str]:
    """The organisations the draft names, or every other active party."""
    if dataset.draft_recipients:
        return list(dataset.draft_recipients)
    return list(
        Party.objects.filter(partnership=dataset.partnership, status=Party.Status.ACTIVE)
        .exclude(organisation=dataset.owner)
        .values_list("organisation__slug", flat=True)
    )


def _from_draft(dataset: Dataset) -> PolicyTerms:
    return PolicyTerms(
        reference="the terms drafted on the dataset (no signed agreement covers it yet)",
        dataset=dataset.policy_key,
        dataset_label=dataset.name,
        owner=dataset.owner.slug,
        recipients=tuple(sorted(draft_recipients(dataset))),
        permission=dataset.draft_permission,
        modifiers=tuple(parse_modifier(m) for m in dataset.draft_modifiers),
        starts_on=dataset.draft_starts_on,
        expires_on=dataset.draft_expires_on,
        names=_names(dataset.partnership),
    )


def signed_terms(dataset: Dataset) -> DataUseTerms | None:
    """The signed data-sharing terms in force that name this dataset and its owner."""
    for terms in terms_in_force(dataset.partnership):
        if covers(terms, dataset) and terms.provider in ("", dataset.owner.slug):
            return terms
    return None


def governing(dataset: Dataset) -> Governing | None:
    """The dataset's terms and compiled policy now, or None when it has no terms at all."""
    terms = signed_terms(dataset)
    try:
        if terms is not None:
            built = _from_agreement(dataset, terms)
            return Governing("agreement", built.reference, compile_terms(built), terms)
        if dataset.draft_permission:
            built = _from_draft(dataset)
            return Governing("draft", built.reference, compile_terms(built))
    except (TermsError, PurposeError):
        return None
    return None


def principal_for(organisation: Organisation, person=None) -> Principal:
    return Principal(
        organisation=organisation.slug,
        organisation_name=organisation.name,
        kind=organisation.kind,
        country=organisation.country,
        not_for_profit=organisation.kind in NOT_FOR_PROFIT_KINDS,
        commercial=organisation.kind in INDUSTRY_KINDS,
        person=str(person.pk) if person is not None else None,
        person_name=str(person) if person is not None else "",
    )


NO_TERMS = Reason(
    "no-terms",
    "default",
    "No terms govern this dataset yet: no signed data-sharing agreement names it and its "
    "data steward has not drafted terms. Nothing is allowed until there are terms.",
)


def ask(
    dataset: Dataset,
    *,
    action: str,
    organisation: Organisation,
    person=None,
    purpose: str,
    commercial_use: bool = False,
    ethics_reference: str = "",
    project: str = "",
    approved_users: tuple[str, ...] = (),
    on: date | None = None,
) -> tuple[PolicyDecision, Governing | None]:
    """Cedar's answer, explained, to one question about the dataset."""
    found = governing(dataset)
    if found is None:
        return PolicyDecision(False, (NO_TERMS,)), None
    question = Question(
        action=action,
        principal=principal_for(organisation, person),
        purpose=purpose,
        on=on or today(),
        commercial_use=commercial_use,
        ethics_approved=bool(ethics_reference.strip()),
        project=project,
        approved_users=approved_users,
    )
    return decide(found.policy, question), found
