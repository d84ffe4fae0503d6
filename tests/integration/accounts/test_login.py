"""Sign-in: argon2 hashes, throttling after repeated failures, and what the page says."""

from django.urls import reverse

from carepact.accounts import throttle
from tests import factories


def sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_sign_in_with_the_right_password(client, db):
    person = factories.UserFactory(email="ann@example.org")
    response = sign_in(client, "ANN@example.org", factories.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_passwords_are_hashed_with_argon2(db):
    person = factories.UserFactory()
    person.set_password("another long passphrase")
    assert person.password.startswith("argon2$argon2id$")


def test_wrong_password_says_so_without_saying_which_part(client, db):
    factories.UserFactory(email="ann@example.org")
    response = sign_in(client, "ann@example.org", "wrong")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, db):
    factories.UserFactory(email="ann@example.org")
    for _ in range(throttle.MAX_FAILURES_PER_ACCOUNT):
        sign_in(client, "ann@example.org", "wrong")
    response = sign_in(client, "ann@example.org", factories.PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client, db):
    factories.UserFactory(email="ann@example.org")
    factories.UserFactory(email="bob@example.org")
    for _ in range(throttle.MAX_FAILURES_PER_ACCOUNT):
        sign_in(client, "ann@example.org", "wrong")
    assert sign_in(client, "bob@example.org", factories.PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, db):
    factories.UserFactory(email="ann@example.org")
    for _ in range(throttle.MAX_FAILURES_PER_ACCOUNT - 1):
        sign_in(client, "ann@example.org", "wrong")
    assert sign_in(client, "ann@example.org", factories.PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "ann@example.org", "wrong")
    assert sign_in(client, "ann@example.org", factories.PASSWORD).status_code == 302


def test_failures_are_stored_without_the_address(client, db):
    from carepact.accounts.models import LoginFailure

    sign_in(client, "ann@example.org", "wrong")
    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert keys and all("ann" not in key for key in keys)
