"""Compilation of data-use terms into Cedar, as a truth table of purposes x modifiers x
requesters, each case with the policies that must decide it."""

from __future__ import annotations

from datetime import date

import pytest

from carepact.engine.policy import (
    MODIFIERS,
    PolicyTerms,
    Principal,
    Question,
    TermsError,
    compile_terms,
    decide,
    parse_modifiers,
    validate,
)

START, END = date(2026, 1, 1), date(2027, 12, 31)
TODAY = date(2026, 6, 1)
NAMES = (
    ("northfield", "Northfield NHS Trust"),
    ("eastmoor", "University of Eastmoor"),
    ("helix", "Helix Therapeutics"),
    ("boston", "Boston Institute"),
)

# Requesters: people at three recipient organisations and one outsider.
UNI = Principal("eastmoor", "University of Eastmoor", "academia", "GB", True, False, "11", "Ada")
PHARMA = Principal("helix", "Helix Therapeutics", "pharma_biotech", "GB", False, True, "12", "Raj")
ABROAD = Principal("boston", "Boston Institute", "academia", "US", True, False, "13", "Bo")
OUTSIDER = Principal("elsewhere", "Elsewhere Pharma", "pharma_biotech", "GB", False, True, "14")
UNI_ORG = Principal("eastmoor", "University of Eastmoor", "academia", "GB", True, False)

T2D = "DS:MONDO:0005148"  # type 2 diabetes, under diabetes, under metabolic disease
LUNG = "DS:MONDO:0008903"  # lung cancer, under cancer
DIABETES = "DS:MONDO:0005015"


def policy(permission="HMB", modifiers="", **overrides):
    terms = dict(
        reference="the data-sharing agreement",
        dataset="cardio",
        dataset_label="the cardiometabolic extract",
        owner="northfield",
        recipients=("eastmoor", "helix", "boston"),
        permission=permission,
        modifiers=parse_modifiers(modifiers),
        starts_on=START,
        expires_on=END,
        names=NAMES,
    )
    terms.update(overrides)
    return compile_terms(PolicyTerms(**terms))


