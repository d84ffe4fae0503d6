"""The clause library: reading it, and (platform administrators) adding and versioning."""

from __future__ import annotations

from typing import Any

import yaml
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.text import slugify

from carepact.accounts.models import User
from carepact.agreements.models import AgreementClause, Clause, ClauseVersion, Proposal
from carepact.agreements.rules import AgreementAction, decide
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine.agreements import params, render
from carepact.engine.agreements.topics import Topic


def ensure_starter_library() -> int:
    """Install any starter clause the library lacks (migration 0002 installs them all; this
    restores them where a database was emptied without re-running migrations)."""
    from carepact.agreements.starter import install

    return install(Clause, ClauseVersion)


def check_admin(actor: User) -> None:
    decide(
        AgreementAction.MANAGE_LIBRARY,
        is_party_member=False,
        roles=frozenset(),
        is_platform_admin=bool(getattr(actor, "is_superuser", False)),
    ).check()


def clauses(*, topic: str | None = None) -> QuerySet[Clause]:
    """Every clause with its versions (oldest first)."""
    found = Clause.objects.prefetch_related(
        Prefetch("versions", queryset=ClauseVersion.objects.order_by("number"))
    )
    if topic:
        found = found.filter(topic=topic)
    return found


def get_clause(key: str) -> Clause:
    clause = clauses().filter(key=key).first()
    if clause is None:
        raise NotFound("No clause with that key in the library.")
    return clause


def latest_version(clause: Clause) -> ClauseVersion:
    versions = list(clause.versions.all())
    return max(versions, key=lambda v: v.number)


def specs_of(version: ClauseVersion) -> list[params.ParamSpec]:
    return params.specs_from(version.parameters)


def is_used(version: ClauseVersion) -> bool:
    """Used by any agreement clause or proposal: its wording is then fixed for good."""
    return (
        AgreementClause.objects.filter(clause_version=version).exists()
        or Proposal.objects.filter(clause_version=version).exists()
    )


def used_version_ids(versions: list[ClauseVersion]) -> set[int]:
    ids = [v.pk for v in versions]
    used = ClauseVersion.objects.filter(pk__in=ids).annotate(
        in_agreement=Exists(AgreementClause.objects.filter(clause_version=OuterRef("pk"))),
        in_proposal=Exists(Proposal.objects.filter(clause_version=OuterRef("pk"))),
    )
    return {v.pk for v in used if v.in_agreement or v.in_proposal}


def parse_parameter_specs(text_or_list: Any) -> list[dict]:
    """Parameter specs from YAML (or JSON) text or a list, checked; as stored."""
    if isinstance(text_or_list, str):
        if not text_or_list.strip():
            return []
        try:
            data = yaml.safe_load(text_or_list)
        except yaml.YAMLError as exc:
            raise Invalid(
                "The parameters are not valid YAML.", errors={"parameters": [str(exc)[:300]]}
            ) from None
    else:
        data = text_or_list
    if data is None:
        return []
    if not isinstance(data, list):
        raise Invalid(
            "The parameters are a list.",
            errors={"parameters": ["Write a list of parameters, each with name, type, label."]},
        )
    try:
        return [s.as_dict() for s in params.specs_from(data)]
    except params.ParamError as exc:
        raise Invalid("A parameter needs correcting.", errors={"parameters": [str(exc)]}) from None


def _check_wording(specs: list[dict], text: str) -> str:
    text = (text or "").strip()
    try:
        render.check_template(text, params.specs_from(specs))
    except params.ParamError as exc:
        raise Invalid("The clause text needs correcting.", errors={"text": [str(exc)]}) from None
    return text


def specs_as_yaml(version: ClauseVersion) -> str:
    if not version.parameters:
        return ""
    return yaml.safe_dump(version.parameters, sort_keys=False, allow_unicode=True, width=90)


