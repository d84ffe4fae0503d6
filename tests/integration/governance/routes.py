"""Access table for the governance pages and API (see tests/integration/test_access_table.py)."""

from datetime import date, timedelta

from carepact.governance.models import Action, Body, BodyMember, Escalation, Meeting, Risk

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}/governance"
PAST = "2025-01-06"


def place(world) -> dict:
    p = world.partnership
    body = Body.objects.create(partnership=p, name="Board", kind="board")
    BodyMember.objects.create(body=body, person=world.lead, organisation=world.trust)
    meeting = Meeting.objects.create(
        partnership=p, body=body, held_on=date(2025, 1, 6), title="First board"
    )
    action = Action.objects.create(
        partnership=p,
        title="Do it",
        owner=world.partner_admin,
        owner_organisation=world.company,
        due_on=date.today() + timedelta(days=30),
    )
    escalation = Escalation.objects.create(
        partnership=p,
        kind="escalation",
        title="Stuck",
        description="d",
        raised_by=world.partner_admin,
        raised_for=world.company,
        handled_by=body,
    )
    risk = Risk.objects.create(
        partnership=p,
        title="Leak",
        category="data",
        owner=world.lead,
        likelihood=2,
        impact=3,
        review_on=date.today(),
    )
    return {
        "body_id": body.pk,
        "meeting_id": meeting.pk,
        "action_id": action.pk,
        "escalation_id": escalation.pk,
        "risk_id": risk.pk,
    }


def _k(*keys):
    return lambda p: {**SLUG, **{k: p[k] for k in keys}}


# API bodies that name the place's objects are functions of it (see the runner).
MEETING_BODY = {
    "held_on": PAST,
    "title": "Board",
    "agenda": [{"title": "Item", "proposed_by": "northgate"}],
}
DECISION_BODY = {
    "title": "Go",
    "proposed_by": {"email": "lead@northgate.example", "organisation": "northgate"},
    "decided_on": PAST,
    "outcome": "agreed",
    "positions": [{"organisation": "brightscan", "vote": "for"}],
}


READ = {"GET": (302, 404, 200, 200)}
WRITE = {"GET": (302, 404, 200, 200), "POST": (302, 404, 403, 200)}

PAGES = {
    "governance:overview": (_k(), READ, None),
    "governance:bodies": (_k(), WRITE, {}),
    "governance:body": (_k("body_id"), WRITE, {}),
    "governance:route": (_k(), {"POST": (302, 404, 403, 302)}, {}),
    "governance:meetings": (_k(), WRITE, {}),
    "governance:meeting": (_k("meeting_id"), READ, None),
    "governance:decisions": (_k(), WRITE, {}),
    "governance:actions": (_k(), WRITE, {}),
    # The owner (the partner's admin) or a lead may close it; the observer may not.
    "governance:action_status": (
        _k("action_id"),
        {"POST": (302, 404, 403, 302)},
        {"status": "done"},
    ),
    # Any member of a party may raise an escalation (an empty form comes back with errors).
    "governance:escalations": (
        _k(),
        {"GET": (302, 404, 200, 200), "POST": (302, 404, 200, 200)},
        {},
    ),
    "governance:escalation": (_k("escalation_id"), WRITE, {}),
    "governance:risks": (_k(), WRITE, {}),
    "governance:risk_edit": (
        _k("risk_id"),
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "governance:report": (_k(), READ, None),
    "governance:report_pdf": (_k(), READ, None),
}

API = {
    f"GET {P}/bodies": (_k(), None, (401, 404, 200, 200)),
    f"POST {P}/bodies": (_k(), {"name": "Group", "kind": "working"}, (401, 404, 403, 201)),
    f"POST {P}/bodies/{{body_id}}/members": (
        _k("body_id"),
        {"email": "member@brightscan.example", "organisation": "brightscan"},
        (401, 404, 403, 201),
    ),
    f"GET {P}/meetings": (_k(), None, (401, 404, 200, 200)),
    f"POST {P}/meetings": (
        _k(),
        lambda p: {**MEETING_BODY, "body_id": p["body_id"]},
        (401, 404, 403, 201),
    ),
    f"GET {P}/decisions": (_k(), None, (401, 404, 200, 200)),
    f"POST {P}/decisions": (
        _k(),
        lambda p: {**DECISION_BODY, "body_id": p["body_id"]},
        (401, 404, 403, 201),
    ),
    f"GET {P}/shares": (_k(), None, (401, 404, 200, 200)),
    f"GET {P}/actions": (_k(), None, (401, 404, 200, 200)),
    f"POST {P}/actions": (
        _k(),
        {
            "title": "Write it",
            "owner": {"email": "lead@northgate.example", "organisation": "northgate"},
            "due_on": "2030-01-01",
        },
        (401, 404, 403, 201),
    ),
    f"PATCH {P}/actions/{{action_id}}": (_k("action_id"), {"status": "done"}, (401, 404, 403, 200)),
    f"GET {P}/escalations": (_k(), None, (401, 404, 200, 200)),
    f"POST {P}/escalations": (
        _k(),
        {"kind": "grievance", "title": "Unheard", "description": "d"},
        (401, 404, 201, 201),
    ),
    f"PATCH {P}/escalations/{{escalation_id}}": (
        _k("escalation_id"),
        {"status": "in_hand"},
        (401, 404, 403, 200),
    ),
    f"GET {P}/risks": (_k(), None, (401, 404, 200, 200)),
    f"POST {P}/risks": (
        _k(),
        {
            "title": "Funding",
            "category": "funding",
            "owner": "lead@northgate.example",
            "likelihood": 3,
            "impact": 3,
            "review_on": "2030-01-01",
        },
        (401, 404, 403, 201),
    ),
    f"PATCH {P}/risks/{{risk_id}}": (_k("risk_id"), {"impact": 2}, (401, 404, 403, 200)),
    f"GET {P}/report": (_k(), None, (401, 404, 200, 200)),
}
