"""What the agreements API answers: agreements, proposals, clauses and obligations as data."""

from __future__ import annotations

from carepact.accounts.models import User
from carepact.agreements import services
from carepact.agreements.models import Agreement, Proposal
from carepact.agreements.services import library as lib
from carepact.agreements.services.negotiation import point_view
from carepact.engine.agreements.topics import KINDS, Kind
from carepact.partnerships import services as partnerships


def load(actor: User, slug: str, agreement_id: int):
    partnership = partnerships.get_partnership(actor, slug)
    return partnership, services.get_agreement(actor, partnership, agreement_id)


def version_out(v) -> dict:
    return {
        "number": v.number,
        "status": v.status,
        "amends": v.amends.number if v.amends_id else None,
        "created_at": v.created_at,
        "negotiation_opened_at": v.negotiation_opened_at,
        "sent_for_signature_at": v.sent_for_signature_at,
        "signed_at": v.signed_at,
        "sha256": v.hash or None,
    }


def proposal_out(point) -> dict:
    p: Proposal = point.proposal
    return {
        "id": p.pk,
        "version": p.version.number,
        "kind": p.kind,
        "family": p.family,
        "topic": p.topic,
        "clause": p.clause_version.clause.key if p.clause_version else None,
        "clause_version": p.clause_version.number if p.clause_version else None,
        "parameters": p.parameters,
        "comment": p.comment,
        "proposed_by": str(p.proposed_by or ""),
        "organisation": p.organisation.slug,
        "created_at": p.created_at,
        "status": p.status,
        "round": p.round,
        "counter_to": p.counter_to_id,
        "summary": point.change.summary,
        "waiting_on": [o.slug for o in point.waiting_on],
        "accepted_by": [o.slug for o in point.accepted_by],
        "days_open": point.days_open,
        "responses": [
            {
                "organisation": r.organisation.slug,
                "person": str(r.person or ""),
                "answer": r.answer,
                "comment": r.comment,
                "at": r.at,
            }
            for r in p.responses.all()
        ],
    }


def single_proposal(actor: User, proposal: Proposal) -> dict:
    agreement = proposal.version.agreement
    proposal = services.get_proposal(actor, agreement, proposal.pk)
    aa = services.agreement_access(actor, agreement.partnership, agreement)
    ctx = services.context_for(agreement, proposal.version)
    return proposal_out(point_view(proposal, services.party_organisations(agreement), ctx, aa))


def agreement_out(actor: User, agreement: Agreement) -> dict:
    aa = services.agreement_access(actor, agreement.partnership, agreement)
    versions = list(agreement.versions.select_related("amends").order_by("number"))
    current = versions[-1]
    views = services.clause_views(current)
    completeness = services.completeness_of(current, views)
    stats = services.agreement_analytics(agreement)
    return {
        "id": agreement.pk,
        "partnership": agreement.partnership.slug,
        "kind": agreement.kind,
        "kind_label": KINDS[Kind(agreement.kind)].label,
        "title": agreement.title,
        "parties": [o.slug for o in aa.parties],
        "created_at": agreement.created_at,
        "version": version_out(current),
        "versions": [version_out(v) for v in versions],
        "clauses": [
            {
                "number": v.number,
                "family": v.family,
                "topic": v.topic,
                "key": v.key,
                "clause_version": v.clause_version,
                "title": v.title,
                "alternative": v.alternative,
                "parameters": v.clause.parameters,
                "parameters_in_words": {name: words for name, _, words in v.parameters},
                "text": v.text,
                "problems": v.problems,
            }
            for v in views
        ],
        "completeness": {
            "complete": completeness.complete,
            "covered": [t.value for t in completeness.covered],
            "missing": [
                {"topic": g.topic.value, "label": g.label, "why": g.why}
                for g in completeness.missing
            ],
            "suggested": [
                {"topic": g.topic.value, "label": g.label, "why": g.why}
                for g in completeness.suggested
            ],
            "problems": [{"title": p.title, "problem": p.problem} for p in completeness.problems],
            "reason": completeness.reason(),
        },
        "send_refusal": services.send_refusal(current),
        "open_points": [proposal_out(p) for p in services.open_points(agreement, current, aa)],
        "signatures": [
            {
                "organisation": org.slug,
                "organisation_name": s.organisation_name if s else org.name,
                "signed_by": s.signer_name if s else None,
                "title": s.signer_title if s else None,
                "signed_at": s.signed_at if s else None,
            }
            for org, s in services.awaiting_signature(agreement, current)
        ],
        "analytics": {
            "days_to_signature": stats.days_to_signature,
            "days_so_far": stats.days_so_far,
            "rounds": stats.rounds,
            "open_points": stats.open_points,
            "topics": [
                {
                    "topic": t.topic.value,
                    "label": t.label,
                    "rounds": t.rounds,
                    "days_open": t.days_open,
                    "open_points": t.open_points,
                }
                for t in stats.topics
            ],
        },
        "allowed_actions": sorted(aa.allowed),
    }


def clause_summary(clause) -> dict:
    return {
        "key": clause.key,
        "family": clause.family,
        "topic": clause.topic,
        "title": clause.title,
        "alternative": clause.alternative,
        "guidance": clause.guidance,
        "latest_version": lib.latest_version(clause).number,
    }


def clause_detail(clause) -> dict:
    versions = list(clause.versions.all())
    used = lib.used_version_ids(versions)
    return {
        **clause_summary(clause),
        "versions": [
            {
                "number": v.number,
                "parameters": v.parameters,
                "text": v.text,
                "note": v.note,
                "created_at": v.created_at,
                "used": v.pk in used,
            }
            for v in versions
        ],
    }


def obligation_out(view) -> dict:
    o = view.obligation
    return {
        "id": o.pk,
        "agreement": o.agreement_id,
        "version": o.version.number,
        "kind": o.kind,
        "description": o.description,
        "due_on": o.due_on,
        "owner": o.owner.slug,
        "state": view.state,
        "met_at": o.met_at,
        "note": o.note,
    }
