"""The response playbook: entries, and which entry answers each construct and warning."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

PLAYBOOK_FILE = Path(__file__).parent / "playbook.yaml"

# The entry that answers a weak score on each construct.
FOR_CONSTRUCT = {
    "C1": "shared-purpose",
    "C2": "relationship-reset",
    "C3": "decision-rights",
    "C4": "working-rhythm",
    "C5": "contributions-and-benefits",
    "C6": "ways-of-working",
    "C7": "common-language",
    "C8": "champions-and-sponsors",
    "C9": "decision-rights",
    "C10": "agreement-clarity",
    "C11": "recognise-the-work",
    "C12": "data-confidence",
    "C13": "outcomes-and-value",
    "C14": "shared-purpose",
}
# The entry that answers a warning whatever the construct (structural rules name theirs).
FOR_RULE = {
    "R4": "all-levels",
    "R5": "internal-conversation",
    "R6": "decision-rights",
    "R7": "relationship-reset",
    "R8": "relationship-reset",
    "R9": "contributions-and-benefits",
    "R11": "participation",
    "R12": "joint-review",
}
FOR_STRUCTURAL = {
    "S1": "champions-and-sponsors",
    "S2": "champions-and-sponsors",
    "S4": "governance-rhythm",
    "S5": "agreement-clarity",
    "S6": "outcomes-and-value",
}


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    when: str
    why: str
    steps: tuple[str, ...]
    in_carepact: str


@functools.cache
def entries() -> dict[str, Entry]:
    raw = yaml.safe_load(PLAYBOOK_FILE.read_text())
    return {
        key: Entry(
            key=key,
            title=value["title"],
            when=" ".join(value["when"].split()),
            why=" ".join(value["why"].split()),
            steps=tuple(value["steps"]),
            in_carepact=value["in_carepact"],
        )
        for key, value in raw.items()
    }


def entry(key: str) -> Entry:
    return entries()[key]
