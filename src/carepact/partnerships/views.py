"""Partnership pages: each view parses input, calls one service, renders the result."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from carepact.accounts.models import Membership
from carepact.core.forms import submit
from carepact.partnerships import forms, services
from carepact.partnerships.models import LIFECYCLE, TRANSITIONS, Stage
from carepact.partnerships.rules import ROLE_DESCRIPTIONS, Action


def dashboard(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    return render(
        request,
        "partnerships/dashboard.html",
        {
            "partnerships": services.partnerships_for(request.user),
            "invitations": services.pending_party_invitations(request.user),
            "memberships": memberships,
        },
    )


@require_http_methods(["GET", "POST"])
def partnership_new(request):
    form = forms.NewPartnershipForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, partnership = submit(
            form, lambda: services.create_partnership(request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request,
                "The partnership is started. Next: invite your partner organisations and "
                "name a champion.",
            )
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/partnership_form.html",
        {
            "form": form,
            "creating": True,
            "has_organisation": form.fields["organisation"].queryset.exists(),
        },
    )


def partnership_detail(request, slug: str):
    partnership, access = services.get_with_access(request.user, slug)
    roles = services.roles_of(partnership)
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "access": access,
            "parties": services.parties_of(partnership),
            "roles_by_org": [
                (org, list(items)) for org, items in groupby(roles, key=lambda r: r.organisation)
            ],
            "lifecycle": [(stage, Stage(stage).label) for stage in LIFECYCLE],
            "stage_index": LIFECYCLE.index(partnership.stage)
            if partnership.stage in LIFECYCLE
            else None,
            "options": services.stage_options(partnership),
            "glossary_count": partnership.glossary.count(),
            "recent": services.audit_trail(request.user, partnership)[:5],
        },
    )


@require_http_methods(["GET", "POST"])
def partnership_edit(request, slug: str):
    partnership, access = services.get_with_access(request.user, slug)
    access.check(Action.EDIT)
    initial = {f: getattr(partnership, f) for f in services.EDITABLE_FIELDS}
    form = forms.PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.update_partnership(request.user, partnership, **form.cleaned_data),
        )
        if ok:
            messages.success(request, "The partnership's details are saved.")
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "partnership": partnership, "creating": False},
    )


@require_http_methods(["GET", "POST"])
def invite_party(request, slug: str):
    partnership, access = services.get_with_access(request.user, slug)
    access.check(Action.INVITE_PARTY)
    form = forms.InvitePartyForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        link = request.build_absolute_uri(reverse("partnerships:invitations"))
        ok, party = submit(
            form,
            lambda: services.invite_organisation(
                request.user, partnership, link=link, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(
                request,
                f"{party.organisation} is invited. Its administrators will see the invitation "
                "on their dashboard and can accept or decline.",
            )
            return redirect("partnerships:detail", slug=partnership.slug)
    return render(
        request, "partnerships/invite_party.html", {"partnership": partnership, "form": form}
    )


def invitations(request):
    return render(
        request,
        "partnerships/invitations.html",
        {"invitations": services.pending_party_invitations(request.user)},
    )


@require_http_methods(["GET", "POST"])
def invitation_respond(request, party_id: int):
    party = services.get_party_invitation(request.user, party_id)
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        with transaction.atomic():
            services.respond_to_invitation(request.user, party, accept=accept)
        if accept:
            messages.success(
                request,
                f"{party.organisation} has joined {party.partnership}. Next: give your people "
                "their roles.",
            )
            return redirect("partnerships:detail", slug=party.partnership.slug)
        messages.info(request, f"You declined the invitation to {party.partnership}.")
        return redirect("dashboard")
    return render(request, "partnerships/invitation.html", {"party": party})


@require_http_methods(["GET", "POST"])
def roles(request, slug: str):
    partnership, access = services.get_with_access(request.user, slug)
    people = [m for m in services.people_of(partnership) if access.can_assign_for(m.organisation)]
    form = forms.AssignRoleForm(request.POST or None, people=people)
    if request.method == "POST":
        if not people:
            access.check(Action.ASSIGN_ROLES)
        if form.is_valid():
            membership = form.people[form.cleaned_data["membership"]]
            ok, _ = submit(
                form,
                lambda: services.assign_role(
                    request.user,
                    partnership,
                    person=membership.user,
                    organisation=membership.organisation,
                    role=form.cleaned_data["role"],
                ),
            )
            if ok:
                messages.success(request, f"{membership.user} has the new role.")
                return redirect("partnerships:roles", slug=slug)
    assignments = services.roles_of(partnership)
    return render(
        request,
        "partnerships/roles.html",
        {
            "partnership": partnership,
            "access": access,
            "form": form if people else None,
            "assignments": [(a, access.can_assign_for(a.organisation)) for a in assignments],
            "role_descriptions": [(role.label, text) for role, text in ROLE_DESCRIPTIONS.items()],
        },
    )


@require_POST
def role_remove(request, slug: str, role_id: int):
    partnership = services.get_partnership(request.user, slug)
    with transaction.atomic():
        services.remove_role(request.user, partnership, assignment_id=role_id)
    messages.success(request, "The role is removed.")
    return redirect("partnerships:roles", slug=slug)


@require_http_methods(["GET", "POST"])
def stage(request, slug: str):
    partnership, access = services.get_with_access(request.user, slug)
    access.check(Action.CHANGE_STAGE)
    form = forms.StageForm(
        request.POST or None,
        initial={"to": request.GET.get("to")},
        targets=TRANSITIONS[partnership.stage],
    )
    if request.method == "POST" and form.is_valid():
        ok, change = submit(
            form,
            lambda: services.change_stage(
                request.user,
                partnership,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            ),
        )
        if ok:
            messages.success(
                request, f"The partnership is now {Stage(change.to_stage).label.lower()}."
            )
            return redirect("partnerships:detail", slug=slug)
    return render(
        request,
        "partnerships/stage.html",
        {
            "partnership": partnership,
            "form": form,
            "options": services.stage_options(partnership),
            "history": partnership.stage_changes.select_related("changed_by"),
        },
    )


@require_http_methods(["GET", "POST"])
def glossary(request, slug: str):
    partnership, access = services.get_with_access(request.user, slug)
    form = forms.TermForm(request.POST or None)
    if request.method == "POST":
        access.check(Action.CONTRIBUTE)
        if form.is_valid():
            ok, term = submit(
                form, lambda: services.propose_term(request.user, partnership, **form.cleaned_data)
            )
            if ok:
                messages.success(
                    request, f"“{term.term}” is proposed; the other parties can now agree to it."
                )
                return redirect("partnerships:glossary", slug=slug)
    parties = services.parties_of(partnership)
    acting = access.acting_organisation
    terms = []
    for term in services.glossary_of(partnership):
        agreed, awaiting = services.term_status(term, parties)
        terms.append(
            {
                "term": term,
                "agreed": agreed,
                "awaiting": awaiting,
                "can_agree": access.can(Action.AGREE_FOR_PARTY) and acting in awaiting,
            }
        )
    return render(
        request,
        "partnerships/glossary.html",
        {"partnership": partnership, "access": access, "form": form, "terms": terms},
    )


@require_http_methods(["GET", "POST"])
def term_edit(request, slug: str, term_id: int):
    partnership, access = services.get_with_access(request.user, slug)
    term = services.get_term(request.user, partnership, term_id)
    access.check(Action.CONTRIBUTE)
    form = forms.TermForm(
        request.POST or None, initial={"term": term.term, "definition": term.definition}
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form,
            lambda: services.update_term(
                request.user,
                term,
                term_text=form.cleaned_data["term"],
                definition=form.cleaned_data["definition"],
            ),
        )
        if ok:
            messages.success(request, "The term is changed; the other parties must agree again.")
            return redirect("partnerships:glossary", slug=slug)
    return render(
        request,
        "partnerships/term_form.html",
        {"partnership": partnership, "term": term, "form": form},
    )


@require_POST
def term_agree(request, slug: str, term_id: int):
    partnership = services.get_partnership(request.user, slug)
    term = services.get_term(request.user, partnership, term_id)
    with transaction.atomic():
        agreement = services.agree_term(request.user, term)
    messages.success(request, f"{agreement.organisation} agrees to “{term.term}”.")
    return redirect("partnerships:glossary", slug=slug)


def audit(request, slug: str):
    partnership = services.get_partnership(request.user, slug)
    everything = services.audit_trail(request.user, partnership)
    actions = sorted(set(everything.values_list("action", flat=True)))
    people = sorted(
        {(a, label) for a, label in everything.values_list("actor_id", "actor_label") if a},
        key=lambda pair: pair[1],
    )
    form = forms.AuditFilterForm(request.GET or None, actions=actions, people=people)
    filters = form.cleaned_data if form.is_valid() else {}
    events = services.audit_trail(
        request.user,
        partnership,
        action=filters.get("action") or None,
        person_id=filters.get("person"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/audit.html",
        {
            "partnership": partnership,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "chain": services.verify_trail(partnership),
        },
    )
