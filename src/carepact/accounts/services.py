"""Organisations, people, invitations and API tokens. Every write goes through here.

Services run inside the caller's transaction and append their audit event to it. Mail is
sent after commit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from carepact.accounts import rules
from carepact.accounts.models import (
    COUNTRY_CHOICES,
    ApiToken,
    Invitation,
    Level,
    Membership,
    Organisation,
    OrganisationKind,
    User,
)
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.engine import identifiers

INVITATION_LIFETIME = timedelta(days=14)
TOKEN_PREFIX = "cp_"  # noqa: S105  (a marker, not a secret)

IDENTIFIER_FIELDS: dict[str, Callable[[str], str]] = {
    "ods_code": identifiers.normalise_ods_code,
    "ror_id": identifiers.normalise_ror_id,
    "companies_house_number": identifiers.normalise_companies_house_number,
    "lei": identifiers.normalise_lei,
}
ORGANISATION_FIELDS = ("name", "kind", "country", "website", *IDENTIFIER_FIELDS)


def _hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def unique_slug(model, text: str, *, max_length: int = 60) -> str:
    """A slug for ``text`` not yet used by ``model`` (adds -2, -3, ... when taken)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug


def _clean_organisation(fields: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in fields.items():
        if name not in ORGANISATION_FIELDS:
            raise Invalid(f"Unknown organisation field {name!r}.")
        value = (value or "").strip() if isinstance(value, str) else value
        if name in IDENTIFIER_FIELDS and value:
            try:
                value = IDENTIFIER_FIELDS[name](value)
            except ValueError as exc:
                errors.setdefault(name, []).append(f"This is not valid: {exc}.")
        cleaned[name] = value
    if "name" in cleaned and not cleaned["name"]:
        errors.setdefault("name", []).append("An organisation needs a name.")
    if "kind" in cleaned and cleaned["kind"] not in OrganisationKind.values:
        errors.setdefault("kind", []).append("Choose what kind of organisation this is.")
    if "country" in cleaned:
        cleaned["country"] = (cleaned["country"] or "").upper()
        if cleaned["country"] not in {code for code, _ in COUNTRY_CHOICES}:
            errors.setdefault("country", []).append("Choose a country (ISO 3166 code).")
    if errors:
        raise Invalid("Some details of the organisation need correcting.", errors=errors)
    return cleaned


def register_organisation(
    actor: User, *, level: str, job_title: str = "", **fields
) -> Organisation:
    """Create an organisation with ``actor`` as its first administrator."""
    if level not in Level.values:
        raise Invalid("Choose your level in the organisation.", errors={"level": ["Required."]})
    cleaned = _clean_organisation(fields)
    organisation = Organisation(**cleaned)
    organisation.slug = unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        user=actor, organisation=organisation, level=level, job_title=job_title, is_admin=True
    )
    audit.record(
        actor,
        action="organisation.create",
        obj=organisation,
        organisation=organisation,
        message=f"{actor} registered {organisation} ({organisation.get_kind_display()}).",
        summary={"kind": organisation.kind, "country": organisation.country},
    )
    return organisation


def update_organisation(actor: User, organisation: Organisation, **fields) -> Organisation:
    rules.check_administer(actor, organisation)
    cleaned = _clean_organisation(fields)
    changes = {
        name: [getattr(organisation, name), value]
        for name, value in cleaned.items()
        if getattr(organisation, name) != value
    }
    if not changes:
        return organisation
    for name, (_, value) in changes.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor,
        action="organisation.update",
        obj=organisation,
        organisation=organisation,
        message=f"{actor} changed {', '.join(changes)} of {organisation}.",
        summary={"changed": changes},
    )
    return organisation


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once; only its hash is stored


def invite_person(
    actor: User,
    *,
    organisation: Organisation,
    email: str,
    level: str,
    is_admin: bool = False,
    link_for: Callable[[str], str] | None = None,
) -> IssuedInvitation:
    """Invite a person by e-mail to join ``organisation``; mails the link after commit."""
    rules.check_administer(actor, organisation)
    email = (email or "").strip().lower()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter a valid e-mail address."]
    if level not in Level.values:
        errors["level"] = ["Choose the person's level."]
    if errors:
        raise Invalid("The invitation needs correcting.", errors=errors)
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise Conflict(f"{email} is already a member of {organisation}.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        level=level,
        is_admin=is_admin,
        token_hash=_hash_secret(token),
        invited_by=actor,
        expires_at=clock.now() + INVITATION_LIFETIME,
    )
    audit.record(
        actor,
        action="member.invite",
        obj=invitation,
        organisation=organisation,
        message=(
            f"{actor} invited {email} to join {organisation} "
            f"as {invitation.get_level_display().lower()}."
        ),
        summary={"email": email, "level": level, "is_admin": is_admin},
    )
    if link_for is not None:
        link = link_for(token)
        subject = f"Join {organisation} on carepact"
        body = (
            f"{actor} has invited you to join {organisation} on carepact.\n\n"
            f"Open this link to accept (it works once, for 14 days):\n{link}\n"
        )
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return IssuedInvitation(invitation, token)


