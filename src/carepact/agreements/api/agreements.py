"""Agreements, their diffs, documents, data-use terms, obligations and analytics as JSON."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Status

from carepact.accounts.models import Organisation
from carepact.agreements import documents, services
from carepact.agreements.api import router
from carepact.agreements.api.output import agreement_out, load, obligation_out, single_proposal
from carepact.agreements.api.schemas import (
    AgreementIn,
    AgreementOut,
    AgreementSummary,
    ClauseAddIn,
    ClausePatch,
    CommentIn,
    DiffOut,
    DiffQuery,
    ExportQuery,
    NoteIn,
    ObligationOut,
    PortfolioQuery,
    ProposalIn,
    ProposalOut,
)
from carepact.core.errors import Conflict, Invalid, NotFound
from carepact.partnerships import services as partnerships

P = "/partnerships/{slug}/agreements"
A = P + "/{agreement_id}"


@router.get(P, response=list[AgreementSummary], summary="A partnership's agreements")
def list_agreements(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    out = []
    for agreement in services.agreements_of(partnership):
        versions = list(agreement.versions.all())
        signed = next((v for v in reversed(versions) if v.status == "signed"), None)
        out.append(
            {
                "id": agreement.pk,
                "kind": agreement.kind,
                "title": agreement.title,
                "parties": [p.organisation.slug for p in agreement.parties.all()],
                "version": versions[-1].number,
                "status": versions[-1].status,
                "signed_version": signed.number if signed else None,
                "sha256": signed.hash if signed else None,
                "created_at": agreement.created_at,
            }
        )
    return out


@router.post(P, response={201: AgreementOut}, summary="Start an agreement (version 1, draft)")
def create_agreement(request, slug: str, payload: AgreementIn):
    partnership = partnerships.get_partnership(request.auth, slug)
    parties = None
    if payload.parties:
        parties = list(Organisation.objects.filter(slug__in=payload.parties))
        if len(parties) != len(set(payload.parties)):
            raise Invalid("Unknown organisation.", errors={"parties": ["Unknown organisation."]})
    with transaction.atomic():
        agreement = services.create_agreement(
            request.auth,
            partnership,
            kind=payload.kind,
            title=payload.title,
            parties=parties,
            starter_clauses=payload.starter_clauses,
        )
    return Status(201, agreement_out(request.auth, agreement))


@router.get(
    A, response=AgreementOut, summary="An agreement: clauses, gaps, open points, signatures"
)
def get_agreement(request, slug: str, agreement_id: int):
    _, agreement = load(request.auth, slug, agreement_id)
    return agreement_out(request.auth, agreement)


@router.post(A + "/clauses", response={201: AgreementOut}, summary="Add a clause (or propose it)")
def add_clause(request, slug: str, agreement_id: int, payload: ClauseAddIn):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.add_clause(
            request.auth,
            agreement,
            clause_key=payload.clause,
            parameters=payload.parameters,
            comment=payload.comment,
        )
    return Status(201, agreement_out(request.auth, agreement))


@router.patch(
    A + "/clauses/{family}", response=AgreementOut, summary="Change a clause (or propose it)"
)
def update_clause(request, slug: str, agreement_id: int, family: str, payload: ClausePatch):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.update_clause(
            request.auth,
            agreement,
            family=family,
            clause_key=payload.clause,
            parameters=payload.parameters,
            use_latest=payload.use_latest,
            comment=payload.comment,
        )
    return agreement_out(request.auth, agreement)


@router.delete(
    A + "/clauses/{family}", response=AgreementOut, summary="Remove a clause (or propose it)"
)
def remove_clause(request, slug: str, agreement_id: int, family: str, payload: CommentIn = None):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.remove_clause(
            request.auth, agreement, family=family, comment=payload.comment if payload else ""
        )
    return agreement_out(request.auth, agreement)


@router.post(A + "/negotiate", response=AgreementOut, summary="Open a draft for negotiation")
def open_negotiation(request, slug: str, agreement_id: int):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        services.open_negotiation(request.auth, agreement)
    return agreement_out(request.auth, agreement)


@router.post(A + "/proposals", response={201: ProposalOut}, summary="Propose a change")
def propose(request, slug: str, agreement_id: int, payload: ProposalIn):
    _, agreement = load(request.auth, slug, agreement_id)
    with transaction.atomic():
        if payload.remove:
            proposal = services.propose_removal(
                request.auth, agreement, family=payload.family, comment=payload.comment
            )
        else:
            proposal = services.propose(
                request.auth,
                agreement,
                family=payload.family,
                clause_key=payload.clause,
                parameters=payload.parameters,
                comment=payload.comment,
            )
    return Status(201, single_proposal(request.auth, proposal))


@router.get(
    A + "/versions/{number}/diff",
    response=DiffOut,
    summary="Clause-by-clause and text diff against another version",
)
def diff(request, slug: str, agreement_id: int, number: int, query: Query[DiffQuery]):
    _, agreement = load(request.auth, slug, agreement_id)
    after = services.get_version(agreement, number)
    if query.against is not None:
        before = services.get_version(agreement, query.against)
    elif after.amends_id:
        before = after.amends
    elif number > 1:
        before = services.get_version(agreement, number - 1)
    else:
        raise Conflict("Version 1 has nothing before it: give ?against=N.")
    changes = services.compare(agreement, before, after)
    return {
        "before": before.number,
        "after": after.number,
        "clauses": [
            {
                "family": c.family,
                "title": c.title,
                "change": c.change.value,
                "summary": c.summary,
                "alternative_changed": c.alternative_changed,
                "wording_changed": c.wording_changed,
                "parameters": [p.__dict__ for p in c.parameters],
                "text": [s.__dict__ for s in c.text],
            }
            for c in changes
        ],
        "unified": services.text_diff(agreement, before, after),
    }


@router.get(
    A + "/versions/{number}/export",
    summary="The version as Word (docx), PDF (pdf) or Markdown (md)",
    response={200: None},
)
def export(request, slug: str, agreement_id: int, number: int, query: Query[ExportQuery]):
    _, agreement = load(request.auth, slug, agreement_id)
    version = services.get_version(agreement, number)
    if query.format not in documents.FORMATS:
        raise Invalid("Choose docx, pdf or md.", errors={"format": ["Unknown format."]})
    content, content_type, filename = documents.export(agreement, version, query.format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(A + "/terms", response=dict, summary="Machine-readable data-use terms")
def terms(request, slug: str, agreement_id: int):
    _, agreement = load(request.auth, slug, agreement_id)
    version = services.signed_version(agreement)
    found = services.data_use_terms(agreement, version) if version else None
    if found is None:
        raise Conflict(
            "This agreement has no data-use terms in force: only a signed data-sharing "
            "agreement with a data-use clause has them."
        )
    return found.as_dict()


@router.get(
    "/partnerships/{slug}/data-use-terms",
    response=list[dict],
    summary="Data-use terms of every signed data-sharing agreement",
)
def terms_in_force(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    return [t.as_dict() for t in services.terms_in_force(partnership)]


@router.get("/partnerships/{slug}/obligations", response=list[ObligationOut])
def list_obligations(request, slug: str):
    partnership = partnerships.get_partnership(request.auth, slug)
    return [obligation_out(v) for v in services.obligations_of(request.auth, partnership)]


@router.post("/partnerships/{slug}/obligations/{obligation_id}/met", response=ObligationOut)
def obligation_met(request, slug: str, obligation_id: int, payload: NoteIn = None):
    partnership = partnerships.get_partnership(request.auth, slug)
    obligation = services.get_obligation(request.auth, partnership, obligation_id)
    with transaction.atomic():
        services.meet_obligation(request.auth, obligation, note=payload.note if payload else "")
    view = next(
        v
        for v in services.obligations_of(request.auth, partnership)
        if v.obligation.pk == obligation.pk
    )
    return obligation_out(view)


@router.get(
    "/agreements/portfolio",
    response=dict,
    summary="Contracting analytics across an organisation's agreements",
)
def portfolio(request, query: Query[PortfolioQuery]):
    mine = services.portfolio_organisations(request.auth)
    if query.organisation:
        organisation = Organisation.objects.filter(slug=query.organisation).first()
    else:
        organisation = mine[0] if mine else None
    if organisation is None:
        raise NotFound("No such organisation, or you are not a member of it.")
    result = services.portfolio(request.auth, organisation)
    s = result.stats
    return {
        "organisation": organisation.slug,
        "agreements": s.agreements,
        "signed": s.signed,
        "median_days_to_signature": s.median_days_to_signature,
        "median_days_by_kind": s.median_days_by_kind,
        "median_rounds": s.median_rounds,
        "topics": [
            {
                "topic": t.topic.value,
                "label": t.label,
                "agreements": t.agreements,
                "rounds": t.rounds,
                "median_days_open": t.median_days_open,
                "total_days_open": t.total_days_open,
            }
            for t in s.topics
        ],
        "rows": [
            {
                "partnership": r.agreement.partnership.slug,
                "agreement": r.agreement.pk,
                "title": r.agreement.title,
                "status": r.status,
                "days_to_signature": r.stats.days_to_signature,
                "days_so_far": r.stats.days_so_far,
                "rounds": r.stats.rounds,
                "open_points": r.stats.open_points,
            }
            for r in result.rows
        ],
    }
