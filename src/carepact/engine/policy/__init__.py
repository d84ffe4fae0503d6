"""Data-use policies: DUO purposes and modifiers compiled into Cedar, decisions explained.

* ``PolicyTerms`` / ``parse_modifiers``: the terms a dataset is governed by;
* ``compile_terms(terms)``: the Cedar policies, each with an ``@id`` and its meaning;
* ``decide(policy, question)``: Cedar's answer with the policies that decided it, in words;
* ``purposes``: the DUO purpose hierarchy (with disease terms from MONDO).
"""

from carepact.engine.policy import purposes
from carepact.engine.policy.compiler import SCHEMA, CompiledPolicy, Rule, compile_terms
from carepact.engine.policy.decide import PolicyDecision, Reason, decide, validate
from carepact.engine.policy.purposes import PurposeError
from carepact.engine.policy.terms import (
    ACTIONS,
    MODIFIERS,
    Modifier,
    PolicyTerms,
    Principal,
    Question,
    TermsError,
    parse_modifier,
    parse_modifiers,
)

__all__ = [
    "ACTIONS",
    "MODIFIERS",
    "SCHEMA",
    "CompiledPolicy",
    "Modifier",
    "PolicyDecision",
    "PolicyTerms",
    "Principal",
    "PurposeError",
    "Question",
    "Reason",
    "Rule",
    "TermsError",
    "compile_terms",
    "decide",
    "parse_modifier",
    "parse_modifiers",
    "purposes",
    "validate",
]
