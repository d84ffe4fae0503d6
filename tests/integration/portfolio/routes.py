"""Access table for the portfolio (see tests/integration/test_access_table.py)."""

ORG = {"slug": "northgate"}


def place(world) -> dict:
    return {}


PAGES = {
    # Everyone signed in is sent on to their own organisation's portfolio.
    "portfolio:mine": (lambda p: {}, {"GET": (302, 302, 302, 302)}, None),
    # The outsider can see that the trust exists (the directory) but not its portfolio.
    "portfolio:organisation": (lambda p: ORG, {"GET": (302, 403, 200, 200)}, None),
    "portfolio:csv": (lambda p: ORG, {"GET": (302, 403, 200, 200)}, None),
}

API = {
    "GET /organisations/{slug}/portfolio": (lambda p: ORG, None, (401, 403, 200, 200)),
}
