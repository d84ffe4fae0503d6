"""Access table for the partnership pages and API (see tests/integration/test_access_table.py)."""

from carepact.partnerships.models import GlossaryAgreement, GlossaryTerm, Party, Role
from tests import factories

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}"


def place(world) -> dict:
    p = world.partnership
    term = GlossaryTerm.objects.create(
        partnership=p,
        term="Turnaround",
        definition="Hours.",
        proposed_by=world.partner_admin,
        proposed_for=world.company,
    )
    GlossaryAgreement.objects.create(
        term=term, organisation=world.company, agreed_by=world.partner_admin
    )
    fourth = factories.OrganisationFactory(slug="fourth")
    invitation = factories.PartyFactory(
        partnership=p, organisation=fourth, status=Party.Status.INVITED
    )
    return {
        # proposed by the partner company: the lead's party has not agreed yet
        "term_id": term.pk,
        # an invitation to a fourth organisation that none of the actors administers
        "invitation_id": invitation.pk,
        "member_role_id": p.roles.get(person=world.partner_admin, role=Role.MEMBER).pk,
    }


PAGES = {
    "partnerships:new": (
        lambda p: {},
        {"GET": (302, 200, 200, 200), "POST": (302, 200, 200, 200)},
        {},
    ),
    "partnerships:invitations": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "partnerships:invitation_respond": (
        lambda p: {"party_id": p["invitation_id"]},
        {"GET": (302, 404, 404, 404), "POST": (302, 404, 404, 404)},
        {"answer": "accept"},
    ),
    "partnerships:detail": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    "partnerships:edit": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "partnerships:invite": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "partnerships:roles": (
        lambda p: SLUG,
        {"GET": (302, 404, 200, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "partnerships:role_remove": (
        lambda p: {**SLUG, "role_id": p["member_role_id"]},
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 302)},
        {},
    ),
    "partnerships:stage": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "partnerships:glossary": (
        lambda p: SLUG,
        {"GET": (302, 404, 200, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "partnerships:term_edit": (
        lambda p: {**SLUG, "term_id": p["term_id"]},
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "partnerships:term_agree": (
        lambda p: {**SLUG, "term_id": p["term_id"]},
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 302)},
        {},
    ),
    "partnerships:audit": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
}

API = {
    "GET /partnerships": (None, None, (401, 200, 200, 200)),
    "POST /partnerships": (
        None,
        {"organisation": "northgate", "title": "New one", "type": "consortium"},
        (401, 403, 201, 201),
    ),
    f"GET {P}": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"PATCH {P}": (lambda p: SLUG, {"purpose": "Find cancer sooner."}, (401, 404, 403, 200)),
    f"GET {P}/parties": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/parties": (lambda p: SLUG, {"organisation": "elsewhere"}, (401, 404, 403, 201)),
    "GET /party-invitations": (None, None, (401, 200, 200, 200)),
    "POST /party-invitations/{invitation_id}/accept": (
        lambda p: {"invitation_id": p["invitation_id"]},
        None,
        (401, 404, 404, 404),
    ),
    "POST /party-invitations/{invitation_id}/decline": (
        lambda p: {"invitation_id": p["invitation_id"]},
        None,
        (401, 404, 404, 404),
    ),
    f"GET {P}/roles": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/roles": (
        lambda p: SLUG,
        {"email": "member@brightscan.example", "organisation": "brightscan", "role": "champion"},
        (401, 404, 403, 201),
    ),
    f"DELETE {P}/roles/{{role_id}}": (
        lambda p: {**SLUG, "role_id": p["member_role_id"]},
        None,
        (401, 404, 403, 204),
    ),
    f"GET {P}/stage": (lambda p: SLUG, None, (401, 404, 200, 200)),
    # The lead is allowed, but the gates are not met (no champion): 409 with the reasons.
    f"POST {P}/stage": (lambda p: SLUG, {"to": "agreeing"}, (401, 404, 403, 409)),
    f"GET {P}/glossary": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/glossary": (
        lambda p: SLUG,
        {"term": "Report", "definition": "A verified read."},
        (401, 404, 403, 201),
    ),
    f"PATCH {P}/glossary/{{term_id}}": (
        lambda p: {**SLUG, "term_id": p["term_id"]},
        {"term": "Turnaround", "definition": "Days."},
        (401, 404, 403, 200),
    ),
    f"POST {P}/glossary/{{term_id}}/agree": (
        lambda p: {**SLUG, "term_id": p["term_id"]},
        None,
        (401, 404, 403, 200),
    ),
    f"GET {P}/audit": (lambda p: SLUG, None, (401, 404, 200, 200)),
}
