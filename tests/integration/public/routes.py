"""Access table for the public pages and publishing (see tests/integration/test_access_table.py).

Two partnerships: ``open-results`` is published (both parties opted in), so its public page
answers 200 to everyone; ``scan-triage`` has a page that only the company has opted in to,
so it is not published (tests/integration/public/test_leakage.py walks that state: 404 for
everyone, page and JSON alike).
"""

from carepact.partnerships.models import Party
from carepact.public.models import Publication, PublicationOptIn
from tests import factories

SLUG = {"slug": "scan-triage"}
PUBLISHED = {"slug": "open-results"}
P = "/partnerships/{slug}"
SETTINGS = {
    "summary": "We use chest X-rays to find lung cancer sooner.",
    "how_to_opt_out": "Tell the radiology department.",
    "contact": "dpo@northgate.example",
    "show_value": "totals",
    "show_kpis": True,
}


def place(world) -> dict:
    unpublished = Publication.objects.create(partnership=world.partnership, **SETTINGS)
    PublicationOptIn.objects.create(
        publication=unpublished, organisation=world.company, by=world.partner_admin
    )
    open_results = factories.PartnershipFactory(title="Open results", slug="open-results")
    factories.PartyFactory(partnership=open_results, organisation=world.trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=open_results, organisation=world.company)
    published = Publication.objects.create(partnership=open_results, **SETTINGS)
    for organisation, person in ((world.trust, world.lead), (world.company, world.partner_admin)):
        PublicationOptIn.objects.create(publication=published, organisation=organisation, by=person)
    return {}


PAGES = {
    "public:index": (lambda p: {}, {"GET": (200, 200, 200, 200)}, None),
    "public:page": (lambda p: PUBLISHED, {"GET": (200, 200, 200, 200)}, None),
    "public:manage": (
        lambda p: SLUG,
        {"GET": (302, 404, 200, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    "public:preview": (lambda p: SLUG, {"GET": (302, 404, 200, 200)}, None),
    # The company has opted in already: the lead's opt-in for the trust publishes the page.
    "public:opt_in": (
        lambda p: SLUG,
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 302)},
        {"organisation": "northgate"},
    ),
    # Nobody in the trust speaks for the company: refused with the reason.
    "public:withdraw": (
        lambda p: SLUG,
        {"GET": (302, 405, 405, 405), "POST": (302, 404, 403, 403)},
        {"organisation": "brightscan"},
    ),
}

API = {
    "GET /public/partnerships": (None, None, (200, 200, 200, 200)),
    "GET /public/partnerships/{slug}": (lambda p: PUBLISHED, None, (200, 200, 200, 200)),
    f"GET {P}/publication": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"PUT {P}/publication": (lambda p: SLUG, SETTINGS, (401, 404, 403, 200)),
    f"POST {P}/publication/opt-in": (
        lambda p: SLUG,
        {"organisation": "northgate"},
        (401, 404, 403, 200),
    ),
    f"POST {P}/publication/withdraw": (
        lambda p: SLUG,
        {"organisation": "brightscan"},
        (401, 404, 403, 403),
    ),
}
