"""Request and response bodies of the agreements API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class ClauseSummary(Schema):
    key: str
    family: str
    topic: str
    title: str
    alternative: str
    guidance: str
    latest_version: int


class ClauseVersionOut(Schema):
    number: int
    parameters: list[dict]
    text: str
    note: str
    created_at: datetime
    used: bool


class ClauseDetail(ClauseSummary):
    versions: list[ClauseVersionOut]


class ClauseIn(Schema):
    key: str
    family: str
    topic: str
    title: str
    alternative: str
    guidance: str = ""
    parameters: list[dict] = []
    text: str


class ClauseVersionIn(Schema):
    parameters: list[dict] = []
    text: str
    note: str = ""


class AgreementSummary(Schema):
    id: int
    kind: str
    title: str
    parties: list[str]
    version: int
    status: str
    signed_version: int | None
    sha256: str | None
    created_at: datetime


class AgreementIn(Schema):
    kind: str
    title: str
    parties: list[str] = []  # organisation slugs; every active party when empty
    starter_clauses: bool = False


class ResponseOut(Schema):
    organisation: str
    person: str
    answer: str
    comment: str
    at: datetime


class ProposalOut(Schema):
    id: int
    version: int
    kind: str
    family: str
    topic: str
    clause: str | None
    clause_version: int | None
    parameters: dict[str, Any]
    comment: str
    proposed_by: str
    organisation: str
    created_at: datetime
    status: str
    round: int
    counter_to: int | None
    summary: str
    waiting_on: list[str]
    accepted_by: list[str]
    days_open: float
    responses: list[ResponseOut]


class AgreementClauseOut(Schema):
    number: int
    family: str
    topic: str
    key: str
    clause_version: int
    title: str
    alternative: str
    parameters: dict[str, Any]
    parameters_in_words: dict[str, str]
    text: str
    problems: list[str]


class GapOut(Schema):
    topic: str
    label: str
    why: str


class ProblemOut(Schema):
    title: str
    problem: str


class CompletenessOut(Schema):
    complete: bool
    covered: list[str]
    missing: list[GapOut]
    suggested: list[GapOut]
    problems: list[ProblemOut]
    reason: str


class SignatureOut(Schema):
    organisation: str
    organisation_name: str
    signed_by: str | None
    title: str | None
    signed_at: datetime | None


class VersionOut(Schema):
    number: int
    status: str
    amends: int | None
    created_at: datetime
    negotiation_opened_at: datetime | None
    sent_for_signature_at: datetime | None
    signed_at: datetime | None
    sha256: str | None


class TopicStatsOut(Schema):
    topic: str
    label: str
    rounds: int
    days_open: float
    open_points: int


class AnalyticsOut(Schema):
    days_to_signature: float | None
    days_so_far: float
    rounds: int
    open_points: int
    topics: list[TopicStatsOut]


class AgreementOut(Schema):
    id: int
    partnership: str
    kind: str
    kind_label: str
    title: str
    parties: list[str]
    created_at: datetime
    version: VersionOut
    versions: list[VersionOut]
    clauses: list[AgreementClauseOut]
    completeness: CompletenessOut
    send_refusal: str | None
    open_points: list[ProposalOut]
    signatures: list[SignatureOut]
    analytics: AnalyticsOut
    allowed_actions: list[str]


class ClauseAddIn(Schema):
    clause: str
    parameters: dict[str, Any] = {}
    comment: str = ""


class ClausePatch(Schema):
    clause: str | None = None  # another alternative's key
    parameters: dict[str, Any] = {}
    use_latest: bool = False
    comment: str = ""


class CommentIn(Schema):
    comment: str = ""


class ProposalIn(Schema):
    family: str
    clause: str | None = None
    parameters: dict[str, Any] = {}
    remove: bool = False
    comment: str


class CounterIn(Schema):
    clause: str | None = None
    parameters: dict[str, Any] = {}
    comment: str


class ReasonIn(Schema):
    reason: str


class SignIn(Schema):
    password: str


class ParamChangeOut(Schema):
    name: str
    label: str
    before: str | None
    after: str | None


class SegmentOut(Schema):
    op: str
    text: str


class ClauseDiffOut(Schema):
    family: str
    title: str
    change: str
    summary: str
    alternative_changed: bool
    wording_changed: bool
    parameters: list[ParamChangeOut]
    text: list[SegmentOut]


class DiffOut(Schema):
    before: int
    after: int
    clauses: list[ClauseDiffOut]
    unified: str


class DiffQuery(Schema):
    against: int | None = None


class ExportQuery(Schema):
    format: str = "md"


class ObligationOut(Schema):
    id: int
    agreement: int
    version: int
    kind: str
    description: str
    due_on: date
    owner: str
    state: str
    met_at: datetime | None
    note: str


class NoteIn(Schema):
    note: str = ""


class PortfolioQuery(Schema):
    organisation: str | None = None  # an organisation you belong to; your first by default
