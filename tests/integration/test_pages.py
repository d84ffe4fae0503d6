"""What every page owes its reader: landmarks, one h1, labelled controls; and bounded queries."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carepact.partnerships.models import Role
from tests import factories
from tests.integration.test_access_table import PAGES, place  # noqa: F401  (fixture)


class Structure(HTMLParser):
    """Collects what a basic accessibility check looks at."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.html_lang = None
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.h1 = 0
        self._in_label = 0
        self.wrapped: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "h1":
            self.h1 += 1
        if tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            a["_in_label"] = self._in_label > 0
            self.controls.append(a)

    def handle_endtag(self, tag):
        if tag == "label":
            self._in_label -= 1


def check_structure(html: str, where: str) -> None:
    page = Structure()
    page.feed(html)
    assert page.html_lang == "en-GB", where
    assert "main" in page.tags and "header" in page.tags and "footer" in page.tags, where
    assert page.h1 == 1, f"{where}: {page.h1} h1 elements"
    for control in page.controls:
        labelled = (
            control.get("id") in page.label_for
            or control["_in_label"]
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert labelled, f"{where}: a {control.get('name')} control has no label"


READABLE = [
    name
    for name, (_, methods, _) in PAGES.items()
    if methods.get("GET", (0, 0, 0, 0))[3] == 200 and name != "healthz"
]


@pytest.mark.parametrize("name", READABLE)
def test_page_structure_for_the_lead(place, client_for, name):  # noqa: F811
    kwargs_for = PAGES[name][0]
    response = client_for(place["world"].lead).get(reverse(name, kwargs=kwargs_for(place)))
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        # A download (PDF, CSV): it must say so, and carry a file name.
        assert "attachment; filename=" in response["Content-Disposition"], name
        return
    check_structure(response.content.decode(), name)


def test_sign_in_page_structure(client_for, db):
    check_structure(client_for(None).get(reverse("accounts:login")).content.decode(), "sign-in")


def _grow(world, n: int) -> None:
    """Add n more partner organisations, each with people, roles and glossary terms."""
    for _ in range(n):
        org = factories.OrganisationFactory()
        factories.PartyFactory(partnership=world.partnership, organisation=org)
        for _ in range(3):
            person = factories.member(org)
            factories.RoleFactory(
                partnership=world.partnership, person=person, organisation=org, role=Role.MEMBER
            )
        world.partnership.glossary.create(term=f"Term {org.slug}", definition="d", proposed_for=org)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/p/scan-triage/",
        "/p/scan-triage/glossary/",
        "/p/scan-triage/roles/",
        "/p/scan-triage/audit/",
    ],
)
def test_busiest_pages_do_not_grow_queries_with_the_partnership(world, client_for, url):
    client = client_for(world.lead)
    _grow(world, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), f"{url}: {len(small)} queries became {len(large)}"
    assert len(large) <= 30