# (permission, modifiers, requester, action, purpose, question extras) -> allowed, deciding ids
CASES = [
    # -- purposes, no modifiers -------------------------------------------------------------
    # HMB permits HMB itself.
    ("HMB", "", UNI, "request", "HMB", {}, True, ["grant"]),
    # HMB permits a disease beneath it (T2D < diabetes < metabolic < DS < HMB).
    ("HMB", "", UNI, "request", T2D, {}, True, ["grant"]),
    # HMB does not permit general research use, which is wider.
    ("HMB", "", UNI, "request", "GRU", {}, False, ["purpose"]),
    # HMB does not permit ancestry research (POA sits under GRU, beside HMB).
    ("HMB", "", UNI, "request", "POA", {}, False, ["purpose"]),
    # GRU permits ancestry research.
    ("GRU", "", UNI, "request", "POA", {}, True, ["grant"]),
    # GRU permits every health purpose beneath it.
    ("GRU", "", UNI, "request", LUNG, {}, True, ["grant"]),
    # NRES permits GRU.
    ("NRES", "", UNI, "request", "GRU", {}, True, ["grant"]),
    # DS for diabetes permits type 2 diabetes (a MONDO descendant).
    (f"{DIABETES}", "", UNI, "request", T2D, {}, True, ["grant"]),
    # DS for type 2 diabetes does not permit diabetes in general (an ancestor).
    (T2D, "", UNI, "request", DIABETES, {}, False, ["purpose"]),
    # DS for diabetes does not permit lung cancer (another branch).
    (DIABETES, "", UNI, "request", LUNG, {}, False, ["purpose"]),
    # DS for diabetes does not permit HMB, which is wider.
    (DIABETES, "", UNI, "request", "HMB", {}, False, ["purpose"]),
    # An unknown disease term matches only itself.
    ("DS:MONDO:9999999", "", UNI, "request", "DS:MONDO:9999999", {}, True, ["grant"]),
    # ... and not a known disease.
    ("DS:MONDO:9999999", "", UNI, "request", T2D, {}, False, ["purpose"]),
    # -- requesters ---------------------------------------------------------------------------
    # A company that is a named recipient may ask, with no modifier against it.
    ("HMB", "", PHARMA, "request", "HMB", {}, True, ["grant"]),
    # An organisation the terms do not name is denied by default, whatever the purpose.
    ("HMB", "", OUTSIDER, "request", "HMB", {}, False, ["grant"]),
    # The outsider asking outside the purpose hears both reasons.
    ("HMB", "", OUTSIDER, "request", "GRU", {}, False, ["grant", "purpose"]),
    # A recipient organisation itself may receive a release.
    ("HMB", "", UNI_ORG, "receive", "HMB", {}, True, ["grant"]),
    # -- NCU ------------------------------------------------------------------------------------
    # Non-commercial only: a university for a non-commercial purpose is allowed.
    ("HMB", "NCU", UNI, "request", "HMB", {}, True, ["grant"]),
    # ... a company is refused, whatever it says about the purpose.
    ("HMB", "NCU", PHARMA, "request", "HMB", {}, False, ["ncu"]),
    # ... a university declaring a commercial purpose is refused.
    ("HMB", "NCU", UNI, "request", "HMB", {"commercial_use": True}, False, ["ncu"]),
    # -- NPU, NPUNCU ---------------------------------------------------------------------------
    # Not-for-profit only: the university qualifies.
    ("HMB", "NPU", UNI, "request", "HMB", {}, True, ["grant"]),
    # ... the company does not.
    ("HMB", "NPU", PHARMA, "request", "HMB", {}, False, ["npu"]),
    # NPU alone allows a not-for-profit's commercial purpose.
    ("HMB", "NPU", UNI, "request", "HMB", {"commercial_use": True}, True, ["grant"]),
    # NPUNCU refuses the same request.
    ("HMB", "NPUNCU", UNI, "request", "HMB", {"commercial_use": True}, False, ["npuncu"]),
    # NPUNCU refuses the company.
    ("HMB", "NPUNCU", PHARMA, "request", "HMB", {}, False, ["npuncu"]),
    # -- IRB --------------------------------------------------------------------------------------
    # Ethics approval required and given.
    ("HMB", "IRB", UNI, "request", "HMB", {"ethics_approved": True}, True, ["grant"]),
    # Ethics approval required and missing.
    ("HMB", "IRB", UNI, "request", "HMB", {}, False, ["irb"]),
    # -- GS ---------------------------------------------------------------------------------------
    # Use only in GB: a GB university is allowed.
    ("HMB", "GS:GB", UNI, "request", "HMB", {}, True, ["grant"]),
    # ... a US institute is refused.
    ("HMB", "GS:GB", ABROAD, "request", "HMB", {}, False, ["gs"]),
    # Use in GB or the US: the US institute is allowed.
    ("HMB", "GS:GB US", ABROAD, "request", "HMB", {}, True, ["grant"]),
    # -- TS and dates --------------------------------------------------------------------------
    # Six months from 1 January 2026 includes 1 June 2026.
    ("HMB", "TS:6", UNI, "use", "HMB", {}, True, ["grant"]),
    # Three months from 1 January 2026 ended on 1 April 2026.
    ("HMB", "TS:3", UNI, "use", "HMB", {}, False, ["ts"]),
    # After the end date of the terms, nothing is allowed.
    ("HMB", "", UNI, "receive", "HMB", {"on": date(2028, 1, 1)}, False, ["expires"]),
    # Before the terms start, nothing is allowed.
    ("HMB", "", UNI, "request", "HMB", {"on": date(2025, 12, 31)}, False, ["starts"]),
    # -- US ---------------------------------------------------------------------------------------
    # Named users only: asking is how one becomes named, so a request is allowed.
    ("HMB", "US", UNI, "request", "HMB", {}, True, ["grant"]),
    # ... using the data needs the person to be named in an approval.
    ("HMB", "US", UNI, "use", "HMB", {}, False, ["us"]),
    # ... a named person may use it.
    ("HMB", "US", UNI, "use", "HMB", {"approved_users": ("11",)}, True, ["grant"]),
    # ... the organisation itself receives the release; US is about people.
    ("HMB", "US", UNI_ORG, "receive", "HMB", {}, True, ["grant"]),
    # -- PS, IS -----------------------------------------------------------------------------------
    # Project-specific: the same project, written differently, is allowed.
    (
        "HMB",
        "PS:Eastmoor Heart Study",
        UNI,
        "request",
        "HMB",
        {"project": "eastmoor heart-study"},
        True,
        ["grant"],
    ),
    # ... another project is refused.
    ("HMB", "PS:Eastmoor Heart Study", UNI, "request", "HMB", {"project": "Other"}, False, ["ps"]),
    # Institution-specific, by the institution's name: the university is allowed.
    ("HMB", "IS:University of Eastmoor", UNI, "request", "HMB", {}, True, ["grant"]),
    # ... by its key too.
    ("HMB", "IS:eastmoor", UNI, "request", "HMB", {}, True, ["grant"]),
    # ... the company, another recipient, is refused.
    ("HMB", "IS:University of Eastmoor", PHARMA, "request", "HMB", {}, False, ["is"]),
    # -- NPOA -------------------------------------------------------------------------------------
    # GRU with ancestry research prohibited: ancestry is refused.
    ("GRU", "NPOA", UNI, "request", "POA", {}, False, ["npoa"]),
    # ... health research is still allowed.
    ("GRU", "NPOA", UNI, "request", "HMB", {}, True, ["grant"]),
    # -- combinations ------------------------------------------------------------------------------
    # Every broken restriction is named, in the order the policy is written (GS is met).
    ("HMB", "NCU, IRB, GS:GB", PHARMA, "request", "GRU", {}, False, ["purpose", "irb", "ncu"]),
    # All restrictions met at once.
    (
        "HMB",
        "NPUNCU, IRB, GS:GB, TS:12, US, PS:heart",
        UNI,
        "use",
        T2D,
        {"ethics_approved": True, "project": "Heart", "approved_users": ("11",)},
        True,
        ["grant"],
    ),
    # Recorded duties never decide: PUB and RTN allow with conditions.
    ("HMB", "PUB, RTN, COL", PHARMA, "request", "HMB", {}, True, ["grant"]),
]


