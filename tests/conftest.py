"""Shared fixtures: a small world of organisations, people and one partnership."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from carepact.accounts.models import Organisation, OrganisationKind, User
from carepact.partnerships.models import Partnership, Party, Role
from tests import factories


@dataclass
class World:
    trust: Organisation  # leads the partnership
    company: Organisation  # health-tech partner
    stranger_org: Organisation  # not party to anything
    partnership: Partnership
    lead: User  # trust admin, partnership lead
    observer: User  # trust member with only the observer role
    partner_admin: User  # company admin, member of the partnership
    partner_member: User  # company member without a role
    outsider: User  # admin of the stranger organisation


@pytest.fixture
def world(db) -> World:
    trust = factories.OrganisationFactory(name="Northgate NHS Trust", slug="northgate")
    company = factories.OrganisationFactory(
        name="Brightscan AI", slug="brightscan", kind=OrganisationKind.HEALTH_TECH
    )
    stranger_org = factories.OrganisationFactory(
        name="Elsewhere Pharma", slug="elsewhere", kind=OrganisationKind.PHARMA_BIOTECH
    )
    partnership = factories.PartnershipFactory(title="Scan triage", slug="scan-triage")
    factories.PartyFactory(partnership=partnership, organisation=trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=partnership, organisation=company)
    lead = factories.member(trust, admin=True, email="lead@northgate.example", full_name="Lee Lead")
    observer = factories.member(trust, email="observer@northgate.example", full_name="Olu Observer")
    partner_admin = factories.member(
        company, admin=True, email="admin@brightscan.example", full_name="Ada Admin"
    )
    partner_member = factories.member(
        company, email="member@brightscan.example", full_name="Max Member"
    )
    outsider = factories.member(
        stranger_org, admin=True, email="outsider@elsewhere.example", full_name="Oscar Outsider"
    )
    factories.RoleFactory(partnership=partnership, person=lead, organisation=trust, role=Role.LEAD)
    factories.RoleFactory(
        partnership=partnership, person=observer, organisation=trust, role=Role.OBSERVER
    )
    factories.RoleFactory(
        partnership=partnership, person=partner_admin, organisation=company, role=Role.MEMBER
    )
    return World(
        trust,
        company,
        stranger_org,
        partnership,
        lead,
        observer,
        partner_admin,
        partner_member,
        outsider,
    )


@pytest.fixture
def client_for():
    """A test client signed in as the given person (or anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="carepact.accounts.backends.EmailBackend")
        return client

    return make
