"""HL7 FHIR R4 Consent in and out of the registry, validated with ``fhir.resources``.

Reading accepts a Bundle (JSON), a single Consent (JSON) or NDJSON (one resource a line).
Each resource becomes a choice or a rejection with a reason; reasons name positions and
fields, never values, so they can be shown, stored and logged. ``docs/consent.md`` gives
the mapping field by field.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent
from pydantic import ValidationError

from carepact.engine.identifiers import normalise_nhs_number
from carepact.engine.policy import purposes as duo

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
# carepact's own names: logical URNs, since no resolvable home is assumed for them.
REGISTRY_HASH_SYSTEM = "urn:carepact:registry-hash:"  # + the registry key's id
PURPOSE_SYSTEM = "urn:carepact:duo-purpose"  # codes: NRES, GRU, HMB, POA, DS, DS:<term>
DUO_SYSTEM = "http://purl.obolibrary.org/obo/duo"  # codes: DUO:0000042 and the like
EXT_PARTNERSHIP = "urn:carepact:fhir:extension:consent-partnership"  # valueString: slug
EXT_RECIPIENTS = "urn:carepact:fhir:extension:consent-recipients"  # valueCode
EXT_SOURCE = "urn:carepact:fhir:extension:consent-source"  # valueCode
SCOPE = {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "research"}
CATEGORY = {"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
NATIONAL_OPT_OUT_POLICY = "https://digital.nhs.uk/services/national-data-opt-out"

RECIPIENT_CODES = ("all", "commercial", "non_commercial")
SOURCE_CODES = ("staff", "fhir", "national_opt_out", "patient")
_DUO_IDS = {p.duo_id: p.code for p in duo.BASE.values()}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class NotFhir(ValueError):
    """The file holds no FHIR resource at all."""


@dataclass
class ReadChoice:
    """A Consent resource read into the registry's terms (the patient not yet hashed)."""

    record_id: str
    nhs_number: str | None  # ten digits, when the resource names the patient by NHS number
    patient_hash: str | None  # when it names them by a registry hash (a carepact export)
    hash_key_id: str | None
    decision: str
    purposes: list[str]
    recipients: str
    partnership: str | None  # slug
    period_start: date | None
    period_end: date | None
    recorded_at: datetime | None
    source: str = "fhir"


@dataclass
class Entry:
    position: str  # "entry 3", "line 7", "resource"
    resource: dict[str, Any] | None = None
    problem: str | None = None


def _is_resource(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("resourceType"), str)


def read_entries(text: str) -> list[Entry]:
    """The resources in a Bundle, a single resource or NDJSON; NotFhir when there are none."""
    text = text.lstrip("\ufeff")
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if document is not None:
        if not _is_resource(document):
            raise NotFhir("The file is JSON but not a FHIR resource (it has no resourceType).")
        if document["resourceType"] != "Bundle":
            return [Entry("resource", document)]
        entries = document.get("entry") or []
        if not isinstance(entries, list):
            raise NotFhir("The Bundle's entry is not a list.")
        out = []
        for n, item in enumerate(entries, start=1):
            resource = item.get("resource") if isinstance(item, dict) else None
            if _is_resource(resource):
                out.append(Entry(f"entry {n}", resource))
            else:
                out.append(Entry(f"entry {n}", problem="the entry holds no resource"))
        return out
    out, found = [], 0
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            out.append(Entry(f"line {n}", problem="the line is not JSON"))
            continue
        if _is_resource(value):
            found += 1
            out.append(Entry(f"line {n}", value))
        else:
            out.append(Entry(f"line {n}", problem="the line is not a FHIR resource"))
    if not found:
        raise NotFhir("The file is neither a FHIR JSON resource nor NDJSON of FHIR resources.")
    return out


def _validation_reason(error: ValidationError) -> str:
    places = []
    for problem in error.errors(include_input=False, include_url=False)[:3]:
        where = ".".join(str(p) for p in problem.get("loc", ()) if p != "__root__") or "resource"
        places.append(f"{where} ({problem.get('msg', 'invalid').rstrip('.').lower()})")
    return "not a valid FHIR R4 Consent: " + "; ".join(places)


def _as_date(value) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _extension(extensions, url: str):
    for ext in extensions or []:
        if ext.url == url:
            return ext
    return None


