"""The canonical form of an agreement version, and its SHA-256 fingerprint.

When every party has signed, the version's clauses and parameters are written out as one
JSON document (sorted keys, no whitespace, UTF-8: see ``hashchain.canonical_json``) and
hashed. Recomputing the document from what is stored later and comparing fingerprints
shows whether anything a party signed has changed since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from carepact.engine.hashchain import canonical_json, sha256_hex

FORMAT = "carepact.agreement/1"


@dataclass(frozen=True)
class CanonicalClause:
    number: int
    key: str  # the library clause
    clause_version: int
    family: str
    topic: str
    title: str
    alternative: str
    template: str
    parameter_specs: Sequence[Mapping[str, Any]]
    parameters: Mapping[str, Any]


def canonical_document(
    *,
    agreement_id: int,
    partnership: str,
    kind: str,
    title: str,
    version: int,
    amends: str | None,
    parties: Sequence[Mapping[str, Any]],
    clauses: Sequence[CanonicalClause],
    defined_terms: Sequence[Mapping[str, str]],
) -> dict[str, Any]:
    """Everything the parties agree to in one version, as plain JSON-safe data.

    ``amends`` is the fingerprint of the signed version this one amends, so a chain of
    amendments is itself tamper-evident.
    """
    return {
        "format": FORMAT,
        "agreement": {
            "id": agreement_id,
            "partnership": partnership,
            "kind": kind,
            "title": title,
        },
        "version": version,
        "amends": amends,
        "parties": [dict(p) for p in parties],
        "clauses": [
            {
                "number": c.number,
                "key": c.key,
                "clause_version": c.clause_version,
                "family": c.family,
                "topic": c.topic,
                "title": c.title,
                "alternative": c.alternative,
                "template": c.template,
                "parameter_specs": [dict(s) for s in c.parameter_specs],
                "parameters": dict(c.parameters),
            }
            for c in clauses
        ],
        "defined_terms": [dict(t) for t in defined_terms],
    }


def encode(document: Mapping[str, Any]) -> bytes:
    return canonical_json(document)


def fingerprint(document: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON encoding."""
    return sha256_hex(encode(document))
