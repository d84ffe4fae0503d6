"""Access table for the agreement pages and API (see tests/integration/test_access_table.py).

The world gets three agreements: an MoU signed as version 1 whose amendment (version 2) is
under negotiation with an open proposal from the partner company; a data-sharing agreement
signed as version 1 (so its terms and obligations are in force) with version 2 out for
signature; and a draft collaboration agreement.
"""

from datetime import date

from django.db import transaction

from carepact.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementParty,
    AgreementVersion,
    ClauseVersion,
    Obligation,
    Proposal,
    Signature,
)
from carepact.agreements.services.drafting import carried_over, check_parameters, context_for
from carepact.agreements.services.library import ensure_starter_library
from carepact.agreements.services.signing import _freeze
from carepact.partnerships.models import Role
from tests import factories
from tests.integration.agreements.helpers import dsa_clauses, mou_clauses

SLUG = {"slug": "scan-triage"}
P = "/partnerships/{slug}"
AG = P + "/agreements/{agreement_id}"


def _agreement(world, kind, title, clauses: dict, *, status="draft") -> Agreement:
    """Rows written directly (the access table builds this world for every case)."""
    agreement = Agreement.objects.create(
        partnership=world.partnership,
        kind=kind,
        title=title,
        created_by=world.lead,
        created_for=world.trust,
    )
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(agreement=agreement, organisation=world.trust, position=0),
            AgreementParty(agreement=agreement, organisation=world.company, position=1),
        ]
    )
    version = AgreementVersion.objects.create(agreement=agreement, number=1, status=status)
    ctx = context_for(agreement)
    versions = {
        cv.clause.key: cv
        for cv in ClauseVersion.objects.select_related("clause").filter(
            clause__key__in=list(clauses), number=1
        )
    }
    AgreementClause.objects.bulk_create(
        AgreementClause(
            version=version,
            clause_version=versions[key],
            family=versions[key].clause.family,
            topic=versions[key].clause.topic,
            parameters=check_parameters(
                versions[key], carried_over(None, {}, versions[key], given), ctx
            ),
        )
        for key, given in clauses.items()
    )
    return agreement


def _signed(world, kind, title, clauses) -> Agreement:
    agreement = _agreement(world, kind, title, clauses, status="signing")
    version = agreement.versions.get()
    for org, person in ((world.trust, world.lead), (world.company, world.partner_admin)):
        Signature.objects.create(
            version=version,
            organisation=org,
            organisation_name=org.name,
            signed_by=person,
            signer_name=person.full_name,
        )
    _freeze(world.lead, agreement, version)
    return agreement


def _amendment(agreement, status: str) -> AgreementVersion:
    signed = agreement.versions.get(number=1)
    version = AgreementVersion.objects.create(
        agreement=agreement, number=2, status=status, amends=signed
    )
    AgreementClause.objects.bulk_create(
        AgreementClause(
            version=version,
            clause_version=c.clause_version,
            family=c.family,
            topic=c.topic,
            parameters=c.parameters,
        )
        for c in signed.clauses.all()
    )
    return version


def place(world) -> dict:
    ensure_starter_library()  # a transactional test may have flushed the migration's data
    p = world.partnership
    factories.RoleFactory(
        partnership=p, person=world.lead, organisation=world.trust, role=Role.SIGNATORY
    )
    factories.RoleFactory(
        partnership=p, person=world.partner_admin, organisation=world.company, role=Role.SIGNATORY
    )
    with transaction.atomic():
        mou = _signed(world, "mou", "Scan triage MoU", mou_clauses("northgate"))
        dsa = _signed(
            world, "data_sharing", "Scan triage DSA", dsa_clauses("northgate", ["brightscan"])
        )
    amendment = _amendment(mou, "negotiating")
    term = amendment.clauses.get(family="term-exit")
    proposal = Proposal.objects.create(
        version=amendment,
        kind="change",
        family="term-exit",
        topic="term_exit",
        target=term,
        clause_version=term.clause_version,
        parameters={**term.parameters, "term": {"value": 36, "unit": "months"}},
        comment="The evaluation needs a third year.",
        proposed_by=world.partner_admin,
        organisation=world.company,
    )
    _amendment(dsa, "signing")
    starter = {
        key: {}
        for key in (
            "objectives-shared",
            "project-plan-milestones",
            "governance-joint-board",
            "ownership-boundaries",
            "payments-own-costs",
            "ip-generator-owns",
            "confidentiality-mutual",
            "accountability-shared",
            "term-exit",
        )
    }
    draft = _agreement(world, "collaboration", "Evaluation collaboration", {})
    version = draft.versions.get()
    cvs = ClauseVersion.objects.select_related("clause").filter(clause__key__in=starter)
    AgreementClause.objects.bulk_create(
        AgreementClause(
            version=version,
            clause_version=cv,
            family=cv.clause.family,
            topic=cv.clause.topic,
            parameters={},
        )
        for cv in cvs
    )
    obligation = Obligation.objects.create(
        partnership=p,
        agreement=dsa,
        version=dsa.versions.get(number=1),
        kind="progress_report",
        description="Report on the triage pilot.",
        due_on=date(2027, 6, 30),
        owner=world.trust,
    )
    return {
        "agreement_mou_id": mou.pk,
        "agreement_proposal_id": proposal.pk,
        "agreement_dsa_id": dsa.pk,
        "agreement_draft_id": draft.pk,
        "agreement_obligation_id": obligation.pk,
    }


