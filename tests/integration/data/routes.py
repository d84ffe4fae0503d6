"""Access table for the data pages and API (see tests/integration/test_access_table.py).

The trust owns a dataset and its lead is also its data steward; the partner company asked
for it twice (one request approved and released, one waiting), and a withdrawal left an
obligation on the company. The lead may steward but is not the recipient.
"""

from carepact.core import clock
from carepact.data.models import (
    AccessRequest,
    Dataset,
    JobStatus,
    Release,
    WithdrawalObligation,
)
from carepact.partnerships.models import Role
from tests import factories

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}/data"
COLUMNS = [
    {"name": "nhs_number", "type": "VARCHAR", "role": "direct_identifier", "hierarchy": ""},
    {"name": "age", "type": "SMALLINT", "role": "quasi_identifier", "hierarchy": "age"},
    {"name": "sex", "type": "VARCHAR", "role": "quasi_identifier", "hierarchy": "none"},
    {"name": "diagnosis", "type": "VARCHAR", "role": "sensitive", "hierarchy": ""},
]


def place(world) -> dict:
    p = world.partnership
    factories.RoleFactory(
        partnership=p, person=world.lead, organisation=world.trust, role=Role.DATA_STEWARD
    )
    dataset = Dataset.objects.create(
        partnership=p,
        owner=world.trust,
        name="Scan extract",
        slug="scan-extract",
        location="scan/extract.parquet",
        patient_id_column="nhs_number",
        columns=COLUMNS,
        draft_permission="HMB",
        draft_recipients=[world.company.slug],
        profile_status=JobStatus.SUCCEEDED,
        row_count=100,
    )
    common = dict(
        partnership=p,
        dataset=dataset,
        requester=world.partner_admin,
        organisation=world.company,
        purpose="HMB",
        lay_summary="Study which scans are urgent, to report them sooner.",
        public_benefit="Patients with cancer are diagnosed sooner.",
        decision={"allowed": True, "reasons": [], "conditions": []},
    )
    waiting = AccessRequest.objects.create(**common)
    approved = AccessRequest.objects.create(
        **common, status=AccessRequest.Status.APPROVED, decided_at=clock.now()
    )
    release = Release.objects.create(
        partnership=p,
        dataset=dataset,
        request=approved,
        recipient=world.company,
        status=JobStatus.SUCCEEDED,
        files={"output": "releases/none.parquet"},
        manifest={"outputs": {"output": {"sha256": "0" * 64}}},
    )
    obligation = WithdrawalObligation.objects.create(
        partnership=p,
        release=release,
        recipient=world.company,
        patients=1,
        due_on=clock.now().date(),
    )
    return {
        "request_id": waiting.pk,
        "approved_id": approved.pk,
        "release_id": release.pk,
        "obligation_id": obligation.pk,
    }


D = {**SLUG, "dataset": "scan-extract"}


def _ds(p):
    return D


def _req(p):
    return {**SLUG, "request_id": p["request_id"]}


def _rel(p):
    return {**SLUG, "release_id": p["release_id"]}


VIEW = (302, 404, 200, 200)
STEWARD = (302, 404, 403, 200)
POST_ONLY = (302, 405, 405, 405)

