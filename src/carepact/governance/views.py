"""Governance pages: each view parses input, calls a service and renders the result."""

from __future__ import annotations

import plotly.graph_objects as go
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from carepact.core.charts import style
from carepact.core.errors import Conflict, Invalid
from carepact.core.forms import submit
from carepact.engine import governance as calc
from carepact.governance import forms, report, services
from carepact.governance.models import Action, Escalation, Meeting, Risk
from carepact.partnerships import services as partnerships
from carepact.partnerships.rules import Action as Do


def _context(request, slug):
    partnership, access = partnerships.get_with_access(request.user, slug)
    people = partnerships.people_of(partnership)
    return partnership, access, people, {str(m.pk): m for m in people}


def _person(by_id, key):
    membership = by_id.get(key)
    if membership is None:
        raise Invalid("Choose a person from the parties.")
    return membership


def _shares_figure(shares: services.Shares, names: dict[str, str]):
    fig = style(go.Figure(), height=300)
    for label, values in (
        ("Decisions proposed", shares.decisions_proposed),
        ("Agenda items", shares.agenda_items),
        ("Attendance", shares.attendance),
    ):
        if values:
            fig.add_bar(
                x=[names[p] for p in shares.parties],
                y=[round(100 * values[p]) for p in shares.parties],
                name=label,
            )
    fig.update_yaxes(title_text="% share", range=[0, 100])
    fig.update_xaxes(title_text="Party")
    return fig if fig.data else None


def _heat_figure(risks):
    grid = calc.heat_grid((r.likelihood, r.impact) for r in risks)
    fig = style(
        go.Figure(
            go.Heatmap(
                z=grid,
                x=[f"likelihood {i}" for i in range(1, 6)],
                y=[f"impact {i}" for i in range(1, 6)],
                colorscale=[[0, "#f3f5f8"], [0.5, "#f6c667"], [1, "#a32020"]],
                showscale=False,
                text=grid,
                texttemplate="%{text}",
            )
        ),
        height=320,
    )
    return fig


def overview(request, slug):
    partnership, access, _, _ = _context(request, slug)
    shares = services.behavioural_shares(partnership)
    names = {o.slug: o.name for o in partnership_orgs(partnership)}
    open_risks = list(services.risks_of(partnership).filter(status=Risk.Status.OPEN))
    return render(
        request,
        "governance/overview.html",
        {
            "partnership": partnership,
            "access": access,
            "bodies": services.bodies_of(partnership),
            "overdue": services.overdue_actions(partnership).select_related("owner"),
            "open_escalations": services.open_escalations(partnership).count(),
            "overdue_reviews": services.overdue_reviews(partnership).count(),
            "decisions": services.decisions_of(partnership)[:5],
            "meetings": services.meetings_of(partnership)[:3],
            "shares": shares,
            "shares_figure": _shares_figure(shares, names),
            "heat_figure": _heat_figure(open_risks) if open_risks else None,
        },
    )


def partnership_orgs(partnership):
    return [p.organisation for p in partnerships.parties_of(partnership) if p.status == "active"]


@require_http_methods(["GET", "POST"])
def bodies(request, slug):
    partnership, access, _, _ = _context(request, slug)
    form = forms.BodyForm(request.POST or None) if access.can(Do.EDIT) else None
    all_bodies = list(services.bodies_of(partnership))
    route_form = forms.RouteForm(bodies=all_bodies) if access.can(Do.EDIT) and all_bodies else None
    if request.method == "POST":
        access.check(Do.EDIT)
        if form.is_valid():
            ok, body = submit(
                form, lambda: services.create_body(request.user, partnership, **form.cleaned_data)
            )
            if ok:
                messages.success(request, f"{body} is set up. Next: add its members.")
                return redirect("governance:body", slug=slug, body_id=body.pk)
    return render(
        request,
        "governance/bodies.html",
        {
            "partnership": partnership,
            "access": access,
            "bodies": all_bodies,
            "form": form,
            "route_form": route_form,
            "routes": partnership.routes.select_related("body"),
        },
    )


