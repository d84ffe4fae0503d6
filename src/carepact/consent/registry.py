"""The registry key of a data-owning organisation and the hash a patient is known by.

Each organisation's registry has its own key, derived from the instance's identity key
(``core.keys``), so the same person has unrelated hashes in two organisations' registries
and in every recipient's pseudonyms. The hash is HMAC-SHA-256 of the NHS number's ten
digits, the same form the release engine computes over a dataset's identifier column, so
a release's membership index under this key can be matched against the registry.
"""

from __future__ import annotations

import re

from carepact.core import keys
from carepact.core.errors import Invalid
from carepact.engine.identifiers import normalise_nhs_number

_HASH = re.compile(r"^[0-9a-f]{64}$")


def label(organisation) -> str:
    return f"registry:org:{organisation.pk}"


def registry_key(organisation) -> bytes:
    return keys.derive(label(organisation))


def registry_key_id(organisation) -> str:
    return keys.key_id(registry_key(organisation))


def nhs_number(value: str, *, field: str = "nhs_number") -> str:
    """The ten digits of a valid NHS number, or Invalid with a reason that omits the value."""
    try:
        return normalise_nhs_number(value)
    except ValueError as exc:
        raise Invalid(
            f"That is not a valid NHS number: {exc}.", errors={field: [str(exc)]}
        ) from None


def patient_hash(organisation, number: str) -> str:
    """The keyed hash of an NHS number in this organisation's registry (validated first)."""
    return keys.keyed_hash(registry_key(organisation), nhs_number(number))


def is_hash(value: str) -> bool:
    return bool(_HASH.match(value or ""))
