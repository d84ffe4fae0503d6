"""The release spec: what to release, how to protect it, where to write it.

A spec is read from YAML or JSON (or built in code as a dict) and checked here, at the
edge, into frozen dataclasses. Every error names the field and the problem; none repeats a
value from the data. ``docs/release.md`` documents each field; ``SPEC_FIELDS`` lists them
so a test can check the documentation keeps up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from carepact.engine.release.errors import ReleaseError
from carepact.engine.release.hierarchy import KINDS, Hierarchy, built_in, load_categorical

# Column names that are direct identifiers wherever they appear: HIPAA Safe Harbor's
# eighteen kinds as they are usually named, plus the NHS number. A column with one of these
# names may be a quasi-identifier only if it is generalised (dates of birth), and may never
# be kept or released as it is.
DIRECT_IDENTIFIER_NAMES = frozenset(
    [
        "name",
        "full_name",
        "first_name",
        "firstname",
        "given_name",
        "forename",
        "last_name",
        "lastname",
        "surname",
        "family_name",
        "middle_name",
        "patient_name",
        "address",
        "address_line1",
        "address_line2",
        "street",
        "street_address",
        "city",
        "town",
        "phone",
        "phone_number",
        "telephone",
        "tel",
        "mobile",
        "fax",
        "fax_number",
        "email",
        "email_address",
        "e_mail",
        "ssn",
        "social_security_number",
        "nhs_number",
        "nhs_no",
        "chi_number",
        "mrn",
        "medical_record_number",
        "hospital_number",
        "health_plan_number",
        "beneficiary_number",
        "account_number",
        "certificate_number",
        "licence_number",
        "license_number",
        "vehicle_registration",
        "device_serial_number",
        "url",
        "web_url",
        "ip",
        "ip_address",
        "biometric_id",
        "photo",
        "photograph",
        "date_of_birth",
        "dob",
        "birth_date",
        "birthdate",
        "date_of_death",
        "dod",
    ]
)
FORMATS = ("parquet", "csv")
METRICS = ("loss", "discernibility")
L_KINDS = ("distinct", "entropy")
ID_KINDS = ("nhs_number", "text")

SPEC_FIELDS = (
    "input",
    "output",
    "format",
    "patient_id",
    "drop",
    "quasi_identifiers",
    "sensitive",
    "keep",
    "privacy",
    "consent",
    "pseudonym_key",
)
PRIVACY_FIELDS = ("k", "l", "l_kind", "suppression_limit", "metric")
QI_FIELDS = ("hierarchy", "file", "widths", "weight")
INPUT_FIELDS = ("path", "format", "duckdb", "postgres", "table")
CONSENT_FIELDS = ("exclude", "column")
PATIENT_ID_FIELDS = ("column", "kind")


@dataclass(frozen=True)
class Source:
    """Where rows come from: files (a file, a folder or a glob) or a database table."""

    path: Path | None = None
    format: str | None = None  # parquet or csv; None: from the file name
    duckdb: Path | None = None
    postgres: str | None = None
    table: str | None = None

    def describe(self) -> str:
        if self.path is not None:
            return self.path.name
        return f"table {self.table}"


@dataclass(frozen=True)
class QuasiIdentifier:
    column: str
    hierarchy: Hierarchy
    weight: float = 1.0


@dataclass(frozen=True)
class Sensitive:
    column: str
    l: float | None = None  # noqa: E741 - l is the model's name for it
    kind: str = "distinct"


@dataclass(frozen=True)
class PrivacyModel:
    k: int
    suppression_limit: float = 0.0
    metric: str = "loss"


@dataclass(frozen=True)
class Consent:
    exclude_file: Path | None = None
    exclude_list: tuple[str, ...] = ()
    column: str | None = None


@dataclass(frozen=True)
class ReleaseSpec:
    """A checked release spec. Paths are absolute (resolved against the spec's folder)."""

    source: Source
    output: Path
    format: str
    patient_id: str
    patient_id_kind: str
    drop: tuple[str, ...] | None
    quasi_identifiers: tuple[QuasiIdentifier, ...]
    sensitive: tuple[Sensitive, ...]
    keep: tuple[str, ...]
    privacy: PrivacyModel
    consent: Consent
    pseudonym_key: str | None
    fingerprint: str  # SHA-256 of the spec as given, for the manifest

    @property
    def qi_columns(self) -> tuple[str, ...]:
        return tuple(q.column for q in self.quasi_identifiers)

    @property
    def sensitive_columns(self) -> tuple[str, ...]:
        return tuple(s.column for s in self.sensitive)

    @property
    def released_columns(self) -> tuple[str, ...]:
        return ("pseudonym", *self.qi_columns, *self.sensitive_columns, *self.keep)


def load_spec(path: str | os.PathLike[str]) -> ReleaseSpec:
    """Read a spec file (YAML or JSON); relative paths inside are relative to its folder."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReleaseError(f"spec file {path.name} not found") from None
    except IsADirectoryError:
        raise ReleaseError(f"spec {path.name} is a folder, not a file") from None
    try:
        data = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f" near line {line + 1}" if line is not None else ""
        raise ReleaseError(f"spec file {path.name} is not valid YAML or JSON{where}") from None
    from carepact.engine.hashchain import sha256_hex

    return spec_from_dict(data, base_dir=path.resolve().parent, fingerprint=sha256_hex(raw))


def spec_from_dict(data: Any, *, base_dir: Path, fingerprint: str | None = None) -> ReleaseSpec:
    """Check a spec given as plain data (what YAML or JSON gives) and build it."""
    from carepact.engine.hashchain import canonical_json, sha256_hex

    if not isinstance(data, Mapping):
        raise ReleaseError("spec: expected a mapping of fields at the top level")
    _no_unknown(data, SPEC_FIELDS, "")
    if fingerprint is None:
        try:
            fingerprint = sha256_hex(canonical_json(_plain(data)))
        except (TypeError, ValueError):
            raise ReleaseError(
                "spec: values must be plain text, numbers, lists and mappings"
            ) from None
    base_dir = Path(base_dir)

    source = _source(_required(data, "input"), base_dir)
    fmt = data.get("format")
    out = _required(data, "output")
    if isinstance(out, Mapping):
        _no_unknown(out, ("path", "format"), "output")
        fmt = out.get("format", fmt)
        out = _required(out, "path", "output")
    output = _path(out, "output", base_dir)
    if fmt is None:
        fmt = "csv" if output.suffix.lower() == ".csv" else "parquet"
    if fmt not in FORMATS:
        raise ReleaseError(f"spec field 'format': use one of {', '.join(FORMATS)}")

    pid = _required(data, "patient_id")
    pid_kind = None
    if isinstance(pid, Mapping):
        _no_unknown(pid, PATIENT_ID_FIELDS, "patient_id")
        pid_kind = pid.get("kind")
        pid = _required(pid, "column", "patient_id")
    pid = _name(pid, "patient_id")
    if pid_kind is None:
        # NHS numbers are checked and normalised; other identifiers are taken as text.
        pid_kind = "nhs_number" if "nhs" in pid.lower() else "text"
    if pid_kind not in ID_KINDS:
        raise ReleaseError(f"spec field 'patient_id.kind': use one of {', '.join(ID_KINDS)}")

    drop = None
    if "drop" in data and data["drop"] is not None:
        drop = tuple(_names(data["drop"], "drop"))

    qis = _quasi_identifiers(_required(data, "quasi_identifiers"), base_dir)
    privacy, default_l, default_l_kind = _privacy(_required(data, "privacy"))
    sensitive = _sensitive(data.get("sensitive", []), default_l, default_l_kind)
    if default_l is not None and not sensitive:
        raise ReleaseError(
            "spec field 'privacy.l': l-diversity needs at least one sensitive attribute"
        )
    keep = tuple(_names(data.get("keep", []), "keep"))
    consent = _consent(data.get("consent"), base_dir)
    key = data.get("pseudonym_key")
    if key is not None and (not isinstance(key, str) or not key.startswith(("env:", "file:"))):
        raise ReleaseError(
            "spec field 'pseudonym_key': write env:VARIABLE or file:PATH, never the key itself"
        )

    seen: dict[str, str] = {pid: "patient_id"}
    for role, cols in (
        ("quasi_identifiers", [q.column for q in qis]),
        ("sensitive", [s.column for s in sensitive]),
        ("keep", list(keep)),
    ):
        for col in cols:
            if col in seen:
                raise ReleaseError(f"spec: column '{col}' is listed in both {seen[col]} and {role}")
            seen[col] = role
    if "pseudonym" in seen:
        raise ReleaseError(
            "spec: the column name 'pseudonym' is reserved for the released pseudonym"
        )
    for col in drop or ():
        if col in seen and col != pid:
            raise ReleaseError(f"spec: column '{col}' is listed in both drop and {seen[col]}")
    for col in (*keep, *(s.column for s in sensitive)):
        if col.lower() in DIRECT_IDENTIFIER_NAMES:
            raise ReleaseError(
                f"spec: column '{col}' is a direct identifier and cannot be released as it is"
            )
    for q in qis:
        if q.column.lower() in DIRECT_IDENTIFIER_NAMES and q.hierarchy.kind in (
            "none",
            "categorical",
        ):
            raise ReleaseError(
                f"spec: column '{q.column}' is a direct identifier; as a quasi-identifier it needs "
                "a generalising hierarchy"
            )

    return ReleaseSpec(
        source=source,
        output=output,
        format=fmt,
        patient_id=pid,
        patient_id_kind=pid_kind,
        drop=drop,
        quasi_identifiers=qis,
        sensitive=sensitive,
        keep=keep,
        privacy=privacy,
        consent=consent,
        pseudonym_key=key,
        fingerprint=fingerprint,
    )


def resolve_key(spec: ReleaseSpec, *, base_dir: Path | None = None) -> bytes:
    """Read the pseudonymisation key the spec points at (environment or key file).

    The key's bytes are returned to the caller and never appear in a message.
    """
    ref = spec.pseudonym_key
    if ref is None:
        raise ReleaseError("spec field 'pseudonym_key' is missing: give env:VARIABLE or file:PATH")
    if ref.startswith("env:"):
        name = ref[4:]
        value = os.environ.get(name)
        if not value:
            raise ReleaseError(f"pseudonym key: environment variable {name} is not set")
        key = value.encode("utf-8")
    else:
        path = Path(ref[5:])
        if not path.is_absolute():
            path = (base_dir or spec.output.parent) / path
        try:
            key = path.read_bytes().rstrip(b"\r\n")
        except OSError:
            raise ReleaseError(f"pseudonym key: key file {path.name} cannot be read") from None
    check_key(key)
    return key


def check_key(key: bytes) -> None:
    from carepact.engine.release.pseudonym import MIN_KEY_BYTES

    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ReleaseError(f"pseudonym key: it must be at least {MIN_KEY_BYTES} bytes long")


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _no_unknown(data: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in allowed:
            name = f"{where}.{key}" if where else str(key)
            raise ReleaseError(
                f"spec field '{name}': unknown field; expected one of {', '.join(allowed)}"
            )


def _required(data: Mapping[str, Any], key: str, where: str = "") -> Any:
    if key not in data or data[key] is None:
        name = f"{where}.{key}" if where else key
        raise ReleaseError(f"spec field '{name}' is required")
    return data[key]


def _name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ReleaseError(f"spec field '{where}': expected a column name")
    return value


def _names(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ReleaseError(f"spec field '{where}': expected a list of column names")
    names = [_name(v, where) for v in value]
    if len(set(names)) != len(names):
        raise ReleaseError(f"spec field '{where}': a column is listed twice")
    return names


def _path(value: Any, where: str, base_dir: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ReleaseError(f"spec field '{where}': expected a path")
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base_dir / path)


def _source(value: Any, base_dir: Path) -> Source:
    if isinstance(value, str):
        return Source(path=_path(value, "input", base_dir))
    if not isinstance(value, Mapping):
        raise ReleaseError("spec field 'input': expected a path or a mapping")
    _no_unknown(value, INPUT_FIELDS, "input")
    fmt = value.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ReleaseError(f"spec field 'input.format': use one of {', '.join(FORMATS)}")
    if "path" in value:
        return Source(path=_path(value["path"], "input.path", base_dir), format=fmt)
    table = value.get("table")
    if not isinstance(table, str) or not table:
        raise ReleaseError("spec field 'input.table': a database input needs a table name")
    if "duckdb" in value:
        return Source(duckdb=_path(value["duckdb"], "input.duckdb", base_dir), table=table)
    if "postgres" in value:
        if not isinstance(value["postgres"], str):
            raise ReleaseError("spec field 'input.postgres': expected a connection string")
        return Source(postgres=value["postgres"], table=table)
    raise ReleaseError("spec field 'input': give path, or duckdb and table, or postgres and table")


def _quasi_identifiers(value: Any, base_dir: Path) -> tuple[QuasiIdentifier, ...]:
    if not isinstance(value, Mapping) or not value:
        raise ReleaseError(
            "spec field 'quasi_identifiers': expected a mapping of columns to hierarchies"
        )
    out = []
    for column, conf in value.items():
        where = f"quasi_identifiers.{column}"
        column = _name(column, where)
        if isinstance(conf, str):
            conf = {"hierarchy": conf}
        if not isinstance(conf, Mapping):
            raise ReleaseError(
                f"spec field '{where}': expected a mapping such as {{hierarchy: age}}"
            )
        _no_unknown(conf, QI_FIELDS, where)
        kind = _required(conf, "hierarchy", where)
        if kind not in KINDS:
            raise ReleaseError(
                f"spec field '{where}.hierarchy': unknown kind; use one of {', '.join(KINDS)}"
            )
        if kind == "categorical":
            file = _path(_required(conf, "file", where), f"{where}.file", base_dir)
            hierarchy = load_categorical(file, field_name=column)
        else:
            if "file" in conf:
                raise ReleaseError(
                    f"spec field '{where}.file': only a categorical hierarchy reads a file"
                )
            widths = conf.get("widths", [])
            if not isinstance(widths, list):
                raise ReleaseError(f"spec field '{where}.widths': expected a list of numbers")
            if widths and kind != "numeric":
                raise ReleaseError(
                    f"spec field '{where}.widths': only a numeric hierarchy takes widths"
                )
            hierarchy = built_in(kind, widths=widths, field_name=where)
        weight = conf.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            raise ReleaseError(f"spec field '{where}.weight': expected a positive number")
        out.append(QuasiIdentifier(column, hierarchy, float(weight)))
    return tuple(out)


def _privacy(value: Any) -> tuple[PrivacyModel, float | None, str]:
    if not isinstance(value, Mapping):
        raise ReleaseError("spec field 'privacy': expected a mapping such as {k: 10}")
    _no_unknown(value, PRIVACY_FIELDS, "privacy")
    k = _required(value, "k", "privacy")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ReleaseError("spec field 'privacy.k': expected a whole number of at least 1")
    limit = value.get("suppression_limit", 0)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 <= limit < 1:
        raise ReleaseError(
            "spec field 'privacy.suppression_limit': "
            "expected a share from 0 up to (not including) 1"
        )
    metric = value.get("metric", "loss")
    if metric not in METRICS:
        raise ReleaseError(f"spec field 'privacy.metric': use one of {', '.join(METRICS)}")
    l_kind = value.get("l_kind", "distinct")
    if l_kind not in L_KINDS:
        raise ReleaseError(f"spec field 'privacy.l_kind': use one of {', '.join(L_KINDS)}")
    ell = value.get("l")
    if ell is not None:
        ell = _l_value(ell, l_kind, "privacy.l")
    return PrivacyModel(k=k, suppression_limit=float(limit), metric=metric), ell, l_kind


def _l_value(value: Any, kind: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 1:
        raise ReleaseError(f"spec field '{where}': expected a number of at least 1")
    if kind == "distinct" and not float(value).is_integer():
        raise ReleaseError(f"spec field '{where}': distinct l-diversity needs a whole number")
    return float(value)


def _sensitive(value: Any, default_l: float | None, default_kind: str) -> tuple[Sensitive, ...]:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return tuple(Sensitive(c, default_l, default_kind) for c in _names(value, "sensitive"))
    if isinstance(value, Mapping):
        out = []
        for column, conf in value.items():
            where = f"sensitive.{column}"
            conf = conf or {}
            if not isinstance(conf, Mapping):
                raise ReleaseError(f"spec field '{where}': expected a mapping such as {{l: 2}}")
            _no_unknown(conf, ("l", "kind"), where)
            kind = conf.get("kind", default_kind)
            if kind not in L_KINDS:
                raise ReleaseError(f"spec field '{where}.kind': use one of {', '.join(L_KINDS)}")
            ell = conf.get("l", default_l)
            out.append(
                Sensitive(
                    _name(column, where),
                    _l_value(ell, kind, f"{where}.l") if ell is not None else None,
                    kind,
                )
            )
        return tuple(out)
    raise ReleaseError("spec field 'sensitive': expected a list of column names")


def _consent(value: Any, base_dir: Path) -> Consent:
    if value is None:
        return Consent()
    if not isinstance(value, Mapping):
        raise ReleaseError(
            "spec field 'consent': expected a mapping such as {exclude: optouts.csv}"
        )
    _no_unknown(value, CONSENT_FIELDS, "consent")
    exclude = _required(value, "exclude", "consent")
    column = value.get("column")
    if column is not None:
        column = _name(column, "consent.column")
    if isinstance(exclude, list):
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in exclude):
            raise ReleaseError("spec field 'consent.exclude': a list holds identifiers as text")
        return Consent(exclude_list=tuple(str(v) for v in exclude), column=column)
    return Consent(exclude_file=_path(exclude, "consent.exclude", base_dir), column=column)
