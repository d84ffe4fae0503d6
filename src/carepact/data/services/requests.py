"""Access requests: ask for a dataset for a purpose, hear the policy's answer at once, and
have the owning party's data stewards approve, reject or ask for changes (one or two of
them, as the dataset says). An approval queues the release."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet

from carepact.accounts.models import Membership, User
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.engine.policy import PolicyDecision
from carepact.engine.policy import purposes as duo
from carepact.partnerships.models import Partnership

from .. import policies
from ..models import AccessRequest, Dataset, Review
from ..rules import DataAction, data_access


class PolicyDenied(Denied):
    """The dataset's policy does not allow this; ``decision`` says which policies and why."""

    def __init__(self, decision: PolicyDecision):
        reasons = [r.explanation for r in decision.reasons]
        super().__init__(
            "The dataset's policy does not allow this request. " + " ".join(reasons),
        )
        self.errors = {"policy": reasons}
        self.decision = decision


def requests_of(partnership: Partnership) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(partnership=partnership).select_related(
        "dataset", "dataset__owner", "requester", "organisation", "decided_by"
    )


def get_request(actor: User, partnership: Partnership, request_id: int) -> AccessRequest:
    found = (
        AccessRequest.objects.visible_to(actor)
        .filter(partnership=partnership, pk=request_id)
        .select_related(
            "dataset",
            "dataset__owner",
            "dataset__partnership",
            "requester",
            "organisation",
            "decided_by",
        )
        .first()
    )
    if found is None:
        raise NotFound("No such request in this partnership.")
    return found


def named_people(request: AccessRequest) -> set[int]:
    """The requester and the users named in the request: who may use its releases."""
    return {request.requester_id, *request.users.values_list("pk", flat=True)}


def _clean(
    dataset: Dataset, organisation, *, columns, purpose, lay_summary, public_benefit, users
) -> dict:
    errors: dict[str, list[str]] = {}
    try:
        purpose = duo.parse(purpose).code
    except duo.PurposeError as exc:
        errors["purpose"] = [str(exc)]
    columns = list(dict.fromkeys(columns or []))
    unknown = [c for c in columns if c not in dataset.releasable_columns]
    if unknown:
        errors["columns"] = [f"Not a column you may ask for: {', '.join(unknown)}."]
    if len((lay_summary or "").strip()) < 20:
        errors["lay_summary"] = ["Say in plain words what you will do with the data."]
    if len((public_benefit or "").strip()) < 20:
        errors["public_benefit"] = ["Say how the public will benefit."]
    people = list(users or [])
    members = set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    if any(p.pk not in members for p in people):
        errors["users"] = [f"Name only people of {organisation}."]
    if errors:
        raise Invalid("The request needs correcting.", errors=errors)
    return {"columns": columns, "purpose": purpose, "users": people}


def submit_request(
    actor: User,
    dataset: Dataset,
    *,
    purpose: str,
    lay_summary: str,
    public_benefit: str,
    columns: list[str] | None = None,
    ethics_reference: str = "",
    project: str = "",
    commercial_use: bool = False,
    users: list[User] | None = None,
) -> AccessRequest:
    """Ask for the dataset. The policy decides at once: a refusal (PolicyDenied) records
    nothing and says which policies refused and why; an allowed request goes to review."""
    da = data_access(actor, dataset.partnership)
    da.check(DataAction.REQUEST)
    organisation = da.acting_organisation
    cleaned = _clean(
        dataset,
        organisation,
        columns=columns,
        purpose=purpose,
        lay_summary=lay_summary,
        public_benefit=public_benefit,
        users=users,
    )
    decision, found = policies.ask(
        dataset,
        action="request",
        organisation=organisation,
        person=actor,
        purpose=cleaned["purpose"],
        commercial_use=commercial_use,
        ethics_reference=ethics_reference,
        project=project,
    )
    if not decision.allowed:
        raise PolicyDenied(decision)
    now = clock.now()
    request = AccessRequest.objects.create(
        partnership=dataset.partnership,
        dataset=dataset,
        requester=actor,
        organisation=organisation,
        columns=cleaned["columns"],
        purpose=cleaned["purpose"],
        lay_summary=lay_summary.strip(),
        public_benefit=public_benefit.strip(),
        ethics_reference=ethics_reference.strip(),
        project=project.strip(),
        commercial_use=commercial_use,
        decision=decision.as_dict(),
        terms_reference=found.reference if found else "",
        approvals_required=dataset.approvals_required,
        submitted_at=now,
        created_at=now,
    )
    request.users.set(cleaned["users"])
    audit.record(
        actor,
        action="request.submit",
        obj=request,
        partnership=dataset.partnership,
        organisation=organisation,
        message=f"{actor} ({organisation}) asked for {dataset} for "
        f"{duo.describe(request.purpose)}; the policy allows it.",
        summary={
            "dataset": dataset.slug,
            "purpose": request.purpose,
            "columns": request.columns,
            "policies": [r["policy"] for r in request.decision["reasons"]],
        },
    )
    return request