@pytest.mark.parametrize(
    ("permission", "modifiers", "who", "action", "purpose", "extra", "allowed", "ids"), CASES
)
def test_compiled_policy_decides_as_the_terms_say(
    permission, modifiers, who, action, purpose, extra, allowed, ids
):
    compiled = policy(permission, modifiers)
    assert validate(compiled) == []
    question = Question(action, who, purpose, extra.pop("on", TODAY), **extra)
    decision = decide(compiled, question)
    assert decision.allowed is allowed
    assert [r.policy for r in decision.reasons] == [f"cardio.{i}" for i in ids]
    assert all(r.explanation for r in decision.reasons)


def test_every_modifier_either_compiles_to_a_policy_or_is_recorded_as_a_duty():
    values = {"GS": "GB", "TS": "6", "PS": "p", "IS": "i", "MOR": "2027-01-01", "RS": "r"}
    for code, (_, _, how) in MODIFIERS.items():
        text = f"{code}:{values[code]}" if code in values else code
        compiled = policy(modifiers=text)
        assert validate(compiled) == [], code
        has_rule = compiled.rule(f"cardio.{code.lower()}") is not None
        assert has_rule is (how == "enforced"), code
        assert bool(compiled.conditions) is (how == "recorded"), code


def test_allowed_decisions_carry_the_recorded_duties():
    decision = decide(policy(modifiers="PUB, RTN"), Question("request", UNI, "HMB", TODAY))
    assert decision.allowed
    assert [c.split(" (DUO")[0] for c in decision.conditions] == [
        "Publication required",
        "Return derived data to the resource",
    ]


def test_policies_name_each_rule_and_escape_text():
    compiled = policy(
        modifiers='PS:The "Heart" study',
        dataset_label='the "odd" \\ extract',
        names=(*NAMES, ("eastmoor", 'Uni "E"')),
    )
    assert validate(compiled) == []
    assert compiled.text.count("@id(") == len(compiled.rules)
    assert all(r.explanation and r.title for r in compiled.rules)
    assert compiled.grant.effect == "permit" and compiled.grant.unmet
    assert all(r.effect == "forbid" for r in compiled.rules[1:])


def test_terms_are_checked_before_compiling():
    with pytest.raises(TermsError, match="no organisation"):
        policy(recipients=())
    with pytest.raises(TermsError, match="TS needs"):
        parse_modifiers("TS:soon")
    with pytest.raises(TermsError, match="appears twice"):
        parse_modifiers("NCU, NCU")
    with pytest.raises(TermsError, match="needs the date"):
        policy(modifiers="TS:3", starts_on=None)
    with pytest.raises(TermsError, match="not a DUO modifier"):
        parse_modifiers("XYZ")