def mou(p):
    return {**SLUG, "agreement_id": p["agreement_mou_id"]}


def dsa(p):
    return {**SLUG, "agreement_id": p["agreement_dsa_id"]}


def draft(p):
    return {**SLUG, "agreement_id": p["agreement_draft_id"]}


def proposal(p):
    return {**mou(p), "proposal_id": p["agreement_proposal_id"]}


READ = (302, 404, 200, 200)
ANYONE = (302, 200, 200, 200)
ADMIN = (302, 403, 403, 403)
NOT_POST = (302, 405, 405, 405)

PAGES = {
    "agreements:mine": (lambda p: {}, {"GET": ANYONE}, None),
    "agreements:library": (lambda p: {}, {"GET": ANYONE}, None),
    "agreements:library_clause": (lambda p: {"key": "ip-joint"}, {"GET": ANYONE}, None),
    "agreements:library_new": (lambda p: {}, {"GET": ADMIN, "POST": ADMIN}, {}),
    "agreements:library_version_new": (
        lambda p: {"key": "ip-joint"},
        {"GET": ADMIN, "POST": ADMIN},
        {},
    ),
    "agreements:library_version_edit": (
        lambda p: {"key": "ip-joint", "number": 1},
        {"GET": ADMIN, "POST": ADMIN},
        {},
    ),
    # The lead's empty form comes back with its errors (200); the observer may not draft.
    "agreements:list": (lambda p: SLUG, {"GET": READ, "POST": (302, 404, 403, 200)}, {}),
    "agreements:detail": (mou, {"GET": READ}, None),
    "agreements:clause_add": (draft, {"GET": READ}, None),
    "agreements:clause_add_form": (
        lambda p: {**draft(p), "key": "ppi-transparency"},
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 302)},
        {"panel": "the patient panel", "meetings_per_year": "2", "summary_within": "3 months"},
    ),
    # Empty parameters for a clause with required ones: the form shows what is missing.
    "agreements:clause": (
        lambda p: {**draft(p), "family": "objectives"},
        {"GET": READ, "POST": (302, 404, 403, 200)},
        {},
    ),
    "agreements:clause_remove": (
        lambda p: {**draft(p), "family": "objectives"},
        {"GET": NOT_POST, "POST": (302, 404, 403, 302)},
        {},
    ),
    "agreements:open_negotiation": (
        draft,
        {"GET": NOT_POST, "POST": (302, 404, 403, 302)},
        {},
    ),
    "agreements:respond": (
        proposal,
        {"GET": NOT_POST, "POST": (302, 404, 403, 302)},
        {"answer": "accept"},
    ),
    "agreements:counter": (
        proposal,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)},
        {},
    ),
    # The lead's party did not make the proposal, so it cannot withdraw it.
    "agreements:withdraw": (proposal, {"GET": NOT_POST, "POST": (302, 404, 403, 409)}, {}),
    # An open point remains on the MoU amendment: sending it for signature is refused.
    "agreements:send": (mou, {"GET": NOT_POST, "POST": (302, 404, 403, 409)}, {}),
    "agreements:recall": (dsa, {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)}, {}),
    "agreements:sign": (
        dsa,
        {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 302)},
        {"password": factories.PASSWORD, "confirm": "on"},
    ),
    "agreements:amend": (mou, {"GET": (302, 404, 403, 200), "POST": (302, 404, 403, 200)}, {}),
    "agreements:diff": (mou, {"GET": READ}, None),
    "agreements:export": (
        lambda p: {**mou(p), "number": 1, "fmt": "md"},
        {"GET": READ},
        None,
    ),
    "agreements:obligation_met": (
        lambda p: {**SLUG, "obligation_id": p["agreement_obligation_id"]},
        {"GET": NOT_POST, "POST": (302, 404, 403, 302)},
        {},
    ),
}

