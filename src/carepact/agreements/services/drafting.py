"""Starting agreements and drafting their clauses; reading a version as numbered clauses.

A version in draft is edited directly by anyone with a role other than observer. Once it is
opened for negotiation, every change goes through a proposal (see ``negotiation``); the
functions here hand such changes over to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carepact.accounts.models import Organisation, User
from carepact.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementParty,
    AgreementVersion,
    Clause,
    ClauseVersion,
    Proposal,
)
from carepact.agreements.rules import AgreementAction
from carepact.agreements.services.access import (
    agreement_access,
    current_version,
    party_organisations,
)
from carepact.agreements.services.library import clauses as library_clauses
from carepact.agreements.services.library import latest_version, specs_of
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine.agreements import completeness, diff, negotiation, params, render
from carepact.engine.agreements.negotiation import VersionStatus
from carepact.engine.agreements.topics import KINDS, TOPICS, Kind, Topic, topic_rank
from carepact.partnerships.models import Partnership, Party, Stage

# -- reading a version -----------------------------------------------------------------------


def context_for(agreement: Agreement, version: AgreementVersion | None = None) -> params.Context:
    """Party keys and names to check and render parameters with.

    A frozen version renders with the names the parties had when they signed.
    """
    organisations = party_organisations(agreement)
    names = {o.slug: o.name for o in organisations}
    if version is not None and version.is_frozen:
        for signature in version.signatures.all():
            names[signature.organisation.slug] = signature.organisation_name
    return params.Context(parties=names, party_order=tuple(o.slug for o in organisations))


def ordered_clauses(version: AgreementVersion) -> list[AgreementClause]:
    """The version's clauses in agreement order: by topic, then slot."""
    found = list(version.clauses.select_related("clause_version__clause"))
    found.sort(key=lambda c: (topic_rank(c.topic), c.family))
    return found


@dataclass
class ClauseView:
    clause: AgreementClause
    number: int
    key: str
    family: str
    topic: str
    topic_label: str
    title: str
    alternative: str
    clause_version: int
    paragraphs: list[str]
    parameters: list[tuple[str, str, str]]  # (name, label, value in words)
    problems: list[str]
    open_proposal: Proposal | None = None
    newer_version: int | None = None  # a newer library wording exists

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def view_clause(
    clause: AgreementClause, number: int, ctx: params.Context, *, check: bool = True
) -> ClauseView:
    cv = clause.clause_version
    specs = specs_of(cv)
    values = clause.parameters or {}
    return ClauseView(
        clause=clause,
        number=number,
        key=cv.clause.key,
        family=clause.family,
        topic=clause.topic,
        topic_label=TOPICS[Topic(clause.topic)].label,
        title=cv.clause.title,
        alternative=cv.clause.alternative,
        clause_version=cv.number,
        paragraphs=render.paragraphs(render.render_text(cv.text, specs, values, ctx)),
        parameters=[(s.name, s.label, params.render(s, values.get(s.name), ctx)) for s in specs],
        problems=params.problems(specs, values, ctx) if check else [],
    )


def clause_views(version: AgreementVersion, ctx: params.Context | None = None) -> list[ClauseView]:
    ctx = ctx or context_for(version.agreement, version)
    check = not version.is_frozen
    return [view_clause(c, i, ctx, check=check) for i, c in enumerate(ordered_clauses(version), 1)]


def completeness_of(
    version: AgreementVersion, views: list[ClauseView] | None = None
) -> completeness.Completeness:
    views = views if views is not None else clause_views(version)
    return completeness.assess(
        version.agreement.kind,
        [completeness.ClauseFacts(v.topic, v.title, tuple(v.problems)) for v in views],
    )


def defined_terms(agreement: Agreement, version: AgreementVersion | None = None) -> list[dict]:
    """Glossary terms every party to the agreement has agreed (frozen with a signed version)."""
    if version is not None and version.is_frozen:
        return list(version.defined_terms)
    party_ids = {o.pk for o in party_organisations(agreement)}
    terms = agreement.partnership.glossary.prefetch_related("agreements")
    return [
        {"term": t.term, "definition": t.definition}
        for t in terms
        if party_ids <= {a.organisation_id for a in t.agreements.all()}
    ]


