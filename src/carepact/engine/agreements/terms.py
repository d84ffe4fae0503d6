"""Machine-readable data-use terms of a signed data-sharing agreement.

:class:`DataUseTerms` is what the data-governance work reads to build its policies and to
check each release: which datasets, released to whom, for which purposes (a GA4GH DUO
permission and modifiers, with their values), where, until when, how long data may be kept
afterwards, on which lawful basis, and the obligations that follow (progress reports,
publication, return of derived data, deletion at expiry), each dated and owned by a party.

Every field holds plain values (strings, dates, tuples), so the object can be compared,
hashed, serialised with :meth:`DataUseTerms.as_dict` and used without Django.

Datasets are named in the agreement in words; :func:`dataset_key` reduces a name to a
slug (lower case, runs of other characters as single hyphens), and a dataset reference
matches when the slugs are equal: "Northfield cardiometabolic extract" matches
``northfield-cardiometabolic-extract``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from carepact.engine.agreements import duo
from carepact.engine.agreements.params import add_duration

DATA_USE_FAMILY = "data-use"
DATA_PROTECTION_FAMILY = "data-protection"
PUBLICATION_FAMILY = "ip-publication"
GOVERNANCE_FAMILY = "governance"

# Most reports in one schedule: a long agreement still lists a readable number of items.
MAX_REPORTS = 24

ART6 = {
    "public_task": "UK GDPR Article 6(1)(e): a task in the public interest",
    "legitimate_interests": "UK GDPR Article 6(1)(f): legitimate interests",
    "consent": "UK GDPR Article 6(1)(a): consent",
    "legal_obligation": "UK GDPR Article 6(1)(c): a legal obligation",
}
ART9 = {
    "health_care": "UK GDPR Article 9(2)(h): health or social care",
    "public_health": "UK GDPR Article 9(2)(i): public health",
    "research": "UK GDPR Article 9(2)(j): archiving, research or statistics",
    "explicit_consent": "UK GDPR Article 9(2)(a): explicit consent",
}
HIPAA_BASIS = {
    "authorization": "HIPAA 45 CFR 164.508: individual authorization",
    "irb_waiver": "HIPAA 45 CFR 164.512(i): waiver of authorization by an IRB or privacy board",
    "limited_data_set": "HIPAA 45 CFR 164.514(e): limited data set under a data use agreement",
    "safe_harbor": "HIPAA 45 CFR 164.514(b)(2): de-identified by the Safe Harbor method",
    "expert_determination": "HIPAA 45 CFR 164.514(b)(1): de-identified by expert determination",
}


def dataset_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


@dataclass(frozen=True)
class DuoCode:
    code: str
    value: str
    duo_id: str
    label: str


@dataclass(frozen=True)
class Obligation:
    kind: str  # progress_report | publication | return_of_derived_data | deletion
    description: str
    due_on: date
    owner: str  # the party (organisation key) that must meet it


@dataclass(frozen=True)
class DataUseTerms:
    agreement_id: int
    version: int
    fingerprint: str  # the SHA-256 of the signed version these terms come from
    partnership: str
    signed_on: date
    provider: str
    recipients: tuple[str, ...]
    datasets: tuple[str, ...]
    purpose: str
    permission: DuoCode
    modifiers: tuple[DuoCode, ...]
    expires_on: date
    geography: tuple[str, ...]  # ISO 3166 alpha-2 codes where use may take place
    environment: str  # where analysis happens: provider_tre | recipient_secure | federated
    regime: str  # uk_gdpr | hipaa
    lawful_basis: tuple[str, ...]
    retention_days_after_expiry: int  # how long recipients may keep data once use ends
    breach_notice_hours: int | None
    onward_sharing: str  # prohibited | with_written_consent | named_processors
    obligations: tuple[Obligation, ...]

    def modifier(self, code: str) -> DuoCode | None:
        return next((m for m in self.modifiers if m.code == code), None)

    def covers_dataset(self, dataset_ref: str) -> bool:
        return dataset_key(dataset_ref) in {dataset_key(d) for d in self.datasets}

    def refusal(self, *, dataset: str, recipient: str, on: date) -> str | None:
        """None when a release of ``dataset`` to ``recipient`` on ``on`` is within these
        terms, else the reason it is not."""
        if not self.covers_dataset(dataset):
            return f"the dataset {dataset!r} is not among those the agreement covers"
        if recipient not in self.recipients:
            return f"{recipient} is not a recipient under the agreement"
        if on > self.expires_on:
            return f"the permitted use ended on {self.expires_on.isoformat()}"
        if on < self.signed_on:
            return "the agreement was not yet signed on that date"
        return None

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: dates as ISO strings, tuples as lists."""

        def plain(value):
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))


