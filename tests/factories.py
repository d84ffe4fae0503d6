"""Factories for test data. They write rows directly, so the audit trail stays empty unless
a test goes through a service; tests about the trail use services."""

from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password

from carepact.accounts.models import Level, Membership, Organisation, OrganisationKind, User
from carepact.partnerships.models import Partnership, PartnershipType, Party, Role, RoleAssignment

PASSWORD = "correct horse battery staple"


@functools.cache
def _password_hash() -> str:
    # Argon2 is deliberately slow; hash the shared test password once per run.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.LazyFunction(_password_hash)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.NHS_TRUST
    country = "GB"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    level = Level.MANAGER


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    title = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    type = PartnershipType.HOSPITAL_HEALTH_TECH
    vision = "Faster diagnosis for patients with suspected cancer, measured by outcomes."


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Party.Role.PARTNER
    status = Party.Status.ACTIVE


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    partnership = factory.SubFactory(PartnershipFactory)
    person = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


def member(
    organisation: Organisation, *, admin: bool = False, level: str = Level.MANAGER, **user
) -> User:
    person = UserFactory(**user)
    MembershipFactory(user=person, organisation=organisation, is_admin=admin, level=level)
    return person
