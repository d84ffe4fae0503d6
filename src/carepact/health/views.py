"""Health-check pages: each view parses input, calls one service, renders the result.

The respondent pages need no sign-in (the personal link is the credential) and say so with
``login_not_required``; every other page is for members of the partnership's parties.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from carepact.core import clock
from carepact.core.errors import Invalid, NotFound
from carepact.core.forms import apply_errors, submit
from carepact.engine.health import instrument as ins
from carepact.engine.health.playbook import entries
from carepact.health import forms, presenters, rules, services, tokens
from carepact.health.models import Round
from carepact.partnerships import services as partnership_services


def _link_for(request):
    return lambda token: request.build_absolute_uri(reverse("health:respond", args=[token]))


def _context(request, slug: str) -> tuple:
    partnership, access = partnership_services.get_with_access(request.user, slug)
    rules.check(access, rules.HealthAction.VIEW)
    return partnership, access, rules.allowed(access)


def overview(request, slug: str):
    partnership, _, allowed = _context(request, slug)
    rounds = services.rounds_of(partnership)
    current = next((r for r in rounds if r.is_open), None)
    latest = next((r for r in rounds if not r.is_open and r.kind == Round.Kind.FULL), None)
    report = services.report_for(latest) if latest else None
    return render(
        request,
        "health/overview.html",
        {
            "partnership": partnership,
            "allowed": allowed,
            "rounds": rounds,
            "current": current,
            "counts": services.participation(current) if current else None,
            "latest": latest,
            "report": report,
            "index_band": presenters.index_band(report.get("index")) if report else None,
            "warnings": presenters.warnings(report)[:5] if report else [],
            "invitation": services.my_invitation(request.user, partnership),
        },
    )


@require_http_methods(["GET", "POST"])
def round_new(request, slug: str):
    partnership, access, _ = _context(request, slug)
    rules.check(access, rules.HealthAction.MANAGE)
    form = forms.OpenRoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, found = submit(
            form,
            lambda: services.open_round(
                request.user, partnership, link_for=_link_for(request), **form.cleaned_data
            ),
        )
        if ok:
            messages.success(
                request,
                f"Health check {found.number} is open: everyone in every party has their own "
                "link by e-mail. Watch the response rates here; results appear when it closes.",
            )
            return redirect("health:round", slug=slug, number=found.number)
    return render(request, "health/round_new.html", {"partnership": partnership, "form": form})


def round_detail(request, slug: str, number: int):
    partnership, _, allowed = _context(request, slug)
    found = services.get_round(request.user, partnership, number)
    counts = services.participation(found)
    return render(
        request,
        "health/round.html",
        {
            "partnership": partnership,
            "allowed": allowed,
            "round": found,
            "counts": counts,
            "overdue": found.is_open and found.closes_on < clock.now().date(),
            "invitation": services.my_invitation(request.user, partnership)
            if found.is_open
            else None,
        },
    )


@require_POST
def round_close(request, slug: str, number: int):
    partnership = partnership_services.get_partnership(request.user, slug)
    found = services.get_round(request.user, partnership, number)
    with transaction.atomic():
        services.close_round(request.user, found)
    messages.success(request, f"Health check {number} is closed and its results are ready.")
    return redirect("health:results", slug=slug, number=number)


@require_POST
def round_remind(request, slug: str, number: int):
    partnership = partnership_services.get_partnership(request.user, slug)
    found = services.get_round(request.user, partnership, number)
    with transaction.atomic():
        sent = services.send_reminders(request.user, found, link_for=_link_for(request))
    if sent:
        messages.success(
            request, f"A reminder went to the {sent} people who have not answered yet."
        )
    else:
        messages.info(request, "Everyone invited has answered: nobody needed a reminder.")
    return redirect("health:round", slug=slug, number=number)


def results(request, slug: str, number: int):
    partnership, _, allowed = _context(request, slug)
    found = services.get_round(request.user, partnership, number)
    report = services.report_for(found)
    names = presenters.names_of(report)
    return render(
        request,
        "health/results.html",
        {
            "partnership": partnership,
            "allowed": allowed,
            "round": found,
            "report": report,
            "names": names,
            "parties": presenters.shown_parties(report),
            "rows": presenters.construct_rows(report),
            "heat_rows": presenters.heat_rows(report),
            "index_band": presenters.index_band(report.get("index")),
            "warnings": presenters.warnings(report),
            "rules": presenters.rules(report),
            "profile": presenters.profile_figure(report),
            "heatmap": presenters.heatmap_figure(report),
            "shares": presenters.shares_figure(report),
            "trend": presenters.trend_figure(report),
            "trust_trend": presenters.group_trend_figure(report, "C2"),
            "index_trend": presenters.index_figure(report),
            "alignment": _alignment_rows(report, names),
            "power": _power_rows(report, names),
        },
    )


def _alignment_rows(report: dict, names: dict) -> dict | None:
    alignment = report.get("alignment")
    if not alignment:
        return None
    construct_names = {c["code"]: c["name"] for c in report["constructs"]}
    fmt = presenters.fmt
    return {
        "gaps": _gap_groups(alignment["party_gaps"], construct_names, names),
        "icc": [
            {**i, "name": construct_names[i["construct"]], "icc1_text": fmt(i["icc1"])}
            for i in alignment["icc"]
        ],
        "fragmented": [
            {**g, "name": construct_names[g["construct"]], "party_name": names[g["party"]]}
            for g in alignment["agreement"]
            if g["fragmented"]
        ],
        "groups": len(alignment["agreement"]),
        "levels": [
            {
                **g,
                "name": construct_names[g["construct"]],
                "party_name": names[g["party"]],
                "spread_text": fmt(g["spread"]),
                "leaders_text": "—"
                if g["leaders_minus_specialists"] is None
                else f"{g['leaders_minus_specialists']:+.2f}",
            }
            for g in alignment["level_gaps"]
            if g["spread"] >= 0.5
        ],
        "self_other": [
            {**s, "name": construct_names[s["construct"]], "party_name": names[s["party"]]}
            for s in alignment["self_other"]
        ],
        "asymmetry": [
            {**t, "a_name": names[t["a"]], "b_name": names[t["b"]]}
            for t in alignment["trust_asymmetry"]
        ],
        "alpha": alignment["profile_alpha"],
    }


def _gap_groups(gaps: list[dict], construct_names: dict, names: dict) -> list[dict]:
    """Gaps between parties, one table per pair of parties."""
    groups: dict[tuple[str, str], dict] = {}
    for g in gaps:
        group = groups.setdefault(
            (g["a"], g["b"]), {"title": f"{names[g['a']]} minus {names[g['b']]}", "rows": []}
        )
        group["rows"].append(
            {
                **g,
                "name": construct_names[g["construct"]],
                "difference_text": f"{g['difference']:+.2f}",
                "ci_text": presenters.ci_text(g["ci"]),
                "g_text": presenters.fmt(g["hedges_g"]),
                "large": abs(g["difference"]) >= 0.5,
            }
        )
    return list(groups.values())


def _power_rows(report: dict, names: dict) -> dict | None:
    power = report.get("power")
    if not power:
        return None
    pct = presenters.pct
    return {
        "voice": [
            {"name": names[p], "value": presenters.fmt(v), "low": v is not None and v < 3}
            for p, v in power["voice"].items()
        ],
        "voice_gap": presenters.fmt(power["voice_gap"]),
        "balance_index": presenters.fmt(power["balance_index"]),
        "shares": [
            {
                **s,
                "name": names[s["party"]],
                "perceived_text": pct(s["perceived"]),
                "intended_text": pct(s["intended"]),
                "self_text": pct(s["self_view"]),
                "others_text": pct(s["others_view"]),
            }
            for s in power["shares"]
        ],
        "behavioural": power["behavioural"],
        "behaviour": _behaviour_rows(power, names),
    }


BEHAVIOUR_MEASURES = (
    ("decisions_proposed", "Decisions proposed"),
    ("agenda_items", "Agenda items"),
    ("attendance", "Attendance"),
)


def _behaviour_rows(power: dict, names: dict) -> dict | None:
    """Each party's share of what the governance record shows, beside its perceived share."""
    value = power["behavioural"].get("value")
    if not power["behavioural"]["measured"] or not isinstance(value, dict):
        return None
    measures = [(key, label) for key, label in BEHAVIOUR_MEASURES if value.get(key)]
    perceived = {s["party"]: s["perceived"] for s in power["shares"]}
    return {
        "measures": [label for _, label in measures],
        "rows": [
            {
                "name": names.get(party, party),
                "perceived": presenters.pct(perceived.get(party)),
                "values": [presenters.pct(value[key].get(party)) for key, _ in measures],
            }
            for party in names
        ],
    }


