"""Who may act for an organisation. Services call ``check_*``; templates ask ``can_*``."""

from __future__ import annotations

from carepact.accounts.models import Membership, Organisation, User
from carepact.core.errors import Denied, NotFound


def membership(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def can_administer(user: User, organisation: Organisation) -> bool:
    found = membership(user, organisation)
    return bool(found and found.is_admin) or bool(user.is_authenticated and user.is_superuser)


def check_administer(user: User, organisation: Organisation) -> None:
    if not can_administer(user, organisation):
        raise Denied(
            f"Only an administrator of {organisation} can do this; ask one of them "
            "to do it or to make you an administrator."
        )


def can_see_members(user: User, organisation: Organisation) -> bool:
    return (
        bool(user.is_authenticated and user.is_superuser)
        or membership(user, organisation) is not None
    )


def get_organisation(user: User, slug: str) -> Organisation:
    """Any signed-in person may read the directory entry (name, kind, identifiers)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not user.is_authenticated:
        raise NotFound("No such organisation.")
    return organisation
