"""Every page and every API route, walked as four people: the answer each must get.

anonymous · outsider (admin of an organisation that is not a party) · observer (in the lead
organisation, observer role only) · lead (partnership lead and admin of the lead organisation).

Each app keeps its table in ``tests/integration/<app>/routes.py``: ``PAGES`` and ``API``
(expected status per actor) and ``place(world)``, which creates the objects its routes point
at and returns their ids (an API body may be a function of those ids). A route missing from
every table fails the test, so a new route cannot ship unchecked.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from carepact.api import api

ACTORS = ("anonymous", "outsider", "observer", "lead")


def _route_modules():
    here = Path(__file__).parent
    for info in pkgutil.iter_modules([str(here)]):
        if info.ispkg and (here / info.name / "routes.py").exists():
            yield importlib.import_module(f"tests.integration.{info.name}.routes")


MODULES = list(_route_modules())
PAGES = {name: row for module in MODULES for name, row in module.PAGES.items()}
API = {route: row for module in MODULES for route, row in module.API.items()}


@pytest.fixture
def place(world) -> dict:
    """The objects every table's routes point at, made fresh for each case."""
    found = {"world": world}
    for module in MODULES:
        found.update(module.place(world))
    return found


def client_as(place: dict, actor: str) -> Client:
    world = place["world"]
    user = {
        "anonymous": None,
        "outsider": world.outsider,
        "observer": world.observer,
        "lead": world.lead,
    }[actor]
    client = Client()
    if user is not None:
        client.force_login(user, backend="carepact.accounts.backends.EmailBackend")
    return client


def _walk(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def page_names() -> set[str]:
    return {n for n in _walk(get_resolver().url_patterns) if not n.startswith(("admin:", "api:"))}


def test_every_page_route_is_in_a_table():
    assert page_names() == set(PAGES), "add the route to its app's routes.py PAGES"


def test_tables_do_not_overlap():
    pages = [name for module in MODULES for name in module.PAGES]
    routes = [route for module in MODULES for route in module.API]
    assert len(pages) == len(set(pages)) and len(routes) == len(set(routes))


PAGE_CASES = [
    (name, method, actor, expected[ACTORS.index(actor)])
    for name, (_, methods, _) in PAGES.items()
    for method, expected in methods.items()
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "method", "actor", "status"), PAGE_CASES)
def test_page_access(place, name, method, actor, status):
    kwargs_for, _, data = PAGES[name]
    url = reverse(name, kwargs=kwargs_for(place))
    client = client_as(place, actor)
    response = client.get(url) if method == "GET" else client.post(url, data or {})
    assert response.status_code == status, f"{method} {url} as {actor}"
    if status == 302 and actor == "anonymous":
        assert "/sign-in/" in response["Location"]


def test_admin_site_sends_everyone_but_staff_to_its_sign_in(place):
    for actor in ACTORS:
        response = client_as(place, actor).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], actor


def api_routes() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_api_route_is_in_a_table():
    assert api_routes() == set(API), "add the API route to its app's routes.py API"


API_CASES = [(route, actor) for route in API for actor in ACTORS]


@pytest.mark.parametrize(("route", "actor"), API_CASES)
def test_api_access(place, route, actor):
    method, template = route.split(" ", 1)
    params_for, body, expected = API[route]
    path = "/api/v1" + template.format(**(params_for(place) if params_for else {}))
    if callable(body):  # a body that names objects the place made
        body = body(place)
    client = client_as(place, actor)
    response = client.generic(
        method,
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )
    status = expected[ACTORS.index(actor)]
    assert response.status_code == status, f"{route} as {actor}: {response.content[:300]!r}"
    if status >= 400:
        problem = response.json()
        assert response["Content-Type"] == "application/problem+json"
        assert problem["status"] == status and problem["detail"]