def read_consent(resource: dict[str, Any]) -> ReadChoice:
    """One Consent resource as a choice; ValueError with a safe reason when it cannot be."""
    kind = resource.get("resourceType")
    if kind != "Consent":
        raise ValueError(f"it is a {kind}, not a Consent")
    try:
        consent = Consent.model_validate(resource)
    except ValidationError as exc:
        raise ValueError(_validation_reason(exc)) from None
    if consent.status != "active":
        raise ValueError(f"its status is {consent.status}: only active consents are imported")
    provision = consent.provision
    if provision is None or provision.type not in ("permit", "deny"):
        raise ValueError("provision.type must say permit or deny")
    if provision.provision:
        raise ValueError("nested provisions are not supported: give one provision a resource")
    narrowed = [
        name
        for name in ("data", "class_fhir", "code", "securityLabel", "dataPeriod", "actor")
        if getattr(provision, name, None)
    ]
    if narrowed and provision.type == "permit":
        raise ValueError(
            "a permit limited to particular data or actors cannot be enforced here; "
            "only permits covering all the data are imported"
        )
    identifier = consent.patient.identifier if consent.patient else None
    system = (identifier.system or "") if identifier else ""
    number = patient_hash = key_id = None
    if identifier is None or not identifier.value:
        raise ValueError("patient.identifier is missing: the registry needs an NHS number")
    if system == NHS_NUMBER_SYSTEM:
        try:
            number = normalise_nhs_number(identifier.value)
        except ValueError as exc:
            raise ValueError(f"patient.identifier: {exc}") from None
    elif system.startswith(REGISTRY_HASH_SYSTEM):
        key_id = system[len(REGISTRY_HASH_SYSTEM) :]
        patient_hash = identifier.value.lower()
        if not re.fullmatch(r"[0-9a-f]{64}", patient_hash):
            raise ValueError("patient.identifier: a registry hash is 64 hexadecimal characters")
    else:
        raise ValueError(f"patient.identifier.system must be {NHS_NUMBER_SYSTEM}")
    codes: list[str] = []
    for concept in provision.purpose or []:
        if concept.system == PURPOSE_SYSTEM:
            try:
                codes.append(duo.parse(concept.code or "").code)
            except duo.PurposeError:
                raise ValueError("provision.purpose holds a code that is not a purpose") from None
        elif concept.system == DUO_SYSTEM and concept.code in _DUO_IDS:
            codes.append(_DUO_IDS[concept.code])
        else:
            raise ValueError(
                f"provision.purpose: use the system {PURPOSE_SYSTEM} or {DUO_SYSTEM} (DUO)"
            )
    recipients = "all"
    ext = _extension(provision.extension, EXT_RECIPIENTS)
    if ext is not None:
        if ext.valueCode not in RECIPIENT_CODES:
            raise ValueError(f"the recipients extension takes {', '.join(RECIPIENT_CODES)}")
        recipients = ext.valueCode
    partnership = None
    ext = _extension(provision.extension, EXT_PARTNERSHIP)
    if ext is not None:
        partnership = (ext.valueString or "").strip() or None
    source = "fhir"
    ext = _extension(consent.extension, EXT_SOURCE)
    if ext is not None and ext.valueCode in SOURCE_CODES:
        source = ext.valueCode
    period = provision.period
    start = _as_date(period.start) if period else None
    end = _as_date(period.end) if period else None
    if start and end and end < start:
        raise ValueError("provision.period ends before it starts")
    record_id = consent.id if consent.id and _FHIR_ID.match(consent.id) else str(uuid.uuid4())
    recorded = consent.dateTime
    if recorded is not None and recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=UTC)
    return ReadChoice(
        record_id=record_id,
        nhs_number=number,
        patient_hash=patient_hash,
        hash_key_id=key_id,
        decision=provision.type,
        purposes=sorted(set(codes)),
        recipients=recipients,
        partnership=partnership,
        period_start=start,
        period_end=end,
        recorded_at=recorded,
        source=source,
    )


def to_resource(record, *, key_id: str, partnership_slug: str | None) -> dict[str, Any]:
    """A registry record as a FHIR R4 Consent (JSON-ready, validated)."""
    provision: dict[str, Any] = {"type": record.decision}
    if record.period_start or record.period_end:
        provision["period"] = {
            k: v.isoformat()
            for k, v in (("start", record.period_start), ("end", record.period_end))
            if v
        }
    if record.purposes:
        provision["purpose"] = [
            {"system": PURPOSE_SYSTEM, "code": code, "display": duo.parse(code).label}
            for code in record.purposes
        ]
    extensions = []
    if record.recipients != "all":
        extensions.append({"url": EXT_RECIPIENTS, "valueCode": record.recipients})
    if partnership_slug:
        extensions.append({"url": EXT_PARTNERSHIP, "valueString": partnership_slug})
    if extensions:
        provision["extension"] = extensions
    opt_out = record.source == "national_opt_out"
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [SCOPE]},
        "category": [{"coding": [CATEGORY]}],
        "patient": {
            "identifier": {"system": f"{REGISTRY_HASH_SYSTEM}{key_id}", "value": record.patient}
        },
        "dateTime": record.recorded_at.astimezone(UTC).isoformat(),
        "extension": [{"url": EXT_SOURCE, "valueCode": record.source}],
        "provision": provision,
    }
    if _FHIR_ID.match(record.record_id):
        resource["id"] = record.record_id
    if opt_out:
        resource["policy"] = [{"uri": NATIONAL_OPT_OUT_POLICY}]
    else:
        code = "OPTIN" if record.decision == "permit" else "OPTOUT"
        resource["policyRule"] = {"coding": [{"system": ACT_CODE, "code": code}]}
    return Consent.model_validate(resource).model_dump(mode="json", exclude_none=True)


def bundle(resources: list[dict[str, Any]], *, timestamp: datetime) -> dict[str, Any]:
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {"resource": resource}
        with contextlib.suppress(ValueError):
            entry["fullUrl"] = f"urn:uuid:{uuid.UUID(resource.get('id', ''))}"
        entries.append(entry)
    document = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp.astimezone(UTC).isoformat(timespec="seconds"),
        "entry": entries,
    }
    return Bundle.model_validate(document).model_dump(mode="json", exclude_none=True)


def ndjson(resources: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in resources)
