"""Research purposes as a hierarchy, following the GA4GH Data Use Ontology (DUO).

A purpose is a DUO permission code: NRES (no restriction) above GRU (general research
use), which holds HMB (health, medical or biomedical research) and POA (population
origins or ancestry); HMB holds DS (disease-specific research), and each disease sits
under DS, or under a broader disease, following MONDO. A permitted purpose allows every
purpose beneath it: HMB allows research on type 2 diabetes, not ancestry research.

Diseases are written ``DS:MONDO:0005148``, or by name (``DS:lung cancer``: a built-in
disease by its label, any other name as a disease of its own). A small set of MONDO terms
is built in with their ancestry, enough to match the cardiometabolic, cancer and
respiratory work the platform sees most; any other ``DS:<term>`` is accepted and sits
directly under DS, so it matches only itself and the purposes above DS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Purpose:
    code: str  # NRES, GRU, HMB, POA, DS, or DS:<disease term>
    label: str
    duo_id: str  # the DUO class (DS for every disease)
    parent: str | None


BASE: dict[str, Purpose] = {
    p.code: p
    for p in [
        Purpose("NRES", "no restriction", "DUO:0000004", None),
        Purpose("GRU", "general research use", "DUO:0000042", "NRES"),
        Purpose("HMB", "health or medical or biomedical research", "DUO:0000006", "GRU"),
        Purpose("POA", "population origins or ancestry research", "DUO:0000011", "GRU"),
        Purpose("DS", "disease-specific research", "DUO:0000007", "HMB"),
    ]
}

# (MONDO term, label, parent MONDO term or None for directly under DS)
DISEASES: tuple[tuple[str, str, str | None], ...] = (
    ("MONDO:0004995", "cardiovascular disease", None),
    ("MONDO:0005267", "heart disease", "MONDO:0004995"),
    ("MONDO:0005010", "coronary artery disease", "MONDO:0005267"),
    ("MONDO:0005068", "myocardial infarction", "MONDO:0005010"),
    ("MONDO:0005252", "heart failure", "MONDO:0005267"),
    ("MONDO:0005044", "hypertension", "MONDO:0004995"),
    ("MONDO:0005098", "stroke", "MONDO:0004995"),
    ("MONDO:0005066", "metabolic disease", None),
    ("MONDO:0005015", "diabetes mellitus", "MONDO:0005066"),
    ("MONDO:0005147", "type 1 diabetes mellitus", "MONDO:0005015"),
    ("MONDO:0005148", "type 2 diabetes mellitus", "MONDO:0005015"),
    ("MONDO:0005300", "chronic kidney disease", None),
    ("MONDO:0004992", "cancer", None),
    ("MONDO:0008903", "lung cancer", "MONDO:0004992"),
    ("MONDO:0007254", "breast cancer", "MONDO:0004992"),
    ("MONDO:0005002", "chronic obstructive pulmonary disease", None),
)

_DISEASE_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_.-]+$")


class PurposeError(ValueError):
    """A purpose code that cannot be read; the message says what to write."""


@cache
def catalogue() -> dict[str, Purpose]:
    """Every purpose the platform knows by name, base codes first, then diseases."""
    table = dict(BASE)
    for term, label, parent in DISEASES:
        table[f"DS:{term}"] = Purpose(
            f"DS:{term}", label, "DUO:0000007", f"DS:{parent}" if parent else "DS"
        )
    return table


def parse(text: str) -> Purpose:
    """Read ``HMB``, ``DS:MONDO:0005148`` (or ``DS(MONDO:0005148)``) into a purpose."""
    raw = (text or "").strip()
    match = re.match(r"^DS\s*\((.+)\)$", raw, re.IGNORECASE)
    if match:
        raw = f"DS:{match.group(1).strip()}"
    head, _, rest = raw.partition(":")
    head = head.upper()
    if not rest:
        if head in BASE:
            return BASE[head]
        raise PurposeError(
            f"{raw!r} is not a purpose: use NRES, GRU, HMB, POA, or DS:<disease> "
            "(for example DS:MONDO:0005148)."
        )
    if head != "DS":
        raise PurposeError(f"only DS takes a value ({raw!r}); write DS:<disease term>.")
    term = rest.strip()
    if term.upper().startswith("MONDO:"):
        term = "MONDO:" + term.split(":", 1)[1]
    if not _DISEASE_TERM.match(term):
        # A disease named in words: a built-in one by its label, else a name of its own.
        by_label = {p.label.casefold(): p for p in catalogue().values() if p.parent}
        named = by_label.get(" ".join(term.split()).casefold())
        if named is not None:
            return named
        slug = re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-")
        if not slug:
            raise PurposeError("name the disease, or give an ontology term such as MONDO:0005148.")
        return Purpose(f"DS:{slug}", term, "DUO:0000007", "DS")
    known = catalogue().get(f"DS:{term}")
    return known or Purpose(f"DS:{term}", term, "DUO:0000007", "DS")


def ancestors(code: str) -> tuple[str, ...]:
    """The purpose and every purpose above it, nearest first: DS:x, ..., DS, HMB, GRU, NRES."""
    purpose = parse(code)
    chain = [purpose.code]
    table = catalogue()
    parent = purpose.parent
    while parent is not None:
        chain.append(parent)
        parent = table[parent].parent
    return tuple(chain)


def within(requested: str, permitted: str) -> bool:
    """True when ``requested`` is ``permitted`` or lies beneath it."""
    return parse(permitted).code in ancestors(requested)


def describe(code: str) -> str:
    """The purpose in words with its code: 'type 2 diabetes mellitus (DS:MONDO:0005148)'."""
    purpose = parse(code)
    return f"{purpose.label} ({purpose.code})"


def choices() -> list[tuple[str, str]]:
    """(code, label) for a form: the base purposes, then the built-in diseases."""
    return [(p.code, f"{p.label} ({p.code})") for p in catalogue().values()]
