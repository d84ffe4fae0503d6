"""Datasets: register one in a partnership's catalogue, describe its columns, profile it
(as a background job), and draft its data-use terms until a signed agreement covers it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from carepact.accounts.models import Organisation, User
from carepact.accounts.services import unique_slug
from carepact.core import audit, clock
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.engine.agreements.terms import ART6, ART9
from carepact.engine.policy import TermsError, parse_modifiers
from carepact.engine.policy import purposes as duo
from carepact.engine.release import ReleaseError
from carepact.engine.release.hierarchy import KINDS
from carepact.engine.release.spec import DIRECT_IDENTIFIER_NAMES
from carepact.partnerships.models import Partnership, Party

from .. import locations, profiling
from ..models import ColumnRole, Dataset, JobStatus
from ..rules import DataAction, data_access

# Column names that are usually quasi-identifiers, with the hierarchy that suits them.
QUASI_HINTS = {
    "age": "age",
    "sex": "none",
    "gender": "none",
    "postcode": "uk_postcode",
    "postcode_district": "uk_postcode",
    "ethnicity": "none",
    "deprivation_decile": "none",
    "admission_date": "date",
}
SENSITIVE_HINTS = {"diagnosis", "diagnosis_code", "condition", "procedure"}


def datasets_of(partnership: Partnership) -> QuerySet[Dataset]:
    return Dataset.objects.filter(partnership=partnership).select_related("owner", "partnership")


def catalogue_for(actor: User) -> QuerySet[Dataset]:
    """Every dataset the actor may see, by owning organisation, across their partnerships."""
    return (
        Dataset.objects.visible_to(actor)
        .select_related("owner", "partnership")
        .order_by("owner__name", "partnership__title", "name")
    )


def get_dataset(actor: User, partnership: Partnership, slug: str) -> Dataset:
    dataset = (
        Dataset.objects.visible_to(actor)
        .filter(partnership=partnership, slug=slug)
        .select_related("owner", "partnership")
        .first()
    )
    if dataset is None:
        raise NotFound("No such dataset in this partnership.")
    return dataset


def suggested_columns(types: dict[str, str], patient_id: str) -> list[dict]:
    """A first guess at each column's role, for the data steward to correct."""
    out = []
    for name, kind in types.items():
        lower = name.lower()
        entry = {"name": name, "type": kind, "role": ColumnRole.OTHER, "hierarchy": ""}
        if name == patient_id or lower in DIRECT_IDENTIFIER_NAMES:
            entry["role"] = ColumnRole.DIRECT
        elif lower in QUASI_HINTS:
            entry["role"], entry["hierarchy"] = ColumnRole.QUASI, QUASI_HINTS[lower]
        elif lower in SENSITIVE_HINTS:
            entry["role"] = ColumnRole.SENSITIVE
        out.append(entry)
    return out


def _read_columns(location: str) -> dict[str, str]:
    try:
        return profiling.columns(locations.source_for(location))
    except ReleaseError as exc:
        raise Invalid(
            f"carepact cannot read the dataset: {exc}.", errors={"location": [str(exc)]}
        ) from None


def _clean_spec(k, l_diversity, suppression_limit, approvals_required) -> dict:
    errors: dict[str, list[str]] = {}
    if not isinstance(k, int) or k < 2:
        errors["k"] = ["k is a whole number of at least 2."]
    if l_diversity not in (None, "") and (not isinstance(l_diversity, int) or l_diversity < 2):
        errors["l_diversity"] = ["l is a whole number of at least 2, or empty."]
    try:
        limit = float(suppression_limit)
        if not 0 <= limit < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["suppression_limit"] = ["A share from 0 up to (not including) 1, such as 0.05."]
        limit = 0.0
    if approvals_required not in (1, 2):
        errors["approvals_required"] = ["One or two approvals."]
    if errors:
        raise Invalid("The release settings need correcting.", errors=errors)
    return {
        "k": k,
        "l_diversity": l_diversity or None,
        "suppression_limit": limit,
        "approvals_required": approvals_required,
    }


