"""GA4GH Data Use Ontology (DUO) codes: the permissions and modifiers a data-use clause uses.

A data-use term is one permission (what kind of use is allowed) and any number of
modifiers (conditions on that use). Some take a value: DS names the disease, GS the
countries, TS the months, MOR the date until which nothing may be published, RS the
research type, IS the institution, PS the project. The descriptions are ours; the codes
and identifiers are DUO's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pycountry


@dataclass(frozen=True)
class Code:
    code: str
    duo_id: str
    label: str
    description: str
    value: str = ""  # what the value means when the code takes one, else ""


PERMISSIONS: dict[str, Code] = {
    c.code: c
    for c in [
        Code("NRES", "DUO:0000004", "no restriction", "Any use at all."),
        Code(
            "GRU",
            "DUO:0000042",
            "general research use",
            "Research for any purpose, including the study of population origins or ancestry.",
        ),
        Code(
            "HMB",
            "DUO:0000006",
            "health or medical or biomedical research",
            "Health, medical or biomedical research, excluding population origins or ancestry.",
        ),
        Code(
            "DS",
            "DUO:0000007",
            "disease specific research",
            "Research related to the named disease only.",
            value="the disease, as a name or an ontology term (for example MONDO:0005148)",
        ),
        Code(
            "POA",
            "DUO:0000011",
            "population origins or ancestry research only",
            "The study of population origins or ancestry only.",
        ),
    ]
}

MODIFIERS: dict[str, Code] = {
    c.code: c
    for c in [
        Code("IRB", "DUO:0000021", "ethics approval required", "Each use needs ethics approval."),
        Code(
            "PUB",
            "DUO:0000019",
            "publication required",
            "Results must be made available to the wider research community.",
        ),
        Code(
            "COL",
            "DUO:0000020",
            "collaboration required",
            "Users must collaborate with the data provider's investigators.",
        ),
        Code(
            "RTN",
            "DUO:0000029",
            "return to database or resource",
            "Derived or enriched data must be returned to the provider.",
        ),
        Code("NCU", "DUO:0000046", "non-commercial use only", "No commercial use of the data."),
        Code(
            "NPU",
            "DUO:0000045",
            "not for profit organisation use only",
            "Only not-for-profit organisations may use the data.",
        ),
        Code(
            "NPUNCU",
            "DUO:0000018",
            "not for profit, non commercial use only",
            "Only not-for-profit organisations, for non-commercial use.",
        ),
        Code(
            "US",
            "DUO:0000026",
            "user specific restriction",
            "Only approved, named users may use the data.",
        ),
        Code(
            "PS",
            "DUO:0000027",
            "project specific restriction",
            "Only within the approved project.",
            value="the project",
        ),
        Code(
            "IS",
            "DUO:0000028",
            "institution specific restriction",
            "Only within an approved institution.",
            value="the institution",
        ),
        Code(
            "GS",
            "DUO:0000022",
            "geographical restriction",
            "Only within the named countries.",
            value="ISO 3166 country codes separated by spaces, for example GB or GB IE",
        ),
        Code(
            "TS",
            "DUO:0000025",
            "time limit on use",
            "Use is approved for a number of months.",
            value="the number of months",
        ),
        Code(
            "MOR",
            "DUO:0000024",
            "publication moratorium",
            "Nothing may be published before the given date.",
            value="the date, as YYYY-MM-DD",
        ),
        Code(
            "RS",
            "DUO:0000012",
            "research specific restrictions",
            "Only studies of the named research type.",
            value="the research type",
        ),
        Code(
            "GSO",
            "DUO:0000016",
            "genetic studies only",
            "Genetic studies only (genotype, alone or with phenotype).",
        ),
        Code(
            "NMDS",
            "DUO:0000015",
            "no general methods research",
            "No development of methods, software or algorithms.",
        ),
        Code(
            "NPOA",
            "DUO:0000044",
            "population origins or ancestry research prohibited",
            "No study of population origins or ancestry.",
        ),
        Code("CC", "DUO:0000043", "clinical care use", "Use in clinical care is allowed."),
    ]
}

ALL_CODES: dict[str, Code] = {**PERMISSIONS, **MODIFIERS}

# Modifiers that exclude one another: a term with both makes no sense.
EXCLUSIVE = [frozenset({"NCU", "NPUNCU"}), frozenset({"NPU", "NPUNCU"})]


class DuoError(ValueError):
    """A DUO term that cannot be read; the message says what to write instead."""


_TERM = re.compile(r"^\s*([A-Za-z]+)\s*(?:[:(]\s*(.*?)\s*\)?)?\s*$")


@dataclass(frozen=True)
class Term:
    """One DUO code with its value, if it takes one."""

    code: str
    value: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "value": self.value}

    def __str__(self) -> str:
        return f"{self.code}:{self.value}" if self.value else self.code

    @property
    def info(self) -> Code:
        return ALL_CODES[self.code]


def _clean_value(code: Code, value: str) -> str:
    value = value.strip()
    if code.value and not value:
        raise DuoError(f"{code.code} ({code.label}) needs {code.value}.")
    if not code.value and value:
        raise DuoError(f"{code.code} ({code.label}) takes no value.")
    if code.code == "GS":
        countries = value.replace(",", " ").upper().split()
        unknown = [c for c in countries if pycountry.countries.get(alpha_2=c) is None]
        if unknown:
            raise DuoError(f"GS: {', '.join(unknown)} is not an ISO 3166 country code.")
        return " ".join(countries)
    if code.code == "TS":
        if not value.isdigit() or not 1 <= int(value) <= 600:
            raise DuoError("TS needs a whole number of months between 1 and 600.")
        return str(int(value))
    if code.code == "MOR":
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise DuoError("MOR needs a date written as YYYY-MM-DD.") from None
    return value


def parse_term(text: str, *, kind: str) -> Term:
    """Read ``CODE``, ``CODE:value`` or ``CODE(value)``; ``kind`` is permission or modifier."""
    table = PERMISSIONS if kind == "permission" else MODIFIERS
    match = _TERM.match(text or "")
    if not match:
        raise DuoError(f"{text!r} is not a DUO code.")
    code_text, value = match.group(1).upper(), match.group(2) or ""
    code = table.get(code_text)
    if code is None:
        other = "modifier" if kind == "permission" else "permission"
        if code_text in (MODIFIERS if kind == "permission" else PERMISSIONS):
            raise DuoError(f"{code_text} is a DUO {other}, not a {kind}.")
        known = ", ".join(table)
        raise DuoError(f"{code_text} is not a DUO {kind}; use one of {known}.")
    return Term(code.code, _clean_value(code, value))


def parse_modifiers(text_or_items) -> list[Term]:
    """Modifiers from a comma- or line-separated string, or a list of strings or dicts."""
    if isinstance(text_or_items, str):
        items = [p for p in re.split(r"[,;\n]+", text_or_items) if p.strip()]
    else:
        items = list(text_or_items or [])
    terms = []
    for item in items:
        if isinstance(item, dict):
            item = f"{item.get('code', '')}:{item.get('value', '')}".rstrip(":")
        terms.append(parse_term(str(item), kind="modifier"))
    seen: set[str] = set()
    for term in terms:
        if term.code in seen:
            raise DuoError(f"{term.code} appears twice.")
        seen.add(term.code)
    for pair in EXCLUSIVE:
        if pair <= seen:
            a, b = sorted(pair)
            raise DuoError(f"{a} and {b} say the same thing twice: keep one.")
    return sorted(terms, key=lambda t: t.code)


def describe(term: Term) -> str:
    """The term in words, with its code: 'ethics approval required (IRB)'."""
    info = term.info
    if term.value:
        return f"{info.label}: {term.value} ({term.code})"
    return f"{info.label} ({term.code})"