@require_POST
def route(request, slug):
    partnership, access, _, _ = _context(request, slug)
    access.check(Do.EDIT)
    form = forms.RouteForm(request.POST, bodies=list(partnership.bodies.all()))
    if form.is_valid():
        body = services.get_body(request.user, partnership, int(form.cleaned_data["body"]))
        ok, _ = submit(
            form,
            lambda: services.set_route(
                request.user,
                partnership,
                kind=form.cleaned_data["kind"],
                body=body,
                respond_within_days=form.cleaned_data["respond_within_days"],
            ),
        )
        if ok:
            messages.success(request, "The route is set.")
            return redirect("governance:bodies", slug=slug)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("governance:bodies", slug=slug)


@require_http_methods(["GET", "POST"])
def body(request, slug, body_id):
    partnership, access, people, by_id = _context(request, slug)
    found = services.get_body(request.user, partnership, body_id)
    form = forms.MemberForm(request.POST or None, people=people) if access.can(Do.EDIT) else None
    if request.method == "POST":
        access.check(Do.EDIT)
        if form.is_valid():
            membership = _person(by_id, form.cleaned_data["membership"])
            ok, _ = submit(
                form,
                lambda: services.add_member(
                    request.user,
                    found,
                    person=membership.user,
                    organisation=membership.organisation,
                    is_chair=form.cleaned_data["is_chair"],
                    votes=form.cleaned_data["votes"],
                ),
            )
            if ok:
                messages.success(request, f"{membership.user} now sits on {found}.")
                return redirect("governance:body", slug=slug, body_id=found.pk)
    return render(
        request,
        "governance/body.html",
        {
            "partnership": partnership,
            "access": access,
            "body": found,
            "members": found.members.select_related("person", "organisation"),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def meetings(request, slug):
    partnership, access, people, by_id = _context(request, slug)
    all_bodies = list(partnership.bodies.all())
    parties = partnership_orgs(partnership)
    can = access.can(Do.CONTRIBUTE) and bool(all_bodies)
    form = (
        forms.MeetingForm(request.POST or None, bodies=all_bodies, people=people, parties=parties)
        if can
        else None
    )
    if request.method == "POST":
        access.check(Do.CONTRIBUTE)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            by_org = {str(o.pk): o for o in parties}
            agenda = [
                (data[f"agenda_{i}"], by_org[data[f"agenda_{i}_party"]])
                for i in range(1, form.AGENDA_ROWS + 1)
                if data.get(f"agenda_{i}")
            ]
            attendees = [(by_id[k].user, by_id[k].organisation) for k in data["attendees"]]
            found = services.get_body(request.user, partnership, int(data["body"]))
            ok, meeting = submit(
                form,
                lambda: services.record_meeting(
                    request.user,
                    partnership,
                    body=found,
                    held_on=data["held_on"],
                    title=data["title"],
                    minutes=data["minutes"],
                    agenda=agenda,
                    attendees=attendees,
                ),
            )
            if ok:
                messages.success(
                    request, "The meeting is recorded. Next: its decisions and actions."
                )
                return redirect("governance:meeting", slug=slug, meeting_id=meeting.pk)
    return render(
        request,
        "governance/meetings.html",
        {
            "partnership": partnership,
            "access": access,
            "meetings": services.meetings_of(partnership),
            "form": form,
            "needs_body": not all_bodies,
        },
    )


def meeting(request, slug, meeting_id):
    partnership, access, _, _ = _context(request, slug)
    found = services.get_object(request.user, partnership, Meeting, meeting_id)
    return render(
        request,
        "governance/meeting.html",
        {
            "partnership": partnership,
            "access": access,
            "meeting": services.meetings_of(partnership).get(pk=found.pk),
            "decisions": services.decisions_of(partnership).filter(meeting=found),
            "actions": services.actions_of(partnership).filter(meeting=found),
        },
    )


@require_http_methods(["GET", "POST"])
def decisions(request, slug):
    partnership, access, people, by_id = _context(request, slug)
    all_bodies = list(partnership.bodies.all())
    parties = partnership_orgs(partnership)
    form = None
    if access.can(Do.CONTRIBUTE) and all_bodies:
        form = forms.DecisionForm(
            request.POST or None,
            bodies=all_bodies,
            meetings=partnership.meetings.all()[:50],
            people=people,
            parties=parties,
        )
    if request.method == "POST":
        access.check(Do.CONTRIBUTE)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            proposer = _person(by_id, data["proposed_by"])
            found = services.get_body(request.user, partnership, int(data["body"]))
            at = (
                services.get_object(request.user, partnership, Meeting, int(data["meeting"]))
                if data["meeting"]
                else None
            )
            positions = {o: (data[f"vote_{o.pk}"], data[f"note_{o.pk}"]) for o in parties}
            ok, _ = submit(
                form,
                lambda: services.record_decision(
                    request.user,
                    partnership,
                    body=found,
                    meeting=at,
                    title=data["title"],
                    detail=data["detail"],
                    proposed_by=proposer.user,
                    proposed_for=proposer.organisation,
                    decided_on=data["decided_on"],
                    outcome=data["outcome"],
                    positions=positions,
                ),
            )
            if ok:
                messages.success(request, "The decision is on the record.")
                return redirect("governance:decisions", slug=slug)
    shares = services.behavioural_shares(partnership)
    return render(
        request,
        "governance/decisions.html",
        {
            "partnership": partnership,
            "access": access,
            "decisions": services.decisions_of(partnership),
            "form": form,
            "needs_body": not all_bodies,
            "shares": shares,
            "shares_figure": _shares_figure(shares, {o.slug: o.name for o in parties}),
        },
    )


@require_http_methods(["GET", "POST"])
def actions(request, slug):
    partnership, access, people, by_id = _context(request, slug)
    form = (
        forms.ActionForm(request.POST or None, people=people) if access.can(Do.CONTRIBUTE) else None
    )
    if request.method == "POST":
        access.check(Do.CONTRIBUTE)
        if form.is_valid():
            owner = _person(by_id, form.cleaned_data["owner"])
            ok, _ = submit(
                form,
                lambda: services.create_action(
                    request.user,
                    partnership,
                    title=form.cleaned_data["title"],
                    owner=owner.user,
                    owner_organisation=owner.organisation,
                    due_on=form.cleaned_data["due_on"],
                ),
            )
            if ok:
                messages.success(request, "The action is recorded.")
                return redirect("governance:actions", slug=slug)
    today = services.today()
    rows = [
        (a, a.is_overdue(today), a.owner_id == request.user.pk or access.can(Do.EDIT))
        for a in services.actions_of(partnership)
    ]
    return render(
        request,
        "governance/actions.html",
        {"partnership": partnership, "access": access, "rows": rows, "form": form},
    )


@require_POST
def action_status(request, slug, action_id):
    partnership, _, _, _ = _context(request, slug)
    found = services.get_object(request.user, partnership, Action, action_id)
    with transaction.atomic():
        services.set_action_status(request.user, found, status=request.POST.get("status", ""))
    messages.success(request, f"'{found}' is now {found.get_status_display().lower()}.")
    return redirect("governance:actions", slug=slug)


@require_http_methods(["GET", "POST"])
def escalations(request, slug):
    partnership, access, _, _ = _context(request, slug)
    form = forms.EscalationForm(request.POST or None) if access.party_organisations else None
    if request.method == "POST":
        services.check_raise(access)
        if form.is_valid():
            ok, found = submit(
                form,
                lambda: services.raise_escalation(request.user, partnership, **form.cleaned_data),
            )
            if ok:
                messages.success(
                    request,
                    f"Your {found.get_kind_display().lower()} is raised"
                    + (f" and goes to {found.handled_by}" if found.handled_by else "")
                    + (
                        ", with your name hidden from the other parties."
                        if found.anonymous
                        else "."
                    ),
                )
                return redirect("governance:escalation", slug=slug, escalation_id=found.pk)
    today = services.today()
    rows = [
        (
            e,
            services.author_for(e, access),
            e.respond_by and e.status != "resolved" and e.respond_by < today,
        )
        for e in services.escalations_of(partnership)
    ]
    return render(
        request,
        "governance/escalations.html",
        {"partnership": partnership, "access": access, "rows": rows, "form": form},
    )


@require_http_methods(["GET", "POST"])
def escalation(request, slug, escalation_id):
    partnership, access, _, _ = _context(request, slug)
    found = services.get_object(request.user, partnership, Escalation, escalation_id)
    can_handle = services.can_handle(access, found, request.user)
    form = (
        forms.HandleForm(request.POST or None, initial={"status": found.status})
        if can_handle
        else None
    )
    if request.method == "POST":
        services.check_handle(access, found, request.user)
        if found.status == Escalation.Status.RESOLVED:
            raise Conflict("This is already resolved.")
        if form.is_valid():
            ok, _ = submit(
                form, lambda: services.handle_escalation(request.user, found, **form.cleaned_data)
            )
            if ok:
                messages.success(request, "Saved.")
                return redirect("governance:escalation", slug=slug, escalation_id=found.pk)
    return render(
        request,
        "governance/escalation.html",
        {
            "partnership": partnership,
            "access": access,
            "escalation": found,
            "author": services.author_for(found, access),
            "form": form if found.status != "resolved" else None,
        },
    )


def _risk_fields(data, by_id):
    return {**data, "owner": _person(by_id, data["owner"]).user}


@require_http_methods(["GET", "POST"])
def risks(request, slug):
    partnership, access, people, by_id = _context(request, slug)
    form = (
        forms.RiskForm(request.POST or None, people=people) if access.can(Do.CONTRIBUTE) else None
    )
    if request.method == "POST":
        access.check(Do.CONTRIBUTE)
        if form.is_valid():
            fields = _risk_fields(form.cleaned_data, by_id)
            ok, _ = submit(form, lambda: services.create_risk(request.user, partnership, **fields))
            if ok:
                messages.success(request, "The risk is on the register.")
                return redirect("governance:risks", slug=slug)
    all_risks = list(services.risks_of(partnership))
    open_risks = [r for r in all_risks if r.status == Risk.Status.OPEN]
    today = services.today()
    rows = [
        (r, calc.risk_level(r.likelihood, r.impact), r.status == "open" and r.review_on < today)
        for r in all_risks
    ]
    return render(
        request,
        "governance/risks.html",
        {
            "partnership": partnership,
            "access": access,
            "rows": rows,
            "form": form,
            "heat_figure": _heat_figure(open_risks) if open_risks else None,
        },
    )


@require_http_methods(["GET", "POST"])
def risk_edit(request, slug, risk_id):
    partnership, access, people, by_id = _context(request, slug)
    found = services.get_object(request.user, partnership, Risk, risk_id)
    access.check(Do.CONTRIBUTE)
    owner_key = next((k for k, m in by_id.items() if m.user_id == found.owner_id), "")
    initial = {f: getattr(found, f) for f in services.RISK_FIELDS if f != "owner"}
    form = forms.RiskForm(
        request.POST or None, people=people, initial={**initial, "owner": owner_key}
    )
    if request.method == "POST" and form.is_valid():
        fields = _risk_fields(form.cleaned_data, by_id)
        ok, _ = submit(form, lambda: services.update_risk(request.user, found, **fields))
        if ok:
            messages.success(request, "The risk is updated.")
            return redirect("governance:risks", slug=slug)
    return render(
        request,
        "governance/risk_form.html",
        {"partnership": partnership, "risk": found, "form": form},
    )


def progress_report(request, slug):
    partnership, access, _, _ = _context(request, slug)
    return render(
        request,
        "governance/report.html",
        {"partnership": partnership, "access": access, "report": report.build(partnership)},
    )


def progress_report_pdf(request, slug):
    partnership, _, _, _ = _context(request, slug)
    pdf = report.render_pdf(partnership, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-progress.pdf"'
    return response
