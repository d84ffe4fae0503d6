"""Fixtures for agreement tests: a third party for negotiations between more than two."""

from dataclasses import dataclass

import pytest

from carepact.accounts.models import OrganisationKind
from carepact.agreements.services.library import ensure_starter_library
from carepact.partnerships.models import Role
from tests import factories


@dataclass
class Third:
    organisation: object
    person: object


@pytest.fixture
def third(world) -> Third:
    """A university that joined the partnership, with a member who speaks for it."""
    uni = factories.OrganisationFactory(
        name="Eastgate University", slug="eastgate", kind=OrganisationKind.ACADEMIA
    )
    factories.PartyFactory(partnership=world.partnership, organisation=uni)
    person = factories.member(uni, email="una@eastgate.example", full_name="Una Academic")
    factories.RoleFactory(
        partnership=world.partnership, person=person, organisation=uni, role=Role.MEMBER
    )
    return Third(uni, person)


@pytest.fixture(autouse=True)
def starter_library(request):
    """The starter library comes from a data migration, which a transactional test elsewhere
    may have flushed away: put it back for tests that use the database."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            ensure_starter_library()
            return
