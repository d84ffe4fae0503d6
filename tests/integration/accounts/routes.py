"""Access table for the accounts pages and API (see tests/integration/test_access_table.py)."""

from carepact.accounts.models import ApiToken, Membership

ORG = {"slug": "northgate"}


def place(world) -> dict:
    token = ApiToken.objects.create(user=world.lead, name="t", prefix="cp_x", token_hash="0" * 64)
    return {
        "token_id": token.pk,
        "observer_membership_id": Membership.objects.get(user=world.observer).pk,
    }


# url name: (kwargs builder, {method: (anonymous, outsider, observer, lead)}, POST data)
PAGES = {
    "dashboard": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "healthz": (lambda p: {}, {"GET": (200, 200, 200, 200)}, None),
    "accounts:login": (lambda p: {}, {"GET": (200, 302, 302, 302)}, None),
    "accounts:logout": (
        lambda p: {},
        {"GET": (302, 405, 405, 405), "POST": (302, 302, 302, 302)},
        {},
    ),
    "accounts:join": (
        lambda p: {"token": "not-a-real-token"},
        {"GET": (404, 404, 404, 404)},
        None,
    ),
    "accounts:tokens": (
        lambda p: {},
        {"GET": (302, 200, 200, 200), "POST": (302, 200, 200, 200)},
        {},
    ),
    "accounts:token_revoke": (
        lambda p: {"token_id": p["token_id"]},
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 404, 302)},
        {},
    ),
    "accounts:organisations": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "accounts:organisation_new": (
        lambda p: {},
        {"GET": (302, 200, 200, 200), "POST": (302, 200, 200, 200)},
        {},
    ),
    "accounts:organisation": (lambda p: ORG, {"GET": (302, 200, 200, 200)}, None),
    "accounts:organisation_edit": (
        lambda p: ORG,
        {"GET": (302, 403, 403, 200), "POST": (302, 403, 403, 200)},
        {},
    ),
    "accounts:invite_person": (
        lambda p: ORG,
        {"GET": (302, 403, 403, 200), "POST": (302, 403, 403, 200)},
        {},
    ),
    "accounts:invitation_revoke": (
        lambda p: {**ORG, "invitation_id": 999999},
        {"POST": (302, 403, 403, 404)},
        {},
    ),
    "accounts:membership_edit": (
        lambda p: {**ORG, "membership_id": p["observer_membership_id"]},
        {"GET": (302, 403, 403, 200), "POST": (302, 403, 403, 200)},
        {},
    ),
}

# "METHOD path": (path params builder, JSON body, (anonymous, outsider, observer, lead))
API = {
    "GET /me": (None, None, (401, 200, 200, 200)),
    "GET /organisations": (None, None, (401, 200, 200, 200)),
    "POST /organisations": (
        None,
        {"name": "New Org", "kind": "charity", "level": "manager"},
        (401, 201, 201, 201),
    ),
    "GET /organisations/{slug}": (lambda p: ORG, None, (401, 200, 200, 200)),
    "PATCH /organisations/{slug}": (
        lambda p: ORG,
        {"website": "https://northgate.example"},
        (401, 403, 403, 200),
    ),
    "GET /organisations/{slug}/members": (lambda p: ORG, None, (401, 403, 200, 200)),
    "POST /organisations/{slug}/invitations": (
        lambda p: ORG,
        {"email": "new@northgate.example", "level": "clinician"},
        (401, 403, 403, 201),
    ),
    "GET /tokens": (None, None, (401, 200, 200, 200)),
    "POST /tokens": (None, {"name": "script"}, (401, 201, 201, 201)),
    "DELETE /tokens/{token_id}": (
        lambda p: {"token_id": p["token_id"]},
        None,
        (401, 404, 404, 200),
    ),
}
