"""Access table for the value pages and API (see tests/integration/test_access_table.py)."""

from datetime import date

from carepact.value.models import Benefit, BenefitShare, Contribution

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}"


def place(world) -> dict:
    p = world.partnership
    for organisation, amount in ((world.trust, 4_000_000), (world.company, 6_000_000)):
        Contribution.objects.create(
            partnership=p,
            organisation=organisation,
            kind="cash",
            description="Pilot funding",
            amount_minor=amount,
            currency="GBP",
            valuation_method="Cash, at face value.",
            contributed_on=date(2026, 1, 5),
        )
    benefit = Benefit.objects.create(
        partnership=p,
        kind="cost_saving",
        description="Fewer follow-up appointments",
        amount_minor=2_000_000,
        currency="GBP",
        valuation_method="Appointments avoided at tariff.",
        realised_on=date(2026, 6, 1),
    )
    BenefitShare.objects.create(benefit=benefit, organisation=world.trust, percent=100)
    return {}


PAGES = {
    "value:ledger": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    "value:contribution_new": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "value:benefit_new": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "value:fairness": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    "value:coalitions": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "value:case": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    # Every field of the case is optional: an empty form saves and returns to the case.
    "value:case_edit": (
        lambda p: SLUG,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 302)},
        {},
    ),
}

API = {
    f"GET {P}/ledger": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/contributions": (
        lambda p: SLUG,
        {
            "organisation": "northgate",
            "kind": "staff_time",
            "description": "Radiologist time",
            "contributed_on": "2026-02-01",
            "fte_months": "2.5",
            "rate": "9000",
        },
        (401, 404, 403, 201),
    ),
    f"POST {P}/benefits": (
        lambda p: SLUG,
        {
            "kind": "publication",
            "description": "Paper in Thorax",
            "realised_on": "2026-09-01",
            "shares": {"northgate": 50, "brightscan": 50},
        },
        (401, 404, 403, 201),
    ),
    f"GET {P}/fairness": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/coalition-values": (
        lambda p: SLUG,
        {
            "basis": "Five-year net value",
            "unit": "£ thousands",
            "values": {"northgate": 40, "brightscan": 15, "northgate+brightscan": 180},
        },
        (401, 404, 403, 201),
    ),
    f"GET {P}/value-case": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"PUT {P}/value-case": (
        lambda p: SLUG,
        {"summary": "Faster diagnosis.", "sites": 1},
        (401, 404, 403, 200),
    ),
}