# -- parameters ------------------------------------------------------------------------------


def check_parameters(
    version: ClauseVersion, raw: dict[str, Any], ctx: params.Context
) -> dict[str, Any]:
    """The normalised values, or :class:`Invalid` with a message per parameter."""
    values, errors = params.parse_all(specs_of(version), raw, ctx)
    if errors:
        raise Invalid("Some parameters of the clause need correcting.", errors=errors)
    return values


def carried_over(
    old: ClauseVersion | None, old_values: dict[str, Any], new: ClauseVersion, given: dict
) -> dict[str, Any]:
    """Input for ``new``: what was given, else the old value of a parameter with the same name
    and type, else the new version's default."""
    old_types = {s.name: s.type for s in specs_of(old)} if old else {}
    raw: dict[str, Any] = {}
    for spec in specs_of(new):
        if spec.name in given:
            raw[spec.name] = given[spec.name]
        elif old_types.get(spec.name) == spec.type and old_values.get(spec.name) is not None:
            raw[spec.name] = old_values[spec.name]
        elif spec.default is not None:
            raw[spec.name] = spec.default
    raw.update({k: v for k, v in given.items() if k not in raw})
    return raw


def get_library_clause(key: str) -> Clause:
    clause = library_clauses().filter(key=key).first()
    if clause is None:
        raise Invalid("Choose a clause from the library.", errors={"clause": ["Unknown clause."]})
    return clause


def alternatives(family: str) -> list[Clause]:
    return list(library_clauses().filter(family=family))


def slot(version: AgreementVersion, family: str) -> AgreementClause | None:
    return version.clauses.select_related("clause_version__clause").filter(family=family).first()


# -- starting --------------------------------------------------------------------------------


def _default_parameters(version: ClauseVersion) -> dict[str, Any]:
    return {s.name: s.default for s in specs_of(version) if s.default is not None}


def create_agreement(
    actor: User,
    partnership: Partnership,
    *,
    kind: str,
    title: str,
    parties: list[Organisation] | None = None,
    starter_clauses: bool = False,
) -> Agreement:
    """Start an agreement as version 1 in draft, between some or all of the parties.

    With ``starter_clauses``, the draft starts with the first alternative from the library
    for each topic the kind requires, parameters at their defaults (completeness then lists
    what is left to fill in).
    """
    aa = agreement_access(actor, partnership)
    aa.check(AgreementAction.DRAFT)
    if partnership.stage == Stage.CLOSED:
        raise Conflict("This partnership is closed: it cannot start new agreements.")
    errors: dict[str, list[str]] = {}
    if kind not in {k.value for k in Kind}:
        errors["kind"] = ["Choose the kind of agreement."]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Give the agreement a title."]
    elif len(title) > 200:
        errors["title"] = ["Keep the title under 200 characters."]
    active = [
        p.organisation
        for p in partnership.parties.filter(status=Party.Status.ACTIVE)
        .select_related("organisation")
        .order_by("invited_at", "pk")
    ]
    chosen = active if not parties else [o for o in active if o in parties]
    if parties and len(chosen) != len(set(parties)):
        errors["parties"] = ["Only organisations that have joined the partnership can be parties."]
    elif len(chosen) < 2:
        errors["parties"] = ["An agreement needs at least two parties."]
    elif aa.acting not in chosen:
        errors["parties"] = ["Your own organisation must be a party to an agreement you start."]
    if errors:
        raise Invalid("The agreement needs correcting.", errors=errors)
    now = clock.now()
    agreement = Agreement.objects.create(
        partnership=partnership,
        kind=kind,
        title=title,
        created_by=actor,
        created_for=aa.acting,
        created_at=now,
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organisation=o, position=i)
        for i, o in enumerate(chosen)
    )
    version = AgreementVersion.objects.create(
        agreement=agreement, number=1, created_by=actor, created_at=now
    )
    added = []
    if starter_clauses:
        first_of_topic: dict[str, Clause] = {}
        for clause in library_clauses().order_by("pk"):
            first_of_topic.setdefault(clause.topic, clause)
        for topic in KINDS[Kind(kind)].required:
            clause = first_of_topic.get(topic.value)
            if clause is None:
                continue
            cv = latest_version(clause)
            AgreementClause.objects.create(
                version=version,
                clause_version=cv,
                family=clause.family,
                topic=clause.topic,
                parameters=_default_parameters(cv),
                added_by=actor,
                added_at=now,
            )
            added.append(clause.key)
    audit.record(
        actor,
        action="agreement.create",
        obj=agreement,
        partnership=partnership,
        organisation=aa.acting,
        message=(
            f"{actor} started the {KINDS[Kind(kind)].label.lower()} “{title}” between "
            f"{', '.join(o.name for o in chosen)}."
        ),
        summary={
            "kind": kind,
            "title": title,
            "parties": [o.slug for o in chosen],
            "starter_clauses": added,
        },
    )
    return agreement