API = {
    "GET /clauses": (None, None, (401, 200, 200, 200)),
    "GET /clauses/{key}": (lambda p: {"key": "ip-joint"}, None, (401, 200, 200, 200)),
    "POST /clauses": (
        None,
        {
            "key": "x",
            "family": "x",
            "topic": "ip",
            "title": "X",
            "alternative": "X",
            "text": "X.",
        },
        (401, 403, 403, 403),
    ),
    "POST /clauses/{key}/versions": (
        lambda p: {"key": "ip-joint"},
        {"text": "New words."},
        (401, 403, 403, 403),
    ),
    "GET /agreements/portfolio": (None, None, (401, 200, 200, 200)),
    f"GET {P}/agreements": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/agreements": (
        lambda p: SLUG,
        {"kind": "ip", "title": "Foreground IP"},
        (401, 404, 403, 201),
    ),
    f"GET {AG}": (mou, None, (401, 404, 200, 200)),
    f"POST {AG}/clauses": (
        draft,
        {"clause": "ppi-transparency", "parameters": {"panel": "the patient panel"}},
        (401, 404, 403, 201),
    ),
    f"PATCH {AG}/clauses/{{family}}": (
        lambda p: {**draft(p), "family": "objectives"},
        {
            "parameters": {
                "objectives": ["Faster diagnosis"],
                "outcome_measure": "survival at one year",
            }
        },
        (401, 404, 403, 200),
    ),
    f"DELETE {AG}/clauses/{{family}}": (
        lambda p: {**draft(p), "family": "objectives"},
        None,
        (401, 404, 403, 200),
    ),
    f"POST {AG}/negotiate": (draft, None, (401, 404, 403, 200)),
    f"POST {AG}/proposals": (
        mou,
        {
            "family": "objectives",
            "parameters": {"outcome_measure": "survival at one year"},
            "comment": "Survival is what matters to patients.",
        },
        (401, 404, 403, 201),
    ),
    f"POST {AG}/proposals/{{proposal_id}}/accept": (proposal, None, (401, 404, 403, 200)),
    f"POST {AG}/proposals/{{proposal_id}}/reject": (
        proposal,
        {"comment": "Two years is enough."},
        (401, 404, 403, 200),
    ),
    f"POST {AG}/proposals/{{proposal_id}}/counter": (
        proposal,
        {"parameters": {"term": "30 months"}, "comment": "Thirty months, then review."},
        (401, 404, 403, 201),
    ),
    f"POST {AG}/proposals/{{proposal_id}}/withdraw": (proposal, None, (401, 404, 403, 409)),
    f"POST {AG}/send": (mou, None, (401, 404, 403, 409)),
    f"POST {AG}/recall": (dsa, {"reason": "A dataset is missing."}, (401, 404, 403, 200)),
    f"POST {AG}/sign": (dsa, {"password": factories.PASSWORD}, (401, 404, 403, 200)),
    # The MoU's newest version is an amendment still being negotiated.
    f"POST {AG}/amendments": (mou, {"reason": "Again."}, (401, 404, 403, 409)),
    f"GET {AG}/versions/{{number}}/diff": (
        lambda p: {**mou(p), "number": 2},
        None,
        (401, 404, 200, 200),
    ),
    f"GET {AG}/versions/{{number}}/export": (
        lambda p: {**mou(p), "number": 1},
        None,
        (401, 404, 200, 200),
    ),
    f"GET {AG}/terms": (dsa, None, (401, 404, 200, 200)),
    f"GET {P}/data-use-terms": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"GET {P}/obligations": (lambda p: SLUG, None, (401, 404, 200, 200)),
    f"POST {P}/obligations/{{obligation_id}}/met": (
        lambda p: {**SLUG, "obligation_id": p["agreement_obligation_id"]},
        None,
        (401, 404, 403, 200),
    ),
}