def resubmit_request(actor: User, request: AccessRequest, **changes) -> AccessRequest:
    """The requester answers a request for changes; the policy decides again."""
    if request.requester_id != actor.pk:
        raise Denied("Only the person who made the request can change it.")
    if request.status != AccessRequest.Status.CHANGES:
        raise Conflict("The data steward has not asked for changes to this request.")
    fields = {
        "purpose": request.purpose,
        "lay_summary": request.lay_summary,
        "public_benefit": request.public_benefit,
        "columns": request.columns,
        "ethics_reference": request.ethics_reference,
        "project": request.project,
        "commercial_use": request.commercial_use,
        "users": list(request.users.all()),
        **changes,
    }
    cleaned = _clean(
        request.dataset,
        request.organisation,
        columns=fields["columns"],
        purpose=fields["purpose"],
        lay_summary=fields["lay_summary"],
        public_benefit=fields["public_benefit"],
        users=fields["users"],
    )
    decision, found = policies.ask(
        request.dataset,
        action="request",
        organisation=request.organisation,
        person=actor,
        purpose=cleaned["purpose"],
        commercial_use=fields["commercial_use"],
        ethics_reference=fields["ethics_reference"],
        project=fields["project"],
    )
    if not decision.allowed:
        raise PolicyDenied(decision)
    for name in ("lay_summary", "public_benefit", "ethics_reference", "project"):
        setattr(request, name, (fields[name] or "").strip())
    request.purpose, request.columns = cleaned["purpose"], cleaned["columns"]
    request.commercial_use = fields["commercial_use"]
    request.decision = decision.as_dict()
    request.terms_reference = found.reference if found else ""
    request.status, request.reason = AccessRequest.Status.SUBMITTED, ""
    request.submitted_at = clock.now()
    request.save()
    request.users.set(cleaned["users"])
    audit.record(
        actor,
        action="request.resubmit",
        obj=request,
        partnership=request.partnership,
        organisation=request.organisation,
        message=f"{actor} changed the request for {request.dataset} and sent it back for review.",
        summary={"purpose": request.purpose, "columns": request.columns},
    )
    return request


def current_round(request: AccessRequest) -> int:
    return request.reviews.filter(verdict=Review.Verdict.CHANGES).count() + 1