def _duo(term: Mapping[str, str]) -> DuoCode:
    info = duo.ALL_CODES[term["code"]]
    return DuoCode(info.code, term.get("value", ""), info.duo_id, info.label)


def _days(duration: Mapping[str, Any] | None) -> int:
    if not duration:
        return 0
    end = add_duration(date(2001, 1, 1), duration)
    return (end - date(2001, 1, 1)).days


def build_terms(
    *,
    agreement_id: int,
    version: int,
    fingerprint: str,
    partnership: str,
    signed_on: date,
    clauses: Mapping[str, tuple[str, Mapping[str, Any]]],
    party_names: Mapping[str, str],
) -> DataUseTerms:
    """The terms from a signed version's clauses (``family: (clause key, parameters)``).

    Raises ``ValueError`` when the version has no data-use clause.
    """
    if DATA_USE_FAMILY not in clauses:
        raise ValueError("the agreement has no data-use clause")
    _, use = clauses[DATA_USE_FAMILY]
    protection_key, protection = clauses.get(DATA_PROTECTION_FAMILY, ("", {}))
    publication = clauses.get(PUBLICATION_FAMILY, ("", {}))[1]
    governance = clauses.get(GOVERNANCE_FAMILY, ("", {}))[1]

    if protection_key.endswith("hipaa"):
        regime = "hipaa"
        lawful = tuple(HIPAA_BASIS[b] for b in [protection.get("hipaa_basis")] if b in HIPAA_BASIS)
        breach = protection.get("breach_notice_days")
        breach_hours = breach * 24 if breach else None
    else:
        regime = "uk_gdpr"
        lawful = tuple(
            table[value]
            for table, value in (
                (ART6, protection.get("article6_basis")),
                (ART9, protection.get("article9_condition")),
            )
            if value in table
        )
        breach_hours = protection.get("breach_notice_hours")

    recipients = tuple(use.get("recipients") or ())
    expires_on = date.fromisoformat(use["expires_on"])
    modifiers = tuple(_duo(m) for m in use.get("modifiers") or ())
    retention = protection.get("retention")
    codes = {m.code for m in modifiers}

    obligations: list[Obligation] = []
    every = use.get("report_every") or governance.get("report_every")
    if every:
        due = add_duration(signed_on, every)
        reports = 0
        while due <= expires_on and reports < MAX_REPORTS:
            for owner in recipients:
                obligations.append(
                    Obligation(
                        "progress_report",
                        f"Progress report to the partnership from {party_names.get(owner, owner)} "
                        "on the use of the data and what it has found.",
                        due,
                        owner,
                    )
                )
            reports += 1
            due = add_duration(due, every)
    if "PUB" in codes or publication:
        within = publication.get("publish_within")
        due = min(add_duration(signed_on, within), expires_on) if within else expires_on
        for owner in recipients:
            obligations.append(
                Obligation(
                    "publication",
                    "Publish the results of the work using the data (DUO PUB), whatever they show.",
                    due,
                    owner,
                )
            )
    if "RTN" in codes:
        for owner in recipients:
            obligations.append(
                Obligation(
                    "return_of_derived_data",
                    "Return derived and enriched data to the data provider (DUO RTN).",
                    expires_on,
                    owner,
                )
            )
    deletion_due = add_duration(expires_on, retention) if retention else expires_on
    for owner in recipients:
        obligations.append(
            Obligation(
                "deletion",
                "Delete every copy of the data at the end of the permitted use and confirm "
                "the deletion in writing to the data provider.",
                deletion_due,
                owner,
            )
        )
    obligations.sort(key=lambda o: (o.due_on, o.kind, o.owner))

    return DataUseTerms(
        agreement_id=agreement_id,
        version=version,
        fingerprint=fingerprint,
        partnership=partnership,
        signed_on=signed_on,
        provider=use.get("data_provider", ""),
        recipients=recipients,
        datasets=tuple(use.get("datasets") or ()),
        purpose=use.get("purpose") or "",
        permission=_duo(use["permission"]),
        modifiers=modifiers,
        expires_on=expires_on,
        geography=tuple(use.get("geography") or ()),
        environment=use.get("environment") or "",
        regime=regime,
        lawful_basis=lawful,
        retention_days_after_expiry=_days(retention),
        breach_notice_hours=breach_hours,
        onward_sharing=protection.get("onward_sharing") or "",
        obligations=tuple(obligations),
    )