# -- drafting --------------------------------------------------------------------------------


def _draft_version(agreement: Agreement) -> AgreementVersion:
    version = current_version(agreement)
    if not negotiation.editable_directly(version.status):
        raise Conflict(
            negotiation.proposals_allowed(version.status)
            or "This version is being negotiated: propose the change instead."
        )
    return version


def add_clause(
    actor: User,
    agreement: Agreement,
    *,
    clause_key: str,
    parameters: dict[str, Any],
    comment: str = "",
) -> AgreementClause | Proposal:
    """Add a library clause: directly to a draft, or as a proposal during negotiation."""
    version = current_version(agreement)
    if version.status == VersionStatus.NEGOTIATING:
        from carepact.agreements.services.negotiation import propose

        return propose(
            actor,
            agreement,
            family=get_library_clause(clause_key).family,
            clause_key=clause_key,
            parameters=parameters,
            comment=comment,
        )
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.DRAFT)
    version = _draft_version(agreement)
    clause = get_library_clause(clause_key)
    if version.clauses.filter(family=clause.family).exists():
        raise Conflict(
            f"The agreement already has a clause for “{clause.title}”: change it instead."
        )
    cv = latest_version(clause)
    values = check_parameters(
        cv, carried_over(None, {}, cv, parameters), context_for(agreement, version)
    )
    added = AgreementClause.objects.create(
        version=version,
        clause_version=cv,
        family=clause.family,
        topic=clause.topic,
        parameters=values,
        added_by=actor,
        added_at=clock.now(),
    )
    audit.record(
        actor,
        action="agreement.clause_add",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=f"{actor} added the clause “{clause}” to the draft of {agreement}.",
        summary={"version": version.number, "clause": clause.key, "parameters": values},
    )
    return added


def update_clause(
    actor: User,
    agreement: Agreement,
    *,
    family: str,
    clause_key: str | None = None,
    parameters: dict[str, Any],
    use_latest: bool = False,
    comment: str = "",
) -> AgreementClause | Proposal:
    """Change a clause's alternative or parameters: directly in a draft, else by proposal."""
    version = current_version(agreement)
    if version.status == VersionStatus.NEGOTIATING:
        from carepact.agreements.services.negotiation import propose

        return propose(
            actor,
            agreement,
            family=family,
            clause_key=clause_key,
            parameters=parameters,
            use_latest=use_latest,
            comment=comment,
        )
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.DRAFT)
    version = _draft_version(agreement)
    target = slot(version, family)
    if target is None:
        raise NotFound("This agreement has no such clause.")
    new_cv = target_version(target.clause_version, clause_key, family, use_latest=use_latest)
    raw = carried_over(target.clause_version, target.parameters, new_cv, parameters)
    values = check_parameters(new_cv, raw, context_for(agreement, version))
    if new_cv == target.clause_version and values == target.parameters:
        return target
    before = {"clause": target.clause_version.clause.key, "parameters": target.parameters}
    target.clause_version, target.parameters = new_cv, values
    target.save(update_fields=["clause_version", "parameters"])
    audit.record(
        actor,
        action="agreement.clause_update",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=f"{actor} changed the clause “{new_cv.clause.title}” in the draft of {agreement}.",
        summary={
            "version": version.number,
            "before": before,
            "after": {"clause": new_cv.clause.key, "parameters": values},
        },
    )
    return target