def _check_basis(article6: str, article9: str) -> None:
    errors = {}
    if article6 and article6 not in ART6:
        errors["article6"] = ["Choose an Article 6 basis."]
    if article9 and article9 not in ART9:
        errors["article9"] = ["Choose an Article 9 condition."]
    if errors:
        raise Invalid("The lawful basis needs correcting.", errors=errors)


def _enqueue_profile(dataset: Dataset) -> None:
    from ..tasks import profile_dataset

    pk = dataset.pk
    transaction.on_commit(lambda: profile_dataset.enqueue(pk))


def register_dataset(
    actor: User,
    partnership: Partnership,
    *,
    owner: Organisation,
    name: str,
    location: str,
    patient_id_column: str,
    description: str = "",
    article6: str = "",
    article9: str = "",
    k: int = 10,
    l_diversity: int | None = None,
    suppression_limit: float = 0.05,
    approvals_required: int = 1,
) -> Dataset:
    """Add a dataset of the steward's organisation; profiling is queued at once."""
    da = data_access(actor, partnership)
    da.check(DataAction.REGISTER)
    if owner.pk not in da.steward_of:
        raise Denied(f"You are not a data steward for {owner} in this partnership.")
    if not Party.objects.filter(
        partnership=partnership, organisation=owner, status=Party.Status.ACTIVE
    ).exists():
        raise Invalid(f"{owner} is not an active party to this partnership.")
    name = (name or "").strip()
    if not name:
        raise Invalid("Give the dataset a name.", errors={"name": ["Required."]})
    _check_basis(article6, article9)
    spec = _clean_spec(k, l_diversity, suppression_limit, approvals_required)
    types = _read_columns(location)
    if patient_id_column not in types:
        raise Invalid(
            "The dataset has no such column.",
            errors={"patient_id_column": ["Name the column that holds the NHS number."]},
        )
    now = clock.now()
    slug = unique_slug(Dataset, name)
    dataset = Dataset.objects.create(
        partnership=partnership,
        owner=owner,
        name=name,
        slug=slug,
        description=(description or "").strip(),
        location=location.strip(),
        patient_id_column=patient_id_column,
        columns=suggested_columns(types, patient_id_column),
        article6=article6,
        article9=article9,
        profile_status=JobStatus.QUEUED,
        created_by=actor,
        created_at=now,
        updated_at=now,
        **spec,
    )
    audit.record(
        actor,
        action="dataset.register",
        obj=dataset,
        partnership=partnership,
        organisation=owner,
        message=f"{actor} added the dataset {dataset} of {owner} to the catalogue.",
        summary={"dataset": dataset.slug, "owner": owner.slug, "columns": len(types)},
    )
    _enqueue_profile(dataset)
    return dataset


def update_dataset(actor: User, dataset: Dataset, **fields) -> Dataset:
    """Change the description, release settings, approvals or lawful basis."""
    data_access(actor, dataset.partnership).check(
        DataAction.MANAGE_DATASET, owner_id=dataset.owner_id
    )
    allowed = {
        "description",
        "article6",
        "article9",
        "k",
        "l_diversity",
        "suppression_limit",
        "approvals_required",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise Invalid(f"Unknown dataset field(s): {', '.join(sorted(unknown))}.")
    merged = {name: fields.get(name, getattr(dataset, name)) for name in allowed}
    _check_basis(merged["article6"], merged["article9"])
    merged.update(
        _clean_spec(
            merged["k"],
            merged["l_diversity"],
            merged["suppression_limit"],
            merged["approvals_required"],
        )
    )
    changed = {n: [getattr(dataset, n), v] for n, v in merged.items() if getattr(dataset, n) != v}
    if not changed:
        return dataset
    for name, (_, value) in changed.items():
        setattr(dataset, name, value)
    dataset.updated_at = clock.now()
    dataset.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor,
        action="dataset.update",
        obj=dataset,
        partnership=dataset.partnership,
        organisation=dataset.owner,
        message=f"{actor} changed the {', '.join(changed)} of {dataset}.",
        summary={"changed": changed},
    )
    return dataset


