"""The three keyed values that keep answers apart from the people who give them.

* The **link token** in an invitation e-mail: the invitation's id and random nonce, signed
  with the secret key. It works without a password for that one response.
* The **draft key** finds a response in progress from its link. It is derived from the
  invitation, so only someone holding the link (or the server's secret key) can find the
  draft; it is erased from the response on submission.
* The **respondent token** is a keyed hash of (partnership, person): the same person gets
  the same token in every round of the partnership, so waves can be paired, and a
  different token in every other partnership. Without the secret key it cannot be linked
  back to a person.

All three use Django's ``SECRET_KEY`` with a distinct salt each. Rotating the secret key
invalidates open links and starts new respondent tokens (waves after the rotation are
compared unpaired); docs/adr/0007 explains the choice.
"""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import salted_hmac

LINK_SALT = "carepact.health.respond"
DRAFT_SALT = "carepact.health.draft"
RESPONDENT_SALT = "carepact.health.respondent"


def link_token(invitation) -> str:
    return signing.Signer(salt=LINK_SALT, sep="~").sign(f"{invitation.pk}.{invitation.nonce}")


def parse_link(token: str) -> tuple[int, str] | None:
    """(invitation id, nonce) from a link token, or None when it is not one of ours."""
    try:
        value = signing.Signer(salt=LINK_SALT, sep="~").unsign(token or "")
    except signing.BadSignature:
        return None
    pk, _, nonce = value.partition(".")
    return (int(pk), nonce) if pk.isdigit() and nonce else None


def draft_key(invitation) -> str:
    return salted_hmac(
        DRAFT_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256"
    ).hexdigest()


def respondent_token(partnership_id: int, person_id: int) -> str:
    return salted_hmac(
        RESPONDENT_SALT, f"{partnership_id}:{person_id}", algorithm="sha256"
    ).hexdigest()
