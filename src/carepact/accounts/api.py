"""Organisations, people, invitations and API tokens as JSON."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from ninja import Router, Schema, Status

from carepact.accounts import rules, services
from carepact.accounts.models import ApiToken, Membership, Organisation
from carepact.core.errors import Denied

router = Router(tags=["organisations and people"])


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    level: str
    job_title: str
    is_admin: bool

    @staticmethod
    def resolve_organisation(obj: Membership) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: Membership) -> str:
        return obj.organisation.name


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    is_platform_admin: bool
    memberships: list[MembershipOut]


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    country: str
    ods_code: str
    ror_id: str
    companies_house_number: str
    lei: str
    website: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return obj.get_kind_display()


class OrganisationIn(Schema):
    name: str
    kind: str
    country: str = "GB"
    ods_code: str = ""
    ror_id: str = ""
    companies_house_number: str = ""
    lei: str = ""
    website: str = ""
    level: str
    job_title: str = ""


class OrganisationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    ods_code: str | None = None
    ror_id: str | None = None
    companies_house_number: str | None = None
    lei: str | None = None
    website: str | None = None


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    level: str
    job_title: str
    is_admin: bool

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.full_name


class InvitationIn(Schema):
    email: str
    level: str
    is_admin: bool = False


class InvitationOut(Schema):
    id: int
    email: str
    level: str
    is_admin: bool
    expires_at: datetime
    accept_url: str


class TokenIn(Schema):
    name: str
    expires_in_days: int | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="The signed-in person and their organisations")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "is_platform_admin": user.is_superuser,
        "memberships": list(user.memberships.select_related("organisation")),
    }


@router.get("/organisations", response=list[OrganisationOut], summary="The organisation directory")
def list_organisations(request):
    return list(Organisation.objects.all())


@router.post("/organisations", response={201: OrganisationOut}, summary="Register an organisation")
def create_organisation(request, payload: OrganisationIn):
    data = payload.dict()
    level, job_title = data.pop("level"), data.pop("job_title")
    with transaction.atomic():
        organisation = services.register_organisation(
            request.auth, level=level, job_title=job_title, **data
        )
    return Status(201, organisation)


@router.get("/organisations/{slug}", response=OrganisationOut)
def get_organisation(request, slug: str):
    return rules.get_organisation(request.auth, slug)


@router.patch("/organisations/{slug}", response=OrganisationOut)
def update_organisation(request, slug: str, payload: OrganisationPatch):
    organisation = rules.get_organisation(request.auth, slug)
    with transaction.atomic():
        return services.update_organisation(
            request.auth, organisation, **payload.dict(exclude_none=True)
        )


@router.get("/organisations/{slug}/members", response=list[MemberOut])
def list_members(request, slug: str):
    organisation = rules.get_organisation(request.auth, slug)
    if not rules.can_see_members(request.auth, organisation):
        raise Denied(f"Only members of {organisation} can see its members.")
    return list(organisation.memberships.select_related("user"))


@router.post("/organisations/{slug}/invitations", response={201: InvitationOut})
def invite(request, slug: str, payload: InvitationIn):
    organisation = rules.get_organisation(request.auth, slug)

    def link_for(token: str) -> str:
        return request.build_absolute_uri(reverse("accounts:join", args=[token]))

    with transaction.atomic():
        issued = services.invite_person(
            request.auth,
            organisation=organisation,
            email=payload.email,
            level=payload.level,
            is_admin=payload.is_admin,
            link_for=link_for,
        )
    invitation = issued.invitation
    return Status(
        201,
        {
            "id": invitation.pk,
            "email": invitation.email,
            "level": invitation.level,
            "is_admin": invitation.is_admin,
            "expires_at": invitation.expires_at,
            "accept_url": link_for(issued.token),
        },
    )


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens (never the secrets)")
def list_tokens(request):
    return list(ApiToken.objects.filter(user=request.auth))


@router.post("/tokens", response={201: TokenCreated}, summary="Create a token (shown once)")
def create_token(request, payload: TokenIn):
    with transaction.atomic():
        issued = services.create_token(
            request.auth, name=payload.name, expires_in_days=payload.expires_in_days
        )
    token = issued.token
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": issued.raw})


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke a token")
def revoke_token(request, token_id: int):
    with transaction.atomic():
        return services.revoke_token(request.auth, token_id=token_id)