PAGES = {
    "data:catalogue": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "data:partnership": (lambda p: SLUG, {"GET": VIEW}, None),
    "data:dataset_new": (lambda p: SLUG, {"GET": STEWARD, "POST": STEWARD}, {}),
    "data:dataset": (_ds, {"GET": VIEW}, None),
    "data:dataset_edit": (_ds, {"GET": STEWARD, "POST": STEWARD}, {}),
    "data:dataset_columns": (_ds, {"GET": STEWARD, "POST": STEWARD}, {}),
    "data:dataset_profile": (_ds, {"GET": POST_ONLY, "POST": (302, 404, 403, 302)}, {}),
    "data:dataset_terms": (_ds, {"GET": STEWARD, "POST": STEWARD}, {}),
    # observers may not ask; the lead may (and is refused or not by the policy)
    "data:request_new": (_ds, {"GET": STEWARD, "POST": STEWARD}, {}),
    "data:policies": (lambda p: SLUG, {"GET": VIEW}, None),
    "data:requests": (lambda p: SLUG, {"GET": VIEW}, None),
    "data:request": (_req, {"GET": VIEW}, None),
    # the lead is a steward of the owner: an empty answer is invalid
    "data:request_review": (_req, {"GET": POST_ONLY, "POST": (302, 404, 403, 422)}, {}),
    # only the requester may change a request
    "data:request_edit": (_req, {"GET": (302, 404, 403, 403), "POST": (302, 404, 403, 403)}, {}),
    # approved, but no signed agreement covers a release: 409 with the reason
    "data:release_start": (
        lambda p: {**SLUG, "request_id": p["approved_id"]},
        {"GET": POST_ONLY, "POST": (302, 404, 403, 409)},
        {},
    ),
    "data:release": (_rel, {"GET": VIEW}, None),
    "data:release_retry": (_rel, {"GET": POST_ONLY, "POST": (302, 404, 403, 409)}, {}),
    # only the recipient's named people download
    "data:release_download": (_rel, {"GET": (302, 404, 403, 403)}, None),
    "data:release_manifest": (_rel, {"GET": VIEW}, None),
    "data:obligations": (lambda p: SLUG, {"GET": VIEW}, None),
    "data:obligation_acknowledge": (
        lambda p: {**SLUG, "obligation_id": p["obligation_id"]},
        {"GET": (302, 404, 403, 403), "POST": (302, 404, 403, 403)},
        {},
    ),
}

A_VIEW = (401, 404, 200, 200)
A_STEWARD = (401, 404, 403, 200)
REQUEST_BODY = {
    "purpose": "HMB",
    "lay_summary": "Find which scans are urgent so that they are read first.",
    "public_benefit": "Patients with lung cancer are diagnosed sooner.",
}

API = {
    "GET /data/catalogue": (None, None, (401, 200, 200, 200)),
    f"GET {P}/datasets": (lambda p: SLUG, None, A_VIEW),
    f"POST {P}/datasets": (
        lambda p: SLUG,
        {"owner": "northgate", "name": "X", "location": "none.csv", "patient_id_column": "n"},
        (401, 404, 403, 422),  # the steward is allowed; the file does not exist
    ),
    f"GET {P}/datasets/{{dataset}}": (_ds, None, A_VIEW),
    f"PUT {P}/datasets/{{dataset}}/columns": (
        _ds,
        {"columns": {"sex": {"role": "sensitive"}}},
        A_STEWARD,
    ),
    f"PUT {P}/datasets/{{dataset}}/terms": (
        _ds,
        {"permission": "GRU", "modifiers": ["IRB"]},
        A_STEWARD,
    ),
    f"POST {P}/datasets/{{dataset}}/profile": (_ds, None, (401, 404, 403, 202)),
    f"GET {P}/policies": (lambda p: SLUG, None, A_VIEW),
    f"POST {P}/datasets/{{dataset}}/decide": (_ds, {"purpose": "HMB"}, A_VIEW),
    # the lead's own trust is not a recipient under the draft terms: the policy says no
    f"POST {P}/datasets/{{dataset}}/requests": (_ds, REQUEST_BODY, (401, 404, 403, 403)),
    f"GET {P}/requests": (lambda p: SLUG, None, A_VIEW),
    f"GET {P}/requests/{{request_id}}": (_req, None, A_VIEW),
    f"POST {P}/requests/{{request_id}}/reviews": (
        _req,
        {"verdict": "changes", "note": "Name the columns you need."},
        A_STEWARD,
    ),
    f"GET {P}/turnaround": (lambda p: SLUG, None, A_VIEW),
    f"POST {P}/requests/{{request_id}}/releases": (
        lambda p: {**SLUG, "request_id": p["approved_id"]},
        None,
        (401, 404, 403, 409),
    ),
    f"GET {P}/releases": (lambda p: SLUG, None, A_VIEW),
    f"GET {P}/releases/{{release_id}}": (_rel, None, A_VIEW),
    f"POST {P}/releases/{{release_id}}/retry": (_rel, None, (401, 404, 403, 409)),
    f"GET {P}/releases/{{release_id}}/download": (_rel, None, (401, 404, 403, 403)),
    f"GET {P}/obligations": (lambda p: SLUG, None, A_VIEW),
    f"POST {P}/obligations/{{obligation_id}}/acknowledge": (
        lambda p: {**SLUG, "obligation_id": p["obligation_id"]},
        {"action": "deleted"},
        (401, 404, 403, 403),
    ),
}
