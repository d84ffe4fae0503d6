"""Sign-in, invitations, organisations and API tokens: pages over the accounts services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from carepact.accounts import forms, rules, services
from carepact.accounts.models import ApiToken, Invitation, Membership, Organisation
from carepact.core.errors import NotFound
from carepact.core.forms import submit


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request, token: str):
    """Accept an invitation: sign in first if you have an account, else create one here."""
    invitation = services.find_invitation(token)
    has_account = services.User.objects.filter(email=invitation.email).exists()
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST":
        if request.user.is_authenticated:
            ok, _ = submit(form, lambda: services.accept_invitation(request.user, token=token))
            if ok:
                messages.success(request, f"You are now a member of {invitation.organisation}.")
                return redirect("accounts:organisation", slug=invitation.organisation.slug)
        elif not has_account and form.is_valid():
            ok, user = submit(
                form,
                lambda: services.create_account_from_invitation(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                ),
            )
            if ok:
                login(request, user, backend="carepact.accounts.backends.EmailBackend")
                messages.success(request, f"Welcome to carepact and to {invitation.organisation}.")
                return redirect("dashboard")
    return render(
        request,
        "accounts/join.html",
        {"invitation": invitation, "form": form, "has_account": has_account},
    )


@require_http_methods(["GET", "POST"])
def tokens(request):
    form = forms.TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        ok, issued = submit(
            form,
            lambda: services.create_token(
                request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            ),
        )
        if ok:
            form = forms.TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


@require_POST
def revoke_token(request, token_id: int):
    with transaction.atomic():
        token = services.revoke_token(request.user, token_id=token_id)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("accounts:tokens")


def organisation_list(request):
    mine = set(
        Membership.objects.filter(user=request.user).values_list("organisation_id", flat=True)
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": Organisation.objects.all(), "mine": mine},
    )


@require_http_methods(["GET", "POST"])
def organisation_new(request):
    form = forms.NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        level, job_title = data.pop("level"), data.pop("job_title")
        ok, organisation = submit(
            form,
            lambda: services.register_organisation(
                request.user, level=level, job_title=job_title, **data
            ),
        )
        if ok:
            messages.success(
                request, f"{organisation} is registered and you are its administrator."
            )
            return redirect("accounts:organisation", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


def organisation_detail(request, slug: str):
    organisation = rules.get_organisation(request.user, slug)
    can_admin = rules.can_administer(request.user, organisation)
    context = {
        "organisation": organisation,
        "can_admin": can_admin,
        "can_see_members": rules.can_see_members(request.user, organisation),
        "members": organisation.memberships.select_related("user"),
        "invitations": organisation.invitations.pending() if can_admin else [],
    }
    return render(request, "accounts/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug: str):
    organisation = rules.get_organisation(request.user, slug)
    rules.check_administer(request.user, organisation)
    form = forms.OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.update_organisation(
                request.user, Organisation.objects.get(pk=organisation.pk), **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, "The organisation's details are saved.")
            return redirect("accounts:organisation", slug=organisation.slug)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False},
    )


@require_http_methods(["GET", "POST"])
def invite_person(request, slug: str):
    organisation = rules.get_organisation(request.user, slug)
    rules.check_administer(request.user, organisation)
    form = forms.InvitePersonForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():

        def link_for(token: str) -> str:
            return request.build_absolute_uri(reverse("accounts:join", args=[token]))

        ok, issued = submit(
            form,
            lambda: services.invite_person(
                request.user, organisation=organisation, link_for=link_for, **form.cleaned_data
            ),
        )
        if ok:
            link = link_for(issued.token)
            messages.success(
                request,
                f"Invitation e-mailed to {issued.invitation.email}. You can also send them the "
                "link below; it is shown only now.",
            )
            form = forms.InvitePersonForm()
    return render(
        request,
        "accounts/invite_person.html",
        {"organisation": organisation, "form": form, "link": link},
    )


@require_POST
def revoke_invitation(request, slug: str, invitation_id: int):
    organisation = rules.get_organisation(request.user, slug)
    rules.check_administer(request.user, organisation)
    invitation = Invitation.objects.filter(organisation=organisation, pk=invitation_id).first()
    if invitation is None:
        raise NotFound("No such invitation.")
    with transaction.atomic():
        services.revoke_invitation(request.user, invitation)
    messages.success(request, f"The invitation for {invitation.email} is withdrawn.")
    return redirect("accounts:organisation", slug=slug)


@require_http_methods(["GET", "POST"])
def membership_edit(request, slug: str, membership_id: int):
    organisation = rules.get_organisation(request.user, slug)
    rules.check_administer(request.user, organisation)
    membership = (
        Membership.objects.filter(organisation=organisation, pk=membership_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise NotFound("No such member.")
    initial = {
        "level": membership.level,
        "job_title": membership.job_title,
        "is_admin": membership.is_admin,
    }
    form = forms.MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form, lambda: services.update_membership(request.user, membership, **form.cleaned_data)
        )
        if ok:
            messages.success(request, f"{membership.user}'s membership is updated.")
            return redirect("accounts:organisation", slug=slug)
    return render(
        request,
        "accounts/membership_form.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )
