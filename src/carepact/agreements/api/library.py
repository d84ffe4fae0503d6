"""The clause library as JSON."""

from __future__ import annotations

from django.db import transaction
from ninja import Status

from carepact.agreements.api import router
from carepact.agreements.api.output import clause_detail, clause_summary
from carepact.agreements.api.schemas import ClauseDetail, ClauseIn, ClauseSummary, ClauseVersionIn
from carepact.agreements.services import library as lib

P = "/partnerships/{slug}/agreements"
A = P + "/{agreement_id}"


@router.get("/clauses", response=list[ClauseSummary], summary="The clause library")
def list_clauses(request, topic: str | None = None):
    return [clause_summary(c) for c in lib.clauses(topic=topic)]


@router.get("/clauses/{key}", response=ClauseDetail, summary="A clause and its versions")
def get_clause(request, key: str):
    return clause_detail(lib.get_clause(key))


@router.post("/clauses", response={201: ClauseDetail}, summary="Add a clause (administrators)")
def create_clause(request, payload: ClauseIn):
    with transaction.atomic():
        clause = lib.create_clause(request.auth, **payload.dict())
    return Status(201, clause_detail(lib.get_clause(clause.key)))


@router.post(
    "/clauses/{key}/versions",
    response={201: ClauseDetail},
    summary="Add a version of a clause (administrators)",
)
def add_clause_version(request, key: str, payload: ClauseVersionIn):
    lib.check_admin(request.auth)
    clause = lib.get_clause(key)
    with transaction.atomic():
        lib.add_clause_version(request.auth, clause, **payload.dict())
    return Status(201, clause_detail(lib.get_clause(key)))
