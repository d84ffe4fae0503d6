"""Access table for the consent registry and the patient's page (see test_access_table)."""

import json

from carepact.consent import registry
from carepact.consent.models import ConsentRecord, ImportBatch
from carepact.core import clock
from tests.integration.consent.nhs import valid

R = "/consent/{slug}"
ORG = {"slug": "northgate"}


def place(world) -> dict:
    patient = registry.patient_hash(world.trust, valid(1))
    ConsentRecord.objects.create(
        organisation=world.trust,
        patient=patient,
        key_id=registry.registry_key_id(world.trust),
        decision="deny",
        recipients="commercial",
        recorded_at=clock.now(),
        source="staff",
    )
    batch = ImportBatch.objects.create(
        organisation=world.trust, kind="opt_outs", sha256="0" * 64, filename="list.csv"
    )
    return {"patient": patient, "batch_id": batch.pk}


def _org(p):
    return ORG


def _patient(p):
    return {**ORG, "patient": p["patient"]}


MANAGE = (302, 404, 403, 200)
BUNDLE = json.dumps(
    {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Consent",
                    "status": "active",
                    "scope": {"coding": [{"code": "research"}]},
                    "category": [{"coding": [{"code": "59284-0"}]}],
                    "patient": {
                        "identifier": {
                            "system": "https://fhir.nhs.uk/Id/nhs-number",
                            "value": valid(2),
                        }
                    },
                    "provision": {"type": "deny"},
                }
            }
        ],
    }
)

PAGES = {
    "consent:home": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "consent:registry": (_org, {"GET": MANAGE, "POST": MANAGE}, {}),
    "consent:record_new": (_org, {"GET": MANAGE, "POST": MANAGE}, {}),
    "consent:patient_records": (_patient, {"GET": MANAGE}, None),
    "consent:withdraw": (
        _patient,
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 302)},
        {"scope": "all"},
    ),
    "consent:issue_code": (
        _patient,
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 200)},
        {},
    ),
    "consent:import_fhir": (_org, {"GET": MANAGE, "POST": MANAGE}, {}),
    "consent:import_optouts": (_org, {"GET": MANAGE, "POST": MANAGE}, {}),
    "consent:import_detail": (lambda p: {**ORG, "batch_id": p["batch_id"]}, {"GET": MANAGE}, None),
    "consent:export_fhir": (_org, {"GET": MANAGE}, None),
    # The patient's page needs no account; a wrong code is a 404 for everyone.
    "consent:patient": (
        lambda p: {},
        {"GET": (200, 200, 200, 200), "POST": (404, 404, 404, 404)},
        {"code": "ABCD-EFGH-JKMN"},
    ),
    "consent:patient_choices": (
        lambda p: {},
        {"GET": (404, 404, 404, 404), "POST": (404, 404, 404, 404)},
        {"scope": "commercial"},
    ),
    "consent:patient_leave": (
        lambda p: {},
        {"GET": (405, 405, 405, 405), "POST": (200, 200, 200, 200)},
        {},
    ),
}

API = {
    f"GET {R}": (_org, None, (401, 404, 403, 200)),
    f"POST {R}/search": (_org, {"nhs_number": valid(1)}, (401, 404, 403, 200)),
    f"GET {R}/patients/{{patient}}": (_patient, None, (401, 404, 403, 200)),
    f"POST {R}/choices": (
        _org,
        {"nhs_number": valid(3), "decision": "permit", "purposes": ["HMB"]},
        (401, 404, 403, 201),
    ),
    f"POST {R}/patients/{{patient}}/withdraw": (
        _patient,
        {"scope": "commercial"},
        (401, 404, 403, 201),
    ),
    f"POST {R}/patients/{{patient}}/codes": (_patient, None, (401, 404, 403, 201)),
    f"GET {R}/imports": (_org, None, (401, 404, 403, 200)),
    f"GET {R}/imports/{{batch_id}}": (
        lambda p: {**ORG, "batch_id": p["batch_id"]},
        None,
        (401, 404, 403, 200),
    ),
    f"POST {R}/imports/fhir": (_org, {"content": BUNDLE}, (401, 404, 403, 201)),
    f"POST {R}/imports/opt-outs": (
        _org,
        {"content": f"{valid(4)}\n", "filename": "optouts.csv"},
        (401, 404, 403, 201),
    ),
    f"GET {R}/export": (_org, None, (401, 404, 403, 200)),
}