def results_csv(request, slug: str, number: int):
    partnership, _, _ = _context(request, slug)
    found = services.get_round(request.user, partnership, number)
    report = services.report_for(found)
    response = HttpResponse(presenters.csv_text(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{partnership.slug}-health-{found.number}.csv"'
    )
    return response


@require_http_methods(["GET", "POST"])
def settings_page(request, slug: str):
    partnership, access, _ = _context(request, slug)
    rules.check(access, rules.HealthAction.CONFIGURE)
    current = services.settings_for(partnership)
    parties = [p.organisation for p in partnership_services.parties_of(partnership)]
    form = forms.SettingsForm(
        request.POST if request.method == "POST" else None, parties=parties, current=current
    )
    if request.method == "POST" and form.is_valid():
        ok, _ = submit(
            form, lambda: services.update_settings(request.user, partnership, **form.values())
        )
        if ok:
            messages.success(request, "The health settings are saved; past results are recomputed.")
            return redirect("health:overview", slug=slug)
    return render(
        request,
        "health/settings.html",
        {"partnership": partnership, "form": form, "parties": parties},
    )


def answer(request, slug: str):
    """A signed-in member's shortcut to their own link for the open round."""
    partnership, _, _ = _context(request, slug)
    invitation = services.my_invitation(request.user, partnership)
    if invitation is None:
        raise NotFound("You have no unanswered health check in this partnership.")
    return redirect("health:respond", token=tokens.link_token(invitation))


def playbook(request):
    return render(request, "health/playbook.html", {"entries": entries().values()})


# -- answering (no sign-in: the link is the credential) -------------------------------------


def _respondent_context(invitation, step: str | None) -> dict:
    round = invitation.round
    instrument = ins.load(round.instrument)
    own = invitation.organisation.slug
    parties = sorted(
        ((p["key"], p["name"]) for p in round.parties), key=lambda kv: (kv[0] != own, kv[1])
    )
    steps = instrument.steps(round.kind)
    draft = services.draft_of(invitation)
    saved = dict(draft.answers) if draft else {}
    progress = []
    for s in steps:
        keys = instrument.answer_keys(round.kind, [k for k, _ in parties], s)
        title = (
            "In your own words"
            if s == "open"
            else "Pulse"
            if s == "pulse"
            else (instrument.construct(s).name)
        )
        progress.append(
            {
                "step": s,
                "title": title,
                "answered": sum(k in saved for k in keys),
                "asked": len(keys),
            }
        )
    return {
        "invitation": invitation,
        "round": round,
        "partnership": round.partnership,
        "instrument": instrument,
        "parties": parties,
        "own": own,
        "steps": steps,
        "progress": progress,
        "saved": saved,
        "token": tokens.link_token(invitation),
        "level_label": invitation.get_level_display(),
    }


def _next_step(steps, step):
    index = steps.index(step)
    return steps[index + 1] if index + 1 < len(steps) else None


@login_not_required
def respond_start(request, token: str):
    invitation = services.find_invitation(token)
    ctx = _respondent_context(invitation, None)
    first = next((p["step"] for p in ctx["progress"] if not p["answered"]), ctx["steps"][0])
    return render(request, "health/respond_start.html", {**ctx, "first": first})


@login_not_required
@require_http_methods(["GET", "POST"])
def respond_step(request, token: str, step: str):
    invitation = services.find_invitation(token)
    ctx = _respondent_context(invitation, step)
    instrument, round = ctx["instrument"], ctx["round"]
    every = step == "all"
    if not every and step not in ctx["steps"]:
        raise NotFound("No such page in this health check.")
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        instrument=instrument,
        kind=round.kind,
        parties=ctx["parties"],
        own=ctx["own"],
        step=None if every or round.kind == ins.PULSE else step,
        saved=ctx["saved"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.save_answers(
                    invitation,
                    step=None if every else step,
                    answers=form.answers(),
                )
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            following = None if every else _next_step(ctx["steps"], step)
            if following and "back" not in request.POST:
                return redirect("health:respond_step", token=token, step=following)
            if "back" in request.POST and not every:
                index = ctx["steps"].index(step)
                if index:
                    return redirect(
                        "health:respond_step", token=token, step=ctx["steps"][index - 1]
                    )
                return redirect("health:respond", token=token)
            return redirect("health:respond_review", token=token)
    position = None if every else ctx["steps"].index(step) + 1
    return render(
        request,
        "health/respond_step.html",
        {**ctx, "form": form, "step": step, "every": every, "position": position},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def respond_review(request, token: str):
    invitation = services.find_invitation(token)
    ctx = _respondent_context(invitation, None)
    problem = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                services.submit_response(invitation)
        except Invalid as exc:
            problem = exc.reason
        else:
            return redirect("health:thanks")
    return render(request, "health/respond_review.html", {**ctx, "problem": problem})


@login_not_required
def thanks(request):
    return render(request, "health/thanks.html")
