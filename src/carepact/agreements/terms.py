"""The machine-readable data-use terms of a signed data-sharing agreement.

The data-governance work builds its policies from :class:`DataUseTerms` (defined in the
engine, so that policy compilation can use it without Django). Get the terms in force
through ``carepact.agreements.services``:

- ``terms_in_force(partnership) -> list[DataUseTerms]``
- ``covering_terms(partnership, dataset_ref, recipient_org, on=None) -> DataUseTerms | None``
- ``check_release_allowed(partnership, *, dataset, recipient, on=None) -> DataUseTerms``,
  which raises ``core.errors.Conflict`` with the reason when no signed agreement covers it.

See ``docs/agreements.md`` for every field.
"""

from carepact.engine.agreements.terms import (
    DataUseTerms,
    DuoCode,
    Obligation,
    build_terms,
    dataset_key,
)

__all__ = ["DataUseTerms", "DuoCode", "Obligation", "build_terms", "dataset_key"]
