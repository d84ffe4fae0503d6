"""Compile data-use terms into Cedar policies, each with an ``@id`` and a plain explanation.

The shape, for one dataset:

* one ``permit`` (the grant): the recipient organisations, and their people, may
  request, receive and use the dataset. Nothing else is permitted, so anyone else is
  denied by default, and the grant's ``unmet`` text says why;
* one ``forbid`` per restriction: the purpose must lie within the permitted purpose
  (the purposes are an entity hierarchy, so ``context.purpose in Purpose::"HMB"`` is
  DUO's "HMB and everything beneath it"), and each enforceable DUO modifier adds one
  more (non-commercial, not-for-profit, ethics approval, countries, time limit, named
  users, project, institution, no ancestry research). A forbid always wins in Cedar, so
  every denial names the restriction it broke.

Modifiers that no request can settle (publish results, collaborate, return derived
data...) are kept as conditions shown with the policy and with every decision.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from carepact.engine.policy import purposes
from carepact.engine.policy.terms import ACTION_WORDS, ACTIONS, PolicyTerms, TermsError, key

# The Cedar schema every compiled policy is validated against (tests and compile time).
SCHEMA = """
entity Organisation = {
  kind: String, country: String, not_for_profit: Bool, commercial: Bool,
  institution_keys: Set<String>,
};
entity Person in [Organisation] = {
  kind: String, country: String, not_for_profit: Bool, commercial: Bool,
  institution_keys: Set<String>,
};
entity Purpose in [Purpose];
entity Dataset = { owner: Organisation, approved_users: Set<Person> };
action request, receive, use appliesTo {
  principal: [Person, Organisation],
  resource: Dataset,
  context: {
    purpose: Purpose, commercial_use: Bool, ethics_approved: Bool, project: String,
    today: Long,
  },
};
"""


@dataclass(frozen=True)
class Rule:
    """One Cedar policy and what it means in words."""

    id: str
    effect: str  # permit | forbid
    title: str  # a short name for the policy page
    explanation: str  # why the decision went this way when this policy decides it
    text: str  # the Cedar source, with its annotations
    unmet: str = ""  # for the grant: why nobody else is allowed


@dataclass(frozen=True)
class CompiledPolicy:
    terms: PolicyTerms
    rules: tuple[Rule, ...]
    conditions: tuple[str, ...]  # recorded modifiers, in words

    @property
    def text(self) -> str:
        return "\n\n".join(rule.text for rule in self.rules) + "\n"

    @property
    def grant(self) -> Rule:
        return self.rules[0]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def literal(text: str) -> str:
    """A Cedar string literal: quotes and backslashes escaped, control characters dropped."""
    out = []
    for ch in str(text):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) >= 32:
            out.append(ch)
    return '"' + "".join(out) + '"'


def ymd(day: date) -> int:
    """Dates travel to Cedar as whole numbers, YYYYMMDD, so they compare in order."""
    return day.year * 10000 + day.month * 100 + day.day


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _list(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _policy(rule_id: str, effect: str, title: str, explanation: str, body: str,
            actions: tuple[str, ...], dataset: str, unmet: str = "") -> Rule:  # fmt: skip
    if set(actions) == set(ACTIONS):
        scope = "action in [" + ", ".join(f'Action::"{a}"' for a in ACTIONS) + "]"
    elif len(actions) == 1:
        scope = f'action == Action::"{actions[0]}"'
    else:
        scope = "action in [" + ", ".join(f'Action::"{a}"' for a in actions) + "]"
    annotations = [
        f"@id({literal(rule_id)})",
        f"@title({literal(title)})",
        f"@explanation({literal(explanation)})",
    ]
    if unmet:
        annotations.append(f"@unmet({literal(unmet)})")
    text = (
        "\n".join(annotations)
        + f"\n{effect} (\n  principal,\n  {scope},\n  resource == Dataset::{literal(dataset)}\n)"
        + f"\n{body};"
    )
    return Rule(rule_id, effect, title, explanation, text, unmet)


def compile_terms(terms: PolicyTerms) -> CompiledPolicy:
    """The policies for one dataset: the grant first, then one forbid per restriction."""
    ds = terms.dataset
    label = terms.dataset_label
    ref = terms.reference
    owner = terms.name(terms.owner)
    recipients = [terms.name(r) for r in terms.recipients]
    permitted = purposes.describe(terms.permission)
    rules: list[Rule] = []
    everyone = " || ".join(
        f"principal in Organisation::{literal(r)}" for r in sorted(terms.recipients)
    )
    rules.append(
        _policy(
            f"{ds}.grant",
            "permit",
            "Who may have the data",
            f"{ref} lets {owner} share {label} with {_list(recipients)}, and their people, "
            f"for {permitted} and the purposes within it.",
            f"when {{ {everyone} }}",
            ACTIONS,
            ds,
            unmet=f"No policy allows it: under {ref} only {_list(recipients)} (and their "
            f"people) may ask for, receive or use {label}.",
        )
    )
    permission = purposes.parse(terms.permission).code
    rules.append(
        _policy(
            f"{ds}.purpose",
            "forbid",
            "Purpose",
            f"The purpose asked for is not {permitted} or a purpose within it, which is all "
            f"{ref} allows.",
            f"unless {{ context.purpose in Purpose::{literal(permission)} }}",
            ACTIONS,
            ds,
        )
    )
    if terms.starts_on:
        rules.append(
            _policy(
                f"{ds}.starts",
                "forbid",
                "Start date",
                f"Use under {ref} starts on {terms.starts_on.isoformat()}; it is too early.",
                f"when {{ context.today < {ymd(terms.starts_on)} }}",
                ACTIONS,
                ds,
            )
        )
    if terms.expires_on:
        rules.append(
            _policy(
                f"{ds}.expires",
                "forbid",
                "End date",
                f"Use under {ref} ended on {terms.expires_on.isoformat()}.",
                f"when {{ context.today > {ymd(terms.expires_on)} }}",
                ACTIONS,
                ds,
            )
        )
    conditions: list[str] = []
    for modifier in terms.modifiers:
        made = _modifier_rule(terms, modifier)
        if made is None:
            conditions.append(
                f"{modifier.label[0].upper()}{modifier.label[1:]}"
                f"{': ' + modifier.value if modifier.value else ''} (DUO {modifier.code}): "
                "a duty of the recipients, recorded and reviewed by people, not checked "
                "by the policy."
            )
        else:
            rules.append(made)
    return CompiledPolicy(terms, tuple(rules), tuple(conditions))


def _modifier_rule(terms: PolicyTerms, modifier) -> Rule | None:
    ds, code, value = terms.dataset, modifier.code, modifier.value
    rule_id = f"{ds}.{code.lower()}"
    title = f"{modifier.label[0].upper()}{modifier.label[1:]} (DUO {code})"
    commercial = "principal.commercial || context.commercial_use"
    if code == "NCU":
        return _policy(
            rule_id,
            "forbid",
            title,
            "Non-commercial use only (DUO NCU): the use is commercial, because the "
            "organisation is a company or the request says the purpose is commercial.",
            f"when {{ {commercial} }}",
            ACTIONS,
            ds,
        )
    if code == "NPU":
        return _policy(
            rule_id,
            "forbid",
            title,
            "Only not-for-profit organisations may use the data (DUO NPU), and this "
            "organisation is not one.",
            "unless { principal.not_for_profit }",
            ACTIONS,
            ds,
        )
    if code == "NPUNCU":
        return _policy(
            rule_id,
            "forbid",
            title,
            "Only not-for-profit organisations, for non-commercial use (DUO NPUNCU): the "
            "organisation is not one, or the use is commercial.",
            f"when {{ !principal.not_for_profit || {commercial} }}",
            ACTIONS,
            ds,
        )
    if code == "IRB":
        return _policy(
            rule_id,
            "forbid",
            title,
            "Ethics approval is required (DUO IRB) and the request gives no ethics reference.",
            "unless { context.ethics_approved }",
            ACTIONS,
            ds,
        )
    if code == "GS":
        countries = value.split()
        listed = ", ".join(literal(c) for c in countries)
        return _policy(
            rule_id,
            "forbid",
            title,
            f"Use is restricted to {_list(countries)} (DUO GS), and the organisation is "
            "based elsewhere.",
            f"unless {{ [{listed}].contains(principal.country) }}",
            ACTIONS,
            ds,
        )
    if code == "TS":
        if terms.starts_on is None:
            raise TermsError("TS (time limit) needs the date the terms start.")
        end = add_months(terms.starts_on, int(value))
        return _policy(
            rule_id,
            "forbid",
            title,
            f"Use is limited to {value} months from {terms.starts_on.isoformat()} (DUO TS), "
            f"which ended on {end.isoformat()}.",
            f"when {{ context.today > {ymd(end)} }}",
            ACTIONS,
            ds,
        )
    if code == "US":
        return _policy(
            rule_id,
            "forbid",
            title,
            "Only people named in an approved request may use the data (DUO US), and this "
            "person is not named.",
            "unless { principal is Person && resource.approved_users.contains(principal) }",
            ("use",),
            ds,
        )
    if code == "PS":
        return _policy(
            rule_id,
            "forbid",
            title,
            f"The data may be used only in the project “{value}” (DUO PS), and the request "
            "names another project.",
            f"unless {{ context.project == {literal(key(value))} }}",
            ACTIONS,
            ds,
        )
    if code == "IS":
        return _policy(
            rule_id,
            "forbid",
            title,
            f"The data may be used only at {value} (DUO IS), and this is another institution.",
            f"unless {{ principal.institution_keys.contains({literal(key(value))}) }}",
            ACTIONS,
            ds,
        )
    if code == "NPOA":
        return _policy(
            rule_id,
            "forbid",
            title,
            "Research into population origins or ancestry is prohibited (DUO NPOA).",
            'when { context.purpose in Purpose::"POA" }',
            ACTIONS,
            ds,
        )
    return None


def action_words(action: str) -> str:
    return ACTION_WORDS[action]