def set_columns(actor: User, dataset: Dataset, *, columns: dict[str, dict]) -> Dataset:
    """Set each column's role and, for quasi-identifiers, its generalisation hierarchy."""
    data_access(actor, dataset.partnership).check(
        DataAction.MANAGE_DATASET, owner_id=dataset.owner_id
    )
    known = {c["name"]: dict(c) for c in dataset.columns}
    errors: dict[str, list[str]] = {}
    for name, change in columns.items():
        if name not in known:
            errors[name] = ["No such column."]
            continue
        role = change.get("role", known[name]["role"])
        if role not in ColumnRole.values:
            errors[name] = ["Choose a role."]
            continue
        if name == dataset.patient_id_column and role != ColumnRole.DIRECT:
            errors[name] = ["The patient identifier is always a direct identifier."]
            continue
        hierarchy = change.get("hierarchy", known[name].get("hierarchy") or "") or ""
        if role == ColumnRole.QUASI:
            hierarchy = hierarchy or "none"
            if hierarchy not in KINDS:
                errors[name] = [f"Choose a hierarchy: {', '.join(KINDS)}."]
                continue
            if hierarchy == "categorical":
                file = change.get("hierarchy_file") or known[name].get("hierarchy_file") or ""
                try:
                    locations.source_for(file)
                except Invalid:
                    errors[name] = ["A categorical hierarchy needs its file, under datasets."]
                    continue
                known[name]["hierarchy_file"] = file
            if hierarchy == "numeric":
                widths = change.get("widths", known[name].get("widths") or [])
                if not widths or not all(isinstance(w, int | float) and w > 0 for w in widths):
                    errors[name] = ["A numeric hierarchy needs its band widths."]
                    continue
                known[name]["widths"] = list(widths)
            if name.lower() in DIRECT_IDENTIFIER_NAMES and hierarchy in ("none", "categorical"):
                errors[name] = [
                    "A direct identifier can be a quasi-identifier only if generalised."
                ]
                continue
        known[name]["role"] = role
        known[name]["hierarchy"] = hierarchy if role == ColumnRole.QUASI else ""
    if errors:
        raise Invalid("Some columns need correcting.", errors=errors)
    before = {c["name"]: c["role"] for c in dataset.columns}
    dataset.columns = [known[c["name"]] for c in dataset.columns]
    if not dataset.columns_with(ColumnRole.QUASI):
        raise Invalid("A dataset needs at least one quasi-identifier to be released safely.")
    dataset.updated_at = clock.now()
    dataset.save(update_fields=["columns", "updated_at"])
    audit.record(
        actor,
        action="dataset.columns",
        obj=dataset,
        partnership=dataset.partnership,
        organisation=dataset.owner,
        message=f"{actor} set the column roles of {dataset}.",
        summary={
            "roles": {c["name"]: c["role"] for c in dataset.columns},
            "changed": sorted(n for n in before if before[n] != known[n]["role"]),
        },
    )
    return dataset


def request_profile(actor: User, dataset: Dataset) -> Dataset:
    """Queue profiling again (after the data changed, or after a failure)."""
    data_access(actor, dataset.partnership).check(
        DataAction.MANAGE_DATASET, owner_id=dataset.owner_id
    )
    if dataset.profile_status in (JobStatus.QUEUED, JobStatus.RUNNING):
        raise Conflict("Profiling is already queued or running.")
    dataset.profile_status, dataset.profile_error = JobStatus.QUEUED, ""
    dataset.save(update_fields=["profile_status", "profile_error"])
    audit.record(
        actor,
        action="dataset.profile",
        obj=dataset,
        partnership=dataset.partnership,
        organisation=dataset.owner,
        message=f"{actor} asked for {dataset} to be profiled.",
        summary={"dataset": dataset.slug},
    )
    _enqueue_profile(dataset)
    return dataset