def review_request(actor: User, request: AccessRequest, *, verdict: str, note: str = ""):
    """A data steward of the owning party answers. Approval needs the dataset's number of
    approvals from different stewards; the last one queues the release."""
    dataset = request.dataset
    da = data_access(actor, request.partnership)
    da.check(DataAction.REVIEW, owner_id=dataset.owner_id)
    if verdict not in Review.Verdict.values:
        raise Invalid(
            "Choose approve, reject or ask for changes.", errors={"verdict": ["Required."]}
        )
    if request.status != AccessRequest.Status.SUBMITTED:
        raise Conflict(
            f"This request is {request.get_status_display().lower()}: nothing to review."
        )
    if request.requester_id == actor.pk:
        raise Denied("You cannot review your own request.")
    note = (note or "").strip()
    if verdict != Review.Verdict.APPROVE and not note:
        raise Invalid("Say why, so the requester knows what to do.", errors={"note": ["Required."]})
    this_round = current_round(request)
    approvals = request.reviews.filter(round=this_round, verdict=Review.Verdict.APPROVE)
    approved_before = approvals.count()
    if approvals.filter(reviewer=actor).exists():
        raise Conflict("You have already approved this request; another steward must too.")
    if verdict == Review.Verdict.APPROVE:
        decision, _ = policies.ask(
            dataset,
            action="request",
            organisation=request.organisation,
            person=request.requester,
            purpose=request.purpose,
            commercial_use=request.commercial_use,
            ethics_reference=request.ethics_reference,
            project=request.project,
        )
        if not decision.allowed:
            raise Conflict(
                "The policy no longer allows this request: "
                + " ".join(r.explanation for r in decision.reasons)
            )
    now = clock.now()
    review = Review.objects.create(
        request=request, reviewer=actor, verdict=verdict, note=note, round=this_round, at=now
    )
    release = None
    if verdict == Review.Verdict.APPROVE:
        given = approved_before + 1
        if given >= request.approvals_required:
            request.status = AccessRequest.Status.APPROVED
            request.decided_at, request.decided_by = now, actor
        message = (
            f"{actor} approved the request for {dataset} ({given} of "
            f"{request.approvals_required} approvals)."
        )
    elif verdict == Review.Verdict.REJECT:
        request.status, request.reason = AccessRequest.Status.REJECTED, note
        request.decided_at, request.decided_by = now, actor
        message = f"{actor} rejected the request for {dataset}: {note}"
    else:
        request.status, request.reason = AccessRequest.Status.CHANGES, note
        message = f"{actor} asked for changes to the request for {dataset}: {note}"
    request.save()
    audit.record(
        actor,
        action=f"request.{verdict}",
        obj=request,
        partnership=request.partnership,
        organisation=dataset.owner,
        message=message,
        summary={"verdict": verdict, "round": this_round, "status": request.status},
    )
    if request.status == AccessRequest.Status.APPROVED:
        from .releases import start_release

        try:
            release = start_release(actor, request)
        except Conflict:
            # start_release refuses before it writes anything (no signed agreement yet, or
            # the terms no longer let the recipient receive it): the approval stands, and
            # the request page says why no release runs.
            release = None
    return review, release


# -- waiting and turnaround ------------------------------------------------------------------


def waiting(request: AccessRequest) -> timedelta:
    """How long the request has waited for its answer (or waited, once decided)."""
    end = request.decided_at or clock.now()
    return end - request.submitted_at


@dataclass(frozen=True)
class Turnaround:
    label: str
    decided: int
    open: int
    median_days: float | None
    longest_open_days: float | None


def _days(delta: timedelta) -> float:
    return round(delta.total_seconds() / 86400, 1)


def turnaround(partnership: Partnership) -> dict[str, list[Turnaround]]:
    """Days from submission to decision, per dataset and per requesting party."""
    rows = list(
        AccessRequest.objects.filter(partnership=partnership).select_related(
            "dataset", "organisation"
        )
    )
    created = {r.pk: r.created_at for r in rows}

    def summarise(key) -> list[Turnaround]:
        groups: dict[str, list[AccessRequest]] = {}
        for r in rows:
            groups.setdefault(key(r), []).append(r)
        out = []
        for label, items in sorted(groups.items()):
            # from first submission: changes asked for count against the turnaround
            decided = [_days(r.decided_at - created[r.pk]) for r in items if r.decided_at]
            still = [_days(waiting(r)) for r in items if r.is_open]
            out.append(
                Turnaround(
                    label,
                    len(decided),
                    len(still),
                    statistics.median(decided) if decided else None,
                    max(still) if still else None,
                )
            )
        return out

    return {
        "dataset": summarise(lambda r: r.dataset.name),
        "party": summarise(lambda r: r.organisation.name),
    }
