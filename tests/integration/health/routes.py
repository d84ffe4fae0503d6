"""Access table for the health pages and API (see tests/integration/test_access_table.py).

Round 1 is closed (two answers: every figure suppressed); round 2 is open and everyone in
both parties is invited. Respondent links are checked with a token that is not one of
ours: 404 for everybody, signed in or not. Valid links are tested in test_answering.py.
"""

from datetime import timedelta

from django.db import transaction

from carepact.core import clock
from carepact.health import services

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}/health"
BAD = {"token": "1.not-a-nonce~forged"}
NEXT_WEEK = (clock.now() + timedelta(days=7)).date().isoformat()


def place(world) -> dict:
    p, lead = world.partnership, world.lead
    closes = (clock.now() + timedelta(days=14)).date()
    with transaction.atomic():
        first = services.open_round(lead, p, closes_on=closes)
        for invitation in first.invitations.all()[:2]:
            services.save_answers(invitation, step="C1", answers={"C1.1": "4", "C1.2": "3"})
            services.submit_response(invitation)
        services.close_round(lead, first)
        services.open_round(lead, p, kind="pulse", closes_on=closes)
    return {"closed_round": 1, "open_round": 2}


def closed(p):
    return {**SLUG, "number": p["closed_round"]}


def opened(p):
    return {**SLUG, "number": p["open_round"]}


# url name: (kwargs builder, {method: (anonymous, outsider, observer, lead)}, POST data)
PAGES = {
    "health:overview": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    "health:round_new": (
        lambda p: SLUG,
        # the lead's empty form is shown again with its errors
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "health:round": (opened, {"GET": (302, 404, 200, 200)}, None),
    "health:round_close": (
        opened,
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 302)},
        {},
    ),
    "health:round_remind": (
        opened,
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 302)},
        {},
    ),
    "health:results": (closed, {"GET": (302, 404, 200, 200)}, None),
    "health:results_csv": (closed, {"GET": (302, 404, 200, 200)}, None),
    "health:settings": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 302)},
        {},
    ),
    # the observer and the lead are both invited to the open round: off to their own link
    "health:answer": (lambda p: SLUG, {"GET": (302, 404, 302, 302)}, None),
    "health:playbook": (lambda p: {}, {"GET": (302, 200, 200, 200)}, None),
    "health:respond": (lambda p: BAD, {"GET": (404, 404, 404, 404)}, None),
    "health:respond_step": (
        lambda p: {**BAD, "step": "C1"},
        {"GET": (404, 404, 404, 404), "POST": (404, 404, 404, 404)},
        {"C1_1": "4"},
    ),
    "health:respond_review": (
        lambda p: BAD,
        {"GET": (404, 404, 404, 404), "POST": (404, 404, 404, 404)},
        {},
    ),
    "health:thanks": (lambda p: {}, {"GET": (200, 200, 200, 200)}, None),
}

# "METHOD path": (path params builder, JSON body, (anonymous, outsider, observer, lead))
API = {
    f"GET {P}/rounds": (lambda p: SLUG, None, (401, 404, 200, 200)),
    # the lead is allowed, but round 2 is still open: one health check at a time
    f"POST {P}/rounds": (
        lambda p: SLUG,
        {"kind": "full", "closes_on": NEXT_WEEK},
        (401, 404, 403, 409),
    ),
    f"GET {P}/rounds/{{number}}": (opened, None, (401, 404, 200, 200)),
    f"POST {P}/rounds/{{number}}/close": (opened, None, (401, 404, 403, 200)),
    f"POST {P}/rounds/{{number}}/reminders": (opened, None, (401, 404, 403, 200)),
    f"GET {P}/rounds/{{number}}/results": (closed, None, (401, 404, 200, 200)),
    f"GET {P}/settings": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"PUT {P}/settings": (
        lambda p: SLUG,
        {"party_weights": {"northgate": 2, "brightscan": 1}},
        (401, 404, 403, 200),
    ),
    "GET /health/instruments/{instrument_id}": (
        lambda p: {"instrument_id": "carepact-1"},
        None,
        (401, 200, 200, 200),
    ),
    "GET /health/playbook": (None, None, (401, 200, 200, 200)),
    "GET /health/respond/{token}": (lambda p: BAD, None, (404, 404, 404, 404)),
    "PUT /health/respond/{token}/answers": (
        lambda p: BAD,
        {"answers": {"C1.1": 4}},
        (404, 404, 404, 404),
    ),
    "POST /health/respond/{token}/submit": (lambda p: BAD, None, (404, 404, 404, 404)),
}
