"""Data-use terms as the policy compiler reads them, and the facts a decision is made on.

Terms come from a signed data-sharing agreement or are drafted on a dataset; either way
they arrive here as :class:`PolicyTerms`: one permitted purpose (a DUO permission) and
any number of DUO modifiers, the organisations that may receive the data, and the dates
between which use is allowed. Everything is plain values, so the same terms always
compile to the same policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from carepact.engine.policy import purposes

ACTIONS = ("request", "receive", "use")
ACTION_WORDS = {
    "request": "ask for",
    "receive": "receive a release of",
    "use": "download and use",
}

# DUO modifiers and what the compiler does with each. "enforced": a condition the policy
# checks; "recorded": a duty people must keep, shown with the policy but not decidable
# from a request (publishing, returning data, collaborating...).
MODIFIERS: dict[str, tuple[str, str, str]] = {
    # code: (label, value it takes or "", enforced | recorded)
    "NCU": ("non-commercial use only", "", "enforced"),
    "NPU": ("not-for-profit organisation use only", "", "enforced"),
    "NPUNCU": ("not-for-profit organisations, non-commercial use only", "", "enforced"),
    "IRB": ("ethics approval required", "", "enforced"),
    "GS": ("geographical restriction", "ISO 3166 country codes, such as GB or GB IE", "enforced"),
    "TS": ("time limit on use", "a number of months", "enforced"),
    "US": ("user-specific restriction", "", "enforced"),
    "PS": ("project-specific restriction", "the project", "enforced"),
    "IS": ("institution-specific restriction", "the institution", "enforced"),
    "NPOA": ("population origins or ancestry research prohibited", "", "enforced"),
    "PUB": ("publication required", "", "recorded"),
    "COL": ("collaboration required", "", "recorded"),
    "RTN": ("return derived data to the resource", "", "recorded"),
    "MOR": ("publication moratorium", "a date, YYYY-MM-DD", "recorded"),
    "RS": ("research-specific restrictions", "the research type", "recorded"),
    "GSO": ("genetic studies only", "", "recorded"),
    "NMDS": ("no general methods research", "", "recorded"),
    "CC": ("clinical care use", "", "recorded"),
}


class TermsError(ValueError):
    """Terms that cannot be compiled; the message says what to change."""


def key(text: str) -> str:
    """A comparable key for names of projects and institutions: lower case, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", (text or "").casefold()).strip("-")


@dataclass(frozen=True)
class Modifier:
    code: str
    value: str = ""

    @property
    def label(self) -> str:
        return MODIFIERS[self.code][0]

    @property
    def enforced(self) -> bool:
        return MODIFIERS[self.code][2] == "enforced"

    def __str__(self) -> str:
        return f"{self.code}:{self.value}" if self.value else self.code


def parse_modifier(text: str) -> Modifier:
    """``NCU``, ``GS:GB IE``, ``TS:12``, ``PS:Eastmoor heart study`` (or ``CODE(value)``)."""
    raw = (text or "").strip()
    match = re.match(r"^([A-Za-z]+)\s*(?:[:(]\s*(.*?)\s*\)?)?$", raw)
    if not match:
        raise TermsError(f"{raw!r} is not a DUO modifier.")
    code, value = match.group(1).upper(), (match.group(2) or "").strip()
    if code not in MODIFIERS:
        raise TermsError(f"{code} is not a DUO modifier; use one of {', '.join(MODIFIERS)}.")
    label, takes, _ = MODIFIERS[code]
    if takes and not value:
        raise TermsError(f"{code} ({label}) needs {takes}.")
    if not takes and value:
        raise TermsError(f"{code} ({label}) takes no value.")
    if code == "GS":
        countries = value.replace(",", " ").upper().split()
        if not all(re.fullmatch(r"[A-Z]{2}", c) for c in countries):
            raise TermsError("GS needs two-letter ISO 3166 country codes, such as GB or GB IE.")
        value = " ".join(sorted(set(countries)))
    if code == "TS":
        if not value.isdigit() or not 1 <= int(value) <= 600:
            raise TermsError("TS needs a whole number of months between 1 and 600.")
        value = str(int(value))
    if code == "MOR":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            raise TermsError("MOR needs a date written as YYYY-MM-DD.") from None
    return Modifier(code, value)


def parse_modifiers(items) -> tuple[Modifier, ...]:
    """Modifiers from text (comma or line separated) or a list; each code at most once."""
    if isinstance(items, str):
        items = [p for p in re.split(r"[,;\n]+", items) if p.strip()]
    parsed = [m if isinstance(m, Modifier) else parse_modifier(str(m)) for m in items or ()]
    codes = [m.code for m in parsed]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise TermsError(f"{', '.join(twice)} appears twice.")
    return tuple(sorted(parsed, key=lambda m: m.code))


@dataclass(frozen=True)
class PolicyTerms:
    """What the policies of one dataset in one partnership are compiled from."""

    reference: str  # where the terms come from, in words: "data-sharing agreement 3, v2"
    dataset: str  # the dataset's key (entity id)
    dataset_label: str
    owner: str  # the data-owning organisation's key
    recipients: tuple[str, ...]  # organisations that may ask for, receive and use it
    permission: str  # a purpose code: the widest purpose allowed
    modifiers: tuple[Modifier, ...] = ()
    starts_on: date | None = None
    expires_on: date | None = None
    names: tuple[tuple[str, str], ...] = ()  # organisation key -> name, for explanations

    def __post_init__(self) -> None:
        purposes.parse(self.permission)  # raises PurposeError for a bad code
        if not self.recipients:
            raise TermsError("the terms name no organisation that may receive the data.")
        if self.expires_on and self.starts_on and self.expires_on < self.starts_on:
            raise TermsError("the terms end before they start.")

    def name(self, organisation: str) -> str:
        return dict(self.names).get(organisation, organisation)

    def modifier(self, code: str) -> Modifier | None:
        return next((m for m in self.modifiers if m.code == code), None)


@dataclass(frozen=True)
class Principal:
    """Who asks: a person acting for an organisation, or the organisation itself."""

    organisation: str  # key
    organisation_name: str
    kind: str  # the organisation's kind (nhs_trust, academia, pharma_biotech, ...)
    country: str  # ISO 3166 alpha-2
    not_for_profit: bool
    commercial: bool
    person: str | None = None  # key of the person, when a person asks
    person_name: str = ""

    @property
    def label(self) -> str:
        if self.person:
            return f"{self.person_name or self.person} ({self.organisation_name})"
        return self.organisation_name


@dataclass(frozen=True)
class Question:
    """One decision to make: may this principal take this action for this purpose?"""

    action: str
    principal: Principal
    purpose: str
    on: date
    commercial_use: bool = False
    ethics_approved: bool = False
    project: str = ""
    approved_users: tuple[str, ...] = field(default=())  # person keys named in approvals

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise TermsError(f"unknown action {self.action!r}; use one of {', '.join(ACTIONS)}")
        purposes.parse(self.purpose)
