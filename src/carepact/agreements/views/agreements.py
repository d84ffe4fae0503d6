"""Pages of a partnership's agreements: list, agreement, diff, export, obligations, portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carepact.agreements import documents, forms, services
from carepact.agreements.models import Proposal
from carepact.agreements.rules import AgreementAction
from carepact.agreements.views.common import detail_url, load
from carepact.core.errors import NotFound
from carepact.core.forms import submit
from carepact.engine.agreements.negotiation import VersionStatus
from carepact.engine.agreements.params import country_name
from carepact.engine.agreements.topics import KINDS, TOPICS, Kind
from carepact.partnerships import services as partnerships
from carepact.partnerships.models import Party


@require_http_methods(["GET", "POST"])
def agreement_list(request, slug: str):
    partnership = partnerships.get_partnership(request.user, slug)
    aa = services.agreement_access(request.user, partnership)
    organisations = [
        p.organisation
        for p in partnerships.parties_of(partnership)
        if p.status == Party.Status.ACTIVE
    ]
    form = forms.NewAgreementForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        aa.check(AgreementAction.DRAFT)
        if form.is_valid():
            ok, agreement = submit(
                form,
                lambda: services.create_agreement(
                    request.user,
                    partnership,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    parties=form.chosen(),
                    starter_clauses=form.cleaned_data["starter_clauses"],
                ),
            )
            if ok:
                messages.success(
                    request,
                    "The draft is started. Next: fill in what each clause needs, then open it "
                    "for negotiation.",
                )
                return redirect(detail_url(agreement))
    rows = []
    for agreement in services.agreements_of(partnership):
        versions = list(agreement.versions.all())
        rows.append(
            {
                "agreement": agreement,
                "kind": KINDS[Kind(agreement.kind)].label,
                "current": versions[-1],
                "signed": next(
                    (v for v in reversed(versions) if v.status == VersionStatus.SIGNED), None
                ),
                "parties": [p.organisation for p in agreement.parties.all()],
            }
        )
    open_counts = _open_counts(partnership)
    for row in rows:
        row["open_points"] = open_counts.get(row["agreement"].pk, 0)
    return render(
        request,
        "agreements/list.html",
        {
            "partnership": partnership,
            "aa": aa,
            "rows": rows,
            "form": form if aa.can(AgreementAction.DRAFT) else None,
            "obligations": services.obligations_of(request.user, partnership),
            "kinds": [(KINDS[k], [TOPICS[t].label for t in KINDS[k].required]) for k in Kind],
        },
    )


def _open_counts(partnership) -> dict[int, int]:
    return dict(
        Proposal.objects.filter(version__agreement__partnership=partnership, status="open")
        .values("version__agreement_id")
        .annotate(n=Count("id"))
        .values_list("version__agreement_id", "n")
    )


@require_GET
def agreement_detail(request, slug: str, agreement_id: int):
    partnership, agreement, aa = load(request, slug, agreement_id)
    versions = list(agreement.versions.select_related("amends").order_by("number"))
    current = versions[-1]
    shown = current
    if request.GET.get("version"):
        try:
            number = int(request.GET["version"])
        except ValueError:
            raise NotFound("No such version.") from None
        shown = next((v for v in versions if v.number == number), None)
        if shown is None:
            raise NotFound(f"This agreement has no version {number}.")
    views = services.clause_views(shown)
    completeness = services.completeness_of(shown, views)
    is_current = shown.pk == current.pk
    points = services.open_points(agreement, shown, aa) if is_current else []
    open_by_family = {p.proposal.family: p for p in points}
    for view in views:
        view.open_proposal = open_by_family.get(view.family)
    signatures = services.awaiting_signature(agreement, shown)
    signed_ids = {o.pk for o, s in signatures if s}
    can_sign_now = (
        is_current
        and shown.status == VersionStatus.SIGNING
        and any(o.pk not in signed_ids for o in aa.signs_for)
    )
    verification = services.verify(agreement, shown) if shown.is_frozen else None
    terms = services.data_use_terms(agreement, shown)
    terms_names = None
    if terms is not None:
        ctx = services.context_for(agreement, shown)
        terms_names = {
            "provider": ctx.party_name(terms.provider),
            "recipients": [ctx.party_name(r) for r in terms.recipients],
            "geography": [country_name(c) for c in terms.geography],
        }
    return render(
        request,
        "agreements/detail.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "aa": aa,
            "kind": KINDS[Kind(agreement.kind)],
            "parties": services.party_organisations(agreement),
            "versions": versions,
            "current": current,
            "version": shown,
            "is_current": is_current,
            "clauses": views,
            "completeness": completeness,
            "points": points,
            "send_refusal": services.send_refusal(shown) if is_current else None,
            "signatures": signatures,
            "can_sign_now": can_sign_now,
            "verification": verification,
            "stats": services.agreement_analytics(agreement),
            "terms": terms,
            "terms_names": terms_names,
            "editable": is_current
            and shown.status in (VersionStatus.DRAFT, VersionStatus.NEGOTIATING),
            "can_change": is_current
            and (
                (shown.status == VersionStatus.DRAFT and aa.can(AgreementAction.DRAFT))
                or (shown.status == VersionStatus.NEGOTIATING and aa.can(AgreementAction.PROPOSE))
            ),
            "respond_form": forms.RespondForm(),
        },
    )


@require_GET
def diff(request, slug: str, agreement_id: int):
    partnership, agreement, _ = load(request, slug, agreement_id)
    versions = list(agreement.versions.order_by("number"))
    numbers = [v.number for v in versions]
    if len(versions) < 2:
        raise NotFound("This agreement has only one version: there is nothing to compare.")
    current = versions[-1]
    default_before = current.amends.number if current.amends_id else numbers[-2]
    form = forms.DiffForm(
        request.GET or None,
        numbers=numbers,
        initial={"before": default_before, "after": current.number},
    )
    before_n, after_n = default_before, current.number
    if request.GET and form.is_valid():
        before_n, after_n = form.cleaned_data["before"], form.cleaned_data["after"]
    before = next(v for v in versions if v.number == before_n)
    after = next(v for v in versions if v.number == after_n)
    changes = services.compare(agreement, before, after)
    return render(
        request,
        "agreements/diff.html",
        {
            "partnership": partnership,
            "agreement": agreement,
            "form": form,
            "before": before,
            "after": after,
            "before_name": f"Version {before.number}",
            "after_name": f"Version {after.number}",
            "changes": [c for c in changes if c.change != "unchanged"],
            "unchanged": [c for c in changes if c.change == "unchanged"],
        },
    )


@require_GET
def export(request, slug: str, agreement_id: int, number: int, fmt: str):
    _, agreement, _ = load(request, slug, agreement_id)
    version = services.get_version(agreement, number)
    if fmt not in documents.FORMATS:
        raise NotFound("Export as docx, pdf or md.")
    content, content_type, filename = documents.export(agreement, version, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def obligation_met(request, slug: str, obligation_id: int):
    partnership = partnerships.get_partnership(request.user, slug)
    obligation = services.get_obligation(request.user, partnership, obligation_id)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with transaction.atomic():
        services.meet_obligation(request.user, obligation, note=note)
    messages.success(request, "The obligation is recorded as met.")
    return redirect(reverse("agreements:list", kwargs={"slug": partnership.slug}) + "#obligations")


@require_GET
def mine(request):
    organisations = services.portfolio_organisations(request.user)
    form = forms.PortfolioForm(request.GET or None, organisations=organisations)
    chosen = None
    if organisations:
        slug = form.cleaned_data["organisation"] if request.GET and form.is_valid() else None
        chosen = next((o for o in organisations if o.slug == slug), organisations[0])
    result = services.portfolio(request.user, chosen) if chosen else None
    by_kind = (
        [(KINDS[Kind(k)].label, d) for k, d in result.stats.median_days_by_kind.items()]
        if result
        else []
    )
    return render(
        request,
        "agreements/mine.html",
        {"form": form, "organisation": chosen, "portfolio": result, "by_kind": by_kind},
    )
