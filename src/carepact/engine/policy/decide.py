"""Evaluate a question against compiled policies with Cedar, and explain the answer.

Deny unless allowed: Cedar allows only when a permit matches and no forbid does. The
answer names the policies that decided it, with their explanations; when nothing
permits, the grant's ``unmet`` text says who may. A policy that cannot be evaluated
(an error in Cedar) is never ignored here: the answer is then a denial that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cedarpy

from carepact.engine.policy import purposes
from carepact.engine.policy.compiler import SCHEMA, CompiledPolicy, ymd
from carepact.engine.policy.terms import Principal, Question, key


@dataclass(frozen=True)
class Reason:
    policy: str  # the policy's @id
    effect: str  # permit | forbid | default
    explanation: str


@dataclass(frozen=True)
class PolicyDecision:
    allowed: bool
    reasons: tuple[Reason, ...]
    conditions: tuple[str, ...] = ()  # duties that come with an allowed use

    @property
    def summary(self) -> str:
        head = "Allowed" if self.allowed else "Not allowed"
        return f"{head}: " + " ".join(r.explanation for r in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "reasons": [
                {"policy": r.policy, "effect": r.effect, "explanation": r.explanation}
                for r in self.reasons
            ],
            "conditions": list(self.conditions),
        }


def _org_attrs(p: Principal) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "country": p.country,
        "not_for_profit": p.not_for_profit,
        "commercial": p.commercial,
        "institution_keys": sorted({p.organisation, key(p.organisation_name)}),
    }


def _uid(kind: str, ident: str) -> dict[str, str]:
    return {"type": kind, "id": ident}


def entities(policy: CompiledPolicy, question: Question) -> list[dict[str, Any]]:
    """The entity graph for one question: purposes, the principal and the dataset."""
    table = purposes.catalogue()
    extra = [purposes.parse(question.purpose), purposes.parse(policy.terms.permission)]
    found = {p.code: p for p in [*table.values(), *extra]}
    out = [
        {
            "uid": _uid("Purpose", p.code),
            "attrs": {},
            "parents": [_uid("Purpose", p.parent)] if p.parent else [],
        }
        for p in found.values()
    ]
    principal = question.principal
    org = _uid("Organisation", principal.organisation)
    out.append({"uid": org, "attrs": _org_attrs(principal), "parents": []})
    if principal.person:
        out.append(
            {
                "uid": _uid("Person", principal.person),
                "attrs": _org_attrs(principal),
                "parents": [org],
            }
        )
    out.append(
        {
            "uid": _uid("Dataset", policy.terms.dataset),
            "attrs": {
                "owner": {"__entity": _uid("Organisation", policy.terms.owner)},
                "approved_users": [
                    {"__entity": _uid("Person", person)} for person in question.approved_users
                ],
            },
            "parents": [],
        }
    )
    return out


def request_for(policy: CompiledPolicy, question: Question) -> dict[str, Any]:
    principal = question.principal
    return {
        "principal": _uid("Person", principal.person)
        if principal.person
        else _uid("Organisation", principal.organisation),
        "action": _uid("Action", question.action),
        "resource": _uid("Dataset", policy.terms.dataset),
        "context": {
            "purpose": {"__entity": _uid("Purpose", purposes.parse(question.purpose).code)},
            "commercial_use": question.commercial_use,
            "ethics_approved": question.ethics_approved,
            "project": key(question.project),
            "today": ymd(question.on),
        },
    }


def _ask(text: str, policy: CompiledPolicy, question: Question):
    return cedarpy.is_authorized(request_for(policy, question), text, entities(policy, question))


def decide(policy: CompiledPolicy, question: Question) -> PolicyDecision:
    """Ask Cedar, then put its answer in words, in the order the policies are written."""
    result = _ask(policy.text, policy, question)
    diagnostics = result.diagnostics
    if diagnostics.errors:
        return PolicyDecision(
            False,
            (
                Reason(
                    "evaluation-error",
                    "default",
                    "A policy could not be evaluated for this request, so it is refused; "
                    "the data steward should check the terms.",
                ),
            ),
        )
    decided = {diagnostics.id_annotations_by_reason.get(r, "") for r in diagnostics.reasons}
    reasons = [
        Reason(rule.id, rule.effect, rule.explanation)
        for rule in policy.rules
        if rule.id in decided
    ]
    if result.allowed:
        return PolicyDecision(True, tuple(reasons), policy.conditions)
    # Cedar names only the forbids that matched; say too when the grant does not reach
    # this principal, which is the denial by default.
    grant = policy.grant
    if not _ask(grant.text, policy, question).allowed:
        reasons.insert(0, Reason(grant.id, "default", grant.unmet))
    return PolicyDecision(False, tuple(reasons))


def validate(policy: CompiledPolicy) -> list[str]:
    """Problems Cedar's validator finds in the compiled text against :data:`SCHEMA`."""
    result = cedarpy.validate_policies(policy.text, SCHEMA)
    if result.validation_passed:
        return []
    return [str(getattr(error, "error", error)) for error in result.errors] or ["invalid"]