def run_profile(dataset_id: int) -> str:
    """The profiling job: counts only; the outcome (or why it failed) lands on the dataset."""
    dataset = Dataset.objects.select_related("owner", "partnership").get(pk=dataset_id)
    Dataset.objects.filter(pk=dataset_id).update(profile_status=JobStatus.RUNNING)
    try:
        found = profiling.profile(
            locations.source_for(dataset.location),
            quasi_identifiers=dataset.columns_with(ColumnRole.QUASI),
            k=dataset.k,
        )
    except (ReleaseError, Invalid) as exc:
        reason = exc.reason if isinstance(exc, Invalid) else str(exc)
        with transaction.atomic():
            Dataset.objects.filter(pk=dataset_id).update(
                profile_status=JobStatus.FAILED, profile_error=reason
            )
            audit.record(
                None,
                action="dataset.profile_failed",
                obj=dataset,
                partnership=dataset.partnership,
                organisation=dataset.owner,
                message=f"Profiling {dataset} failed: {reason}",
                summary={"error": reason},
            )
        return "failed"
    with transaction.atomic():
        Dataset.objects.filter(pk=dataset_id).update(
            profile=found,
            row_count=found["rows"],
            profile_status=JobStatus.SUCCEEDED,
            profile_error="",
            profiled_at=clock.now(),
        )
        audit.record(
            None,
            action="dataset.profiled",
            obj=dataset,
            partnership=dataset.partnership,
            organisation=dataset.owner,
            message=f"{dataset} was profiled: {found['rows']:,} rows.",
            summary={"rows": found["rows"], "columns": len(found["columns"])},
        )
    return "succeeded"


def draft_terms(
    actor: User,
    dataset: Dataset,
    *,
    permission: str,
    modifiers="",
    recipients: list[str] | None = None,
    starts_on: date | None = None,
    expires_on: date | None = None,
) -> Dataset:
    """Terms the steward drafts on the dataset; a signed agreement that names it wins."""
    data_access(actor, dataset.partnership).check(
        DataAction.MANAGE_DATASET, owner_id=dataset.owner_id
    )
    errors: dict[str, list[str]] = {}
    try:
        permission = duo.parse(permission).code
    except duo.PurposeError as exc:
        errors["permission"] = [str(exc)]
    try:
        parsed = parse_modifiers(modifiers)
    except TermsError as exc:
        errors["modifiers"] = [str(exc)]
        parsed = ()
    parties = set(
        Party.objects.filter(partnership=dataset.partnership, status=Party.Status.ACTIVE)
        .exclude(organisation=dataset.owner)
        .values_list("organisation__slug", flat=True)
    )
    recipients = sorted(set(recipients or []))
    if set(recipients) - parties:
        errors["recipients"] = ["Choose among the partnership's other parties."]
    if any(m.code == "TS" for m in parsed) and not starts_on:
        errors["starts_on"] = ["A time limit (TS) counts from the start date: give one."]
    if starts_on and expires_on and expires_on < starts_on:
        errors["expires_on"] = ["The terms end before they start."]
    if errors:
        raise Invalid("The terms need correcting.", errors=errors)
    dataset.draft_permission = permission
    dataset.draft_modifiers = [str(m) for m in parsed]
    dataset.draft_recipients = recipients
    dataset.draft_starts_on, dataset.draft_expires_on = starts_on, expires_on
    dataset.updated_at = clock.now()
    dataset.save(
        update_fields=[
            "draft_permission",
            "draft_modifiers",
            "draft_recipients",
            "draft_starts_on",
            "draft_expires_on",
            "updated_at",
        ]
    )
    audit.record(
        actor,
        action="dataset.terms",
        obj=dataset,
        partnership=dataset.partnership,
        organisation=dataset.owner,
        message=f"{actor} drafted the data-use terms of {dataset}: {permission}"
        + (f" with {', '.join(dataset.draft_modifiers)}" if parsed else "")
        + ".",
        summary={
            "permission": permission,
            "modifiers": dataset.draft_modifiers,
            "recipients": recipients,
            "starts_on": starts_on.isoformat() if starts_on else None,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return dataset
