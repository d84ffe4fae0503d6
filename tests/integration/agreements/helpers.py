"""Building agreements in tests through the services, as people would."""

from __future__ import annotations

from django.db import transaction

from carepact.agreements import services
from carepact.agreements.models import Agreement
from carepact.partnerships.models import Role
from tests import factories


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


def mou_clauses(lead_slug: str) -> dict[str, dict]:
    """Valid parameters for one clause of each topic an MoU requires."""
    return {
        "objectives-shared": {
            "objectives": "Report urgent chest X-rays within 24 hours\nPublish what we learn",
            "outcome_measure": "the share of lung cancers diagnosed at stage 1 or 2",
        },
        "project-plan-milestones": {
            "start_date": "2027-01-04",
            "plan_owner": lead_slug,
            "milestones": "Pilot live by 2027-03-01\nEvaluation report by 2027-09-30",
        },
        "sops-register": {
            "procedures": "Clinical safety incident handling\nModel change control",
            "keeper": lead_slug,
        },
        "governance-joint-board": {
            "chair": lead_slug,
            "decision_rule": "consensus",
            "dispute_route": "mediation",
        },
        "ownership-boundaries": {
            "approval_threshold": "GBP 10,000",
            "liability_cap": "GBP 1,000,000",
        },
        "data-protection-uk-gdpr": {
            "controller": lead_slug,
            "article6_basis": "public_task",
            "article9_condition": "health_care",
            "security": "dspt",
            "onward_sharing": "prohibited",
        },
        "ip-generator-owns": {"project_licence": "royalty_free"},
        "term-exit": {"starts_on": "2027-01-04", "term": "24 months", "exit_data": "delete"},
    }


def dsa_clauses(provider: str, recipients: list[str]) -> dict[str, dict]:
    clauses = {
        key: value
        for key, value in mou_clauses(provider).items()
        if key
        in (
            "objectives-shared",
            "governance-joint-board",
            "data-protection-uk-gdpr",
            "term-exit",
        )
    }
    clauses["data-use-duo"] = {
        "data_provider": provider,
        "recipients": recipients,
        "datasets": "Scan triage extract\nOutcomes registry",
        "purpose": "Evaluate whether triage shortens the time to diagnosis",
        "permission": "DS:lung cancer",
        "modifiers": "IRB, PUB, RTN, GS:GB",
        "environment": "provider_tre",
        "expires_on": "2028-12-31",
        "report_every": "6 months",
    }
    clauses["confidentiality-mutual"] = {}
    clauses["ppi-transparency"] = {"panel": "the Northgate patient panel"}
    return clauses


def draft(world, *, kind="mou", clauses: dict | None = None, title="Scan triage MoU"):
    """An agreement between the world's two parties, drafted with the given clauses."""
    agreement = atomic(
        services.create_agreement, world.lead, world.partnership, kind=kind, title=title
    )
    for key, parameters in (clauses or {}).items():
        atomic(services.add_clause, world.lead, agreement, clause_key=key, parameters=parameters)
    return agreement


def signatories(world):
    """The lead signs for the trust, the partner admin for the company."""
    p = world.partnership
    factories.RoleFactory(
        partnership=p, person=world.lead, organisation=world.trust, role=Role.SIGNATORY
    )
    factories.RoleFactory(
        partnership=p, person=world.partner_admin, organisation=world.company, role=Role.SIGNATORY
    )


def signed(world, *, kind="mou", clauses=None, title="Scan triage MoU") -> Agreement:
    """An agreement both parties have negotiated (nothing to change) and signed."""
    if clauses is None:
        clauses = mou_clauses(world.trust.slug)
    agreement = draft(world, kind=kind, clauses=clauses, title=title)
    atomic(services.open_negotiation, world.lead, agreement)
    atomic(services.send_for_signature, world.lead, agreement)
    if not world.partnership.roles.filter(role=Role.SIGNATORY).exists():
        signatories(world)
    atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    atomic(services.sign, world.partner_admin, agreement, password=factories.PASSWORD)
    return agreement