def create_clause(
    actor: User,
    *,
    key: str,
    family: str,
    topic: str,
    title: str,
    alternative: str,
    guidance: str = "",
    parameters: Any = "",
    text: str,
) -> Clause:
    """Add a clause to the library, with its first version (platform administrators)."""
    check_admin(actor)
    errors: dict[str, list[str]] = {}
    key, family = (key or "").strip().lower(), (family or "").strip().lower()
    if not key or slugify(key) != key:
        errors["key"] = ["Use lower-case letters, digits and hyphens."]
    elif Clause.objects.filter(key=key).exists():
        errors["key"] = ["A clause with this key exists: add a version to it instead."]
    if not family or slugify(family) != family:
        errors["family"] = ["Use lower-case letters, digits and hyphens."]
    if topic not in {t.value for t in Topic}:
        errors["topic"] = ["Choose a topic."]
    if not (title or "").strip():
        errors["title"] = ["Give the clause a title."]
    if not (alternative or "").strip():
        errors["alternative"] = ["Say what sets this alternative apart."]
    existing = Clause.objects.filter(family=family).first()
    if existing and existing.topic != topic:
        errors["family"] = [f"The family {family} belongs to another topic ({existing.topic})."]
    if errors:
        raise Invalid("The clause needs correcting.", errors=errors)
    specs = parse_parameter_specs(parameters)
    text = _check_wording(specs, text)
    now = clock.now()
    clause = Clause.objects.create(
        key=key,
        family=family,
        topic=topic,
        title=title.strip(),
        alternative=alternative.strip(),
        guidance=(guidance or "").strip(),
        created_by=actor,
        created_at=now,
    )
    version = ClauseVersion.objects.create(
        clause=clause, number=1, parameters=specs, text=text, created_by=actor, created_at=now
    )
    audit.record(
        actor,
        action="clause.create",
        obj=clause,
        message=f"{actor} added the clause {clause.key} ({clause}) to the library.",
        summary={"key": key, "family": family, "topic": topic, "version": version.number},
    )
    return clause


def add_clause_version(
    actor: User, clause: Clause, *, parameters: Any, text: str, note: str = ""
) -> ClauseVersion:
    """A new wording of a library clause; agreements keep the version they use."""
    check_admin(actor)
    specs = parse_parameter_specs(parameters)
    text = _check_wording(specs, text)
    latest = latest_version(clause)
    same_specs = [s.as_dict() for s in params.specs_from(latest.parameters)] == specs
    if same_specs and latest.text == text:
        raise Conflict("This is the same as the latest version: change the wording or parameters.")
    version = ClauseVersion.objects.create(
        clause=clause,
        number=latest.number + 1,
        parameters=specs,
        text=text,
        note=(note or "").strip()[:300],
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record(
        actor,
        action="clause.version_add",
        obj=version,
        message=f"{actor} added version {version.number} of the clause {clause.key}.",
        summary={"key": clause.key, "version": version.number, "note": version.note},
    )
    return version


def update_clause_version(
    actor: User, version: ClauseVersion, *, parameters: Any, text: str, note: str = ""
) -> ClauseVersion:
    """Correct a version no agreement has used yet; a used version is fixed for good."""
    check_admin(actor)
    if is_used(version):
        raise Conflict(
            f"Version {version.number} of {version.clause.key} is used in an agreement, so its "
            "wording is fixed: add a new version instead."
        )
    specs = parse_parameter_specs(parameters)
    text = _check_wording(specs, text)
    before = {"parameters": version.parameters, "text": version.text}
    version.parameters, version.text = specs, text
    version.note = (note or version.note).strip()[:300]
    version.save()
    audit.record(
        actor,
        action="clause.version_update",
        obj=version,
        message=f"{actor} corrected version {version.number} of the clause {version.clause.key}.",
        summary={"key": version.clause.key, "version": version.number, "before": before},
    )
    return version


def get_clause_version(clause: Clause, number: int) -> ClauseVersion:
    version = next((v for v in clause.versions.all() if v.number == number), None)
    if version is None:
        raise NotFound(f"{clause.key} has no version {number}.")
    return version