def find_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.pending()
        .select_related("organisation", "invited_by")
        .filter(token_hash=_hash_secret(token or ""))
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid: it may have been used or expired.")
    return invitation


def _join(user: User, invitation: Invitation) -> Membership:
    if invitation.email != user.email:
        raise Conflict(
            f"This invitation was sent to another e-mail address; sign in as that person "
            f"to accept it (you are signed in as {user.email})."
        )
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"level": invitation.level, "is_admin": invitation.is_admin},
    )
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        user,
        action="member.join",
        obj=membership,
        organisation=invitation.organisation,
        message=f"{user} joined {invitation.organisation} as {membership.get_level_display()}.",
        summary={"level": membership.level, "is_admin": membership.is_admin},
    )
    return membership


def accept_invitation(actor: User, *, token: str) -> Membership:
    """A signed-in person accepts an invitation addressed to their e-mail address."""
    return _join(actor, find_invitation(token))


def create_account_from_invitation(*, token: str, full_name: str, password: str) -> User:
    """A new person sets their name and password through the invitation link."""
    invitation = find_invitation(token)
    if User.objects.filter(email=invitation.email).exists():
        raise Conflict("An account with this e-mail address exists: sign in to accept.")
    errors = {}
    if not (full_name or "").strip():
        errors["full_name"] = ["Enter your name."]
    candidate = User(email=invitation.email, full_name=(full_name or "").strip())
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise Invalid("Your details need correcting.", errors=errors)
    user = User.objects.create_user(invitation.email, password, full_name=candidate.full_name)
    audit.record(
        user, action="user.create", obj=user, message=f"{user} created an account by invitation."
    )
    _join(user, invitation)
    return user


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    rules.check_administer(actor, invitation.organisation)
    if invitation.accepted_at:
        raise Conflict("This invitation has already been accepted.")
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor,
        action="member.invite_revoke",
        obj=invitation,
        organisation=invitation.organisation,
        message=f"{actor} withdrew the invitation for {invitation.email}.",
    )


def update_membership(
    actor: User, membership: Membership, *, level: str, is_admin: bool, job_title: str = ""
) -> Membership:
    rules.check_administer(actor, membership.organisation)
    if level not in Level.values:
        raise Invalid("Choose a level.", errors={"level": ["Required."]})
    if (
        membership.is_admin
        and not is_admin
        and not Membership.objects.filter(organisation=membership.organisation, is_admin=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise Conflict("An organisation needs at least one administrator.")
    before = {"level": membership.level, "is_admin": membership.is_admin}
    membership.level, membership.is_admin, membership.job_title = level, is_admin, job_title
    membership.save()
    audit.record(
        actor,
        action="member.update",
        obj=membership,
        organisation=membership.organisation,
        message=f"{actor} updated {membership.user}'s membership of {membership.organisation}.",
        summary={"before": before, "after": {"level": level, "is_admin": is_admin}},
    )
    return membership


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once


def create_token(actor: User, *, name: str, expires_in_days: int | None = None) -> IssuedToken:
    """Issue a personal API token; only its hash is kept, so it is shown once."""
    name = (name or "").strip()
    if not name:
        raise Invalid(
            "Name the token so you can recognise it later.", errors={"name": ["Required."]}
        )
    if expires_in_days is not None and not 1 <= expires_in_days <= 366:
        raise Invalid(
            "A token lasts between 1 and 366 days.", errors={"expires_in_days": ["1 to 366."]}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=_hash_secret(raw),
        expires_at=clock.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit.record(
        actor, action="token.create", obj=token, message=f"{actor} created API token {name}."
    )
    return IssuedToken(token, raw)


def revoke_token(actor: User, *, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=actor, pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            action="token.revoke",
            obj=token,
            message=f"{actor} revoked API token {token.name}.",
        )
    return token


def user_for_token(raw: str) -> User | None:
    """The active person a presented API token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=_hash_secret(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