def target_version(
    current: ClauseVersion | None, clause_key: str | None, family: str, *, use_latest: bool
) -> ClauseVersion:
    """The clause version a change moves to: another alternative (its newest wording), the
    newest wording of the same clause when asked, or the same version."""
    if clause_key and (current is None or clause_key != current.clause.key):
        clause = get_library_clause(clause_key)
        if clause.family != family:
            raise Invalid(
                "That clause is not an alternative for this one.",
                errors={"clause": ["Choose an alternative of the same clause."]},
            )
        return latest_version(clause)
    if current is None:
        raise Invalid("Choose a clause.", errors={"clause": ["Required."]})
    if use_latest:
        return latest_version(library_clauses().get(pk=current.clause_id))
    return current


def remove_clause(
    actor: User, agreement: Agreement, *, family: str, comment: str = ""
) -> Proposal | None:
    """Remove a clause from a draft, or propose its removal during negotiation."""
    version = current_version(agreement)
    if version.status == VersionStatus.NEGOTIATING:
        from carepact.agreements.services.negotiation import propose_removal

        return propose_removal(actor, agreement, family=family, comment=comment)
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.DRAFT)
    version = _draft_version(agreement)
    target = slot(version, family)
    if target is None:
        raise NotFound("This agreement has no such clause.")
    key = target.clause_version.clause.key
    target.delete()
    audit.record(
        actor,
        action="agreement.clause_remove",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=f"{actor} removed the clause {key} from the draft of {agreement}.",
        summary={"version": version.number, "clause": key},
    )
    return None


def open_negotiation(actor: User, agreement: Agreement) -> AgreementVersion:
    """From now on, changes go through proposals the other parties answer."""
    aa = agreement_access(actor, agreement.partnership, agreement)
    aa.check(AgreementAction.DRAFT)
    version = current_version(agreement)
    try:
        version.status = negotiation.move(version.status, "open_negotiation")
    except negotiation.NegotiationError as exc:
        raise Conflict(str(exc)) from None
    if not version.clauses.exists():
        raise Conflict("Add at least one clause before opening the draft for negotiation.")
    version.negotiation_opened_at = clock.now()
    version.save(update_fields=["status", "negotiation_opened_at"])
    audit.record(
        actor,
        action="agreement.open_negotiation",
        obj=agreement,
        partnership=agreement.partnership,
        organisation=aa.acting,
        message=(
            f"{actor} opened {agreement} for negotiation: changes now need the other "
            "parties' agreement."
        ),
        summary={"version": version.number},
    )
    return version


@dataclass
class Picker:
    """Library clauses that can go into a version, by topic, marking what the kind needs."""

    topic: Topic
    label: str
    why: str
    required: bool
    present: bool
    recommended: bool = False
    clauses: list[Clause] = field(default_factory=list)


def picker(agreement: Agreement, version: AgreementVersion) -> list[Picker]:
    info = KINDS[Kind(agreement.kind)]
    present_families = set(version.clauses.values_list("family", flat=True))
    present_topics = set(version.clauses.values_list("topic", flat=True))
    groups = {
        t: Picker(t, TOPICS[t].label, TOPICS[t].why, t in info.required, t.value in present_topics)
        for t in Topic
    }
    for clause in library_clauses():
        if clause.family not in present_families:
            groups[Topic(clause.topic)].clauses.append(clause)
    return [g for g in groups.values() if g.clauses]


def snapshot(
    clause_version: ClauseVersion, values: dict[str, Any], family: str, ctx: params.Context
) -> diff.ClauseSnapshot:
    """A clause as the diff engine compares it: parameters and text in words."""
    specs = specs_of(clause_version)
    return diff.ClauseSnapshot(
        family=family,
        topic=clause_version.clause.topic,
        title=clause_version.clause.title,
        alternative=clause_version.clause.alternative,
        key=clause_version.clause.key,
        clause_version=clause_version.number,
        parameters={s.name: (s.label, params.render(s, values.get(s.name), ctx)) for s in specs},
        text=render.render_text(clause_version.text, specs, values, ctx),
    )
