"""Releases of patient-level data: consent-filtered, pseudonymised, k-anonymous, l-diverse.

The public entry points:

* ``run_release(spec, key=...)`` runs a release and writes the table, its report (JSON
  and HTML), manifest and membership index; the platform calls it as a background job.
* ``load_spec(path)`` / ``spec_from_dict(data, base_dir=...)`` read and check a spec.
* ``check_table(path, qi=..., sensitive=..., k=..., l=...)`` measures any table.
* ``analyse_spec(spec)`` runs the first pass and the search only (``release explain``).
* ``membership_contains(index, pseudonym)`` looks one person up in a release's index;
  ``membership_matches(index, pseudonyms)`` returns those of many that it lists.

Every bad-input failure raises ``ReleaseError``, whose message never holds a data value.
"""

from carepact.engine.release.errors import ReleaseError
from carepact.engine.release.pseudonym import key_identifier, pseudonym
from carepact.engine.release.run import (
    ENGINE_VERSION,
    CheckResult,
    ReleaseResult,
    analyse_spec,
    check_table,
    membership_contains,
    membership_matches,
    output_paths,
    run_release,
)
from carepact.engine.release.spec import ReleaseSpec, load_spec, resolve_key, spec_from_dict

__all__ = [
    "ENGINE_VERSION",
    "CheckResult",
    "ReleaseError",
    "ReleaseResult",
    "ReleaseSpec",
    "analyse_spec",
    "check_table",
    "key_identifier",
    "load_spec",
    "membership_contains",
    "membership_matches",
    "output_paths",
    "pseudonym",
    "resolve_key",
    "run_release",
    "spec_from_dict",
]
