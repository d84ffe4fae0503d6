"""What the data app tells the public page and recognition, through their seams.

Declared on ``DataConfig.carepact_provides`` (see ``carepact.outcomes.seams``). The caller
has already checked that its reader may see what it asks for (the public page only asks
for a published partnership). Nothing here is patient-level: a dataset is named with its
count of distinct patients, a release with its date, purpose, dataset and count of
distinct patients released. The counts are exact; the public page rounds them
(docs/adr/0008-public-page-whitelist-and-rounding.md).

- :func:`datasets` (``public.datasets``) and :func:`releases` (``public.releases``);
- :func:`reviews_by` (``recognition``): access requests a person reviewed or decided.
"""

from __future__ import annotations

from django.utils import timezone

from carepact.accounts.models import User
from carepact.core.indicators import Reading
from carepact.data.models import Dataset, JobStatus, Release, Review
from carepact.engine.policy import purposes as duo
from carepact.partnerships.models import Partnership

NO_DATASET = Reading(None, False, "not yet recorded: no dataset is registered on carepact")


def _distinct_patients(dataset: Dataset) -> int | None:
    """The profile's count of distinct patient identifiers, or None before profiling."""
    for column in (dataset.profile or {}).get("columns", []):
        if column.get("name") == dataset.patient_id_column:
            distinct = column.get("distinct")
            return int(distinct) if isinstance(distinct, int) else None
    return None


def _has_datasets(partnership: Partnership) -> bool:
    return Dataset.objects.filter(partnership=partnership).exists()


def datasets(partnership: Partnership) -> Reading:
    """The datasets offered in the partnership: name, description, distinct patients.

    A partnership with no dataset registered here reads as not recorded (its data may be
    governed elsewhere), never as "none".
    """
    found = list(
        Dataset.objects.filter(partnership=partnership)
        .only("name", "description", "patient_id_column", "profile")
        .order_by("name", "pk")
    )
    if not found:
        return NO_DATASET
    return Reading(
        [
            {"name": d.name, "description": d.description, "patients": _distinct_patients(d)}
            for d in found
        ],
        True,
        "from the data catalogue",
    )


def purpose_in_words(code: str) -> str:
    """A DUO purpose for a lay reader: 'Research on type 2 diabetes mellitus (DS:...)'."""
    try:
        words = duo.describe(code)
    except ValueError:
        return "Research"
    if duo.parse(code).code.startswith("DS:"):
        return f"Research on {words}"
    return words[:1].upper() + words[1:]


def _released_patients(release: Release) -> int | None:
    counts = (release.manifest or {}).get("counts") or {}
    value = counts.get("distinct_patients_released")
    return value if isinstance(value, int) else None


def releases(partnership: Partnership) -> Reading:
    """Completed releases, oldest first: date, purpose in words, dataset, patients released.

    Not recorded (rather than an empty list) when the partnership has no dataset here.
    """
    found = list(
        Release.objects.filter(partnership=partnership, status=JobStatus.SUCCEEDED)
        .select_related("dataset", "request")
        .only("finished_at", "created_at", "manifest", "dataset__name", "request__purpose")
        .order_by("finished_at", "pk")
    )
    if not found and not _has_datasets(partnership):
        return NO_DATASET
    return Reading(
        [
            {
                "date": timezone.localdate(r.finished_at or r.created_at),
                "purpose": purpose_in_words(r.request.purpose),
                "dataset": r.dataset.name,
                "patients": _released_patients(r),
            }
            for r in found
        ],
        True,
        "from the release log",
    )


# -- recognition -----------------------------------------------------------------------------

VERDICTS = {
    Review.Verdict.APPROVE: "Approved",
    Review.Verdict.REJECT: "Rejected",
    Review.Verdict.CHANGES: "Asked for changes to",
}


def reviews_by(person: User | None, partnership_ids: set[int]) -> list[dict]:
    """Access requests ``person`` (everyone, when None: each item says whose) reviewed in
    those partnerships, as ``review_done``; the review that decided a request says so.
    One query, however many reviews."""
    who = {"reviewer": person} if person is not None else {}
    reviews = (
        Review.objects.filter(request__partnership_id__in=set(partnership_ids), **who)
        .select_related("request__dataset", "request__organisation")
        .order_by("at", "pk")
    )
    found = []
    for review in reviews:
        request = review.request
        decided = request.decided_by_id == review.reviewer_id and request.decided_at == review.at
        detail = [f"round {review.round}"] + (["decided the request"] if decided else [])
        found.append(
            {
                "person_id": review.reviewer_id,
                "kind": "review_done",
                "label": f"{VERDICTS.get(review.verdict, 'Reviewed')} the access request from "
                f"{request.organisation} for “{request.dataset.name}”",
                "partnership_id": request.partnership_id,
                "at": review.at,
                "detail": ", ".join(detail),
            }
        )
    return found
