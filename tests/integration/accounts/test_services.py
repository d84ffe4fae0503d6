import pytest
from django.core import mail
from django.db import transaction

from carepact.accounts import services
from carepact.accounts.models import ApiToken, Membership, Organisation, User
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.core.models import AuditEvent
from tests import factories


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


def test_register_organisation_makes_the_actor_its_admin_and_is_audited(db):
    person = factories.UserFactory()
    org = atomic(
        services.register_organisation,
        person,
        name="Riverside NHS Trust",
        kind="nhs_trust",
        country="gb",
        ods_code="rxx",
        level="executive",
    )
    assert org.slug == "riverside-nhs-trust"
    assert (org.country, org.ods_code) == ("GB", "RXX")
    assert Membership.objects.get(user=person, organisation=org).is_admin
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.scope == f"organisation:{org.pk}" and event.actor_id == person.pk


def test_register_organisation_rejects_a_bad_lei_and_writes_nothing(db):
    person = factories.UserFactory()
    with pytest.raises(Invalid) as caught:
        atomic(
            services.register_organisation,
            person,
            name="Acme Pharma",
            kind="pharma_biotech",
            country="GB",
            lei="5493001KJTIIGC8Y1R13",
            level="manager",
        )
    assert "lei" in caught.value.errors
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_slug_is_made_unique(db):
    person = factories.UserFactory()
    first = atomic(
        services.register_organisation, person, name="Acme", kind="other", level="manager"
    )
    second = atomic(
        services.register_organisation, person, name="Acme", kind="other", level="manager"
    )
    assert (first.slug, second.slug) == ("acme", "acme-2")


def test_invitation_round_trip_creates_account_and_membership(
    db, django_capture_on_commit_callbacks
):
    org = factories.OrganisationFactory()
    admin = factories.member(org, admin=True)
    with django_capture_on_commit_callbacks(execute=True):
        issued = atomic(
            services.invite_person,
            admin,
            organisation=org,
            email="New.Person@Example.org",
            level="clinician",
            link_for=lambda token: f"https://carepact.test/join/{token}/",
        )
    assert len(mail.outbox) == 1
    assert issued.token in mail.outbox[0].body
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert issued.token not in issued.invitation.token_hash  # only the hash is kept

    user = atomic(
        services.create_account_from_invitation,
        token=issued.token,
        full_name="New Person",
        password="a long enough passphrase",
    )
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.level == "clinician"
    assert user.password.startswith("argon2")
    with pytest.raises(NotFound):
        services.find_invitation(issued.token)  # used once


def test_invitation_needs_an_admin(db):
    org = factories.OrganisationFactory()
    plain = factories.member(org)
    with pytest.raises(Denied, match="administrator"):
        atomic(
            services.invite_person, plain, organisation=org, email="x@example.org", level="manager"
        )


def test_inviting_an_existing_member_conflicts(db):
    org = factories.OrganisationFactory()
    admin = factories.member(org, admin=True)
    with pytest.raises(Conflict):
        atomic(services.invite_person, admin, organisation=org, email=admin.email, level="manager")


def test_weak_password_is_refused_and_no_account_is_made(db):
    org = factories.OrganisationFactory()
    admin = factories.member(org, admin=True)
    issued = atomic(
        services.invite_person, admin, organisation=org, email="w@example.org", level="manager"
    )
    with pytest.raises(Invalid) as caught:
        atomic(
            services.create_account_from_invitation,
            token=issued.token,
            full_name="W",
            password="123",
        )
    assert "password" in caught.value.errors
    assert not User.objects.filter(email="w@example.org").exists()


def test_signed_in_person_cannot_take_someone_elses_invitation(db):
    org = factories.OrganisationFactory()
    admin = factories.member(org, admin=True)
    other = factories.UserFactory()
    issued = atomic(
        services.invite_person, admin, organisation=org, email="b@example.org", level="manager"
    )
    with pytest.raises(Conflict, match="another e-mail"):
        atomic(services.accept_invitation, other, token=issued.token)


def test_last_admin_cannot_be_demoted(db):
    org = factories.OrganisationFactory()
    admin = factories.member(org, admin=True)
    membership = Membership.objects.get(user=admin)
    with pytest.raises(Conflict, match="at least one administrator"):
        atomic(services.update_membership, admin, membership, level="manager", is_admin=False)


def test_api_token_is_hashed_at_rest_shown_once_and_revocable(db):
    person = factories.UserFactory()
    issued = atomic(services.create_token, person, name="nightly export")
    stored = ApiToken.objects.get()
    assert issued.raw.startswith("cp_")
    assert issued.raw not in (stored.token_hash, stored.prefix)
    assert services.user_for_token(issued.raw) == person
    assert services.user_for_token(issued.raw + "x") is None
    atomic(services.revoke_token, person, token_id=stored.pk)
    assert services.user_for_token(issued.raw) is None


def test_someone_elses_token_cannot_be_revoked(db):
    owner, other = factories.UserFactory(), factories.UserFactory()
    issued = atomic(services.create_token, owner, name="t")
    with pytest.raises(NotFound):
        atomic(services.revoke_token, other, token_id=issued.token.pk)
