"""Typed clause parameters: declared once per clause version, validated, rendered into text.

A parameter spec is plain data (``{"name": "royalty", "type": "percentage", "label": ...}``)
so that administrators can write new clauses without code. :func:`parse` turns what a person
typed (or what an API client sent) into one normalised JSON value, or raises
:class:`ParamError` with a sentence saying what to write instead; :func:`render` turns a
stored value back into words for the clause text and the schedule of parameters.

Stored values are JSON-safe and canonical (money amounts and percentages as decimal strings,
dates as ISO strings), so the hash of a signed version never depends on float formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pycountry

from carepact.engine.agreements import duo

TYPES: dict[str, str] = {
    "text": "a short piece of text",
    "longtext": "a paragraph of text",
    "list": "a list, one item per line",
    "choice": "one of the listed options",
    "boolean": "yes or no",
    "integer": "a whole number",
    "percentage": "a percentage from 0 to 100, up to two decimal places",
    "date": "a date, as YYYY-MM-DD",
    "duration": "a number and a unit: days, weeks, months or years (for example 18 months)",
    "money": "an amount and an ISO 4217 currency (for example GBP 250,000)",
    "party": "one party to the agreement",
    "parties": "one or more parties to the agreement",
    "duo_permission": "one GA4GH DUO permission code (NRES, GRU, HMB, DS:<disease>, POA)",
    "duo_modifiers": "GA4GH DUO modifier codes separated by commas (for example IRB, PUB, GS:GB)",
    "countries": "ISO 3166 country codes separated by spaces (for example GB IE)",
}

UNITS = ("days", "weeks", "months", "years")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Names the pages use for their own fields next to a clause's parameters.
RESERVED = frozenset(
    {"comment", "clause", "alternative", "answer", "password", "csrfmiddlewaretoken"}
)
_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}


class ParamError(ValueError):
    """A value (or a spec) that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    label: str
    help: str = ""
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for choice
    min: int | None = None
    max: int | None = None
    default: Any = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParamSpec:
        """Read and check one spec as written in the clause library."""
        if not isinstance(data, Mapping):
            raise ParamError("Each parameter is a mapping with at least name, type and label.")
        name = str(data.get("name", ""))
        if not _NAME.match(name):
            raise ParamError(
                f"Parameter name {name!r} must start with a letter and use only lower-case "
                "letters, digits and underscores (at most 40)."
            )
        if name in RESERVED:
            raise ParamError(f"Parameter name {name!r} is reserved: choose another.")
        kind = str(data.get("type", ""))
        if kind not in TYPES:
            raise ParamError(f"Parameter {name}: type {kind!r} is not one of {', '.join(TYPES)}.")
        label = str(data.get("label", "")).strip()
        if not label:
            raise ParamError(f"Parameter {name} needs a label people can read.")
        unknown = set(data) - {
            "name",
            "type",
            "label",
            "help",
            "required",
            "options",
            "min",
            "max",
            "default",
        }
        if unknown:
            raise ParamError(f"Parameter {name}: unknown key(s) {', '.join(sorted(unknown))}.")
        options: tuple[tuple[str, str], ...] = ()
        if kind == "choice":
            raw = data.get("options") or []
            try:
                options = tuple(
                    (str(o[0]), str(o[1])) if isinstance(o, list | tuple) else (str(o), str(o))
                    for o in raw
                )
            except (IndexError, TypeError):
                raise ParamError(f"Parameter {name}: options are [value, label] pairs.") from None
            if len(options) < 2:
                raise ParamError(f"Parameter {name}: a choice needs at least two options.")
        for bound in ("min", "max"):
            if data.get(bound) is not None and not isinstance(data[bound], int):
                raise ParamError(f"Parameter {name}: {bound} must be a whole number.")
        spec = cls(
            name=name,
            type=kind,
            label=label,
            help=str(data.get("help", "")),
            required=bool(data.get("required", True)),
            options=options,
            min=data.get("min"),
            max=data.get("max"),
        )
        default = data.get("default")
        if default is not None:
            spec = _with_default(spec, default)
        return spec

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "label": self.label}
        if self.help:
            out["help"] = self.help
        if not self.required:
            out["required"] = False
        if self.options:
            out["options"] = [list(o) for o in self.options]
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        if self.default is not None:
            out["default"] = self.default
        return out

    @property
    def format_hint(self) -> str:
        return TYPES[self.type]


def _with_default(spec: ParamSpec, default: Any) -> ParamSpec:
    if spec.type in ("party", "parties"):
        raise ParamError(f"Parameter {spec.name}: party parameters cannot have a default.")
    try:
        value = parse(spec, default, Context())
    except ParamError as exc:
        raise ParamError(f"Parameter {spec.name}: the default is not valid: {exc}") from None
    return replace(spec, default=value)


def specs_from(data: Iterable[Mapping[str, Any]]) -> list[ParamSpec]:
    """All specs of a clause version; names must be unique."""
    specs = [ParamSpec.from_dict(d) for d in data]
    names = [s.name for s in specs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ParamError(f"Parameter name(s) used twice: {', '.join(twice)}.")
    return specs


@dataclass(frozen=True)
class Context:
    """What parameters are checked and rendered against: the agreement's parties.

    ``parties`` maps each party's key (an organisation slug) to its name. ``None`` means
    "no agreement yet" (the clause library), where party values are not checked.
    """

    parties: Mapping[str, str] | None = None
    party_order: tuple[str, ...] = field(default=())

    def party_name(self, key: str) -> str:
        if self.parties is None:
            return f"[{key}]"
        return self.parties.get(key, key)


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw in ([], {}, ())


def parse(spec: ParamSpec, raw: Any, ctx: Context) -> Any:
    """The normalised value of ``raw`` for ``spec``; ``None`` when empty and optional."""
    if _empty(raw):
        if spec.required:
            raise ParamError("This is required.")
        return None
    value = _PARSERS[spec.type](spec, raw, ctx)
    if _empty(value):
        if spec.required:
            raise ParamError("This is required.")
        return None
    return value


def _text(spec, raw, ctx, limit=500):
    if not isinstance(raw, str | int | float):
        raise ParamError("Write this as text.")
    text = " ".join(str(raw).split()) if limit <= 500 else str(raw).strip()
    maximum = spec.max or limit
    if len(text) > maximum:
        raise ParamError(f"Keep this under {maximum} characters.")
    return text


def _longtext(spec, raw, ctx):
    return _text(spec, raw, ctx, limit=4000)


def _lines(raw) -> list[str]:
    if isinstance(raw, str):
        items = raw.splitlines()
    elif isinstance(raw, list | tuple):
        items = [str(i) for i in raw]
    else:
        raise ParamError("Give a list, one item per line.")
    return [" ".join(i.split()) for i in items if i.strip()]


def _list(spec, raw, ctx):
    items = _lines(raw)
    if spec.max is not None and len(items) > spec.max:
        raise ParamError(f"At most {spec.max} items.")
    if spec.min is not None and len(items) < spec.min:
        raise ParamError(f"At least {spec.min} items.")
    if any(len(i) > 500 for i in items):
        raise ParamError("Keep each item under 500 characters.")
    return items


def _choice(spec, raw, ctx):
    value = str(raw).strip()
    values = [v for v, _ in spec.options]
    if value not in values:
        labels = {label.lower(): v for v, label in spec.options}
        if value.lower() in labels:
            return labels[value.lower()]
        raise ParamError(f"Choose one of: {', '.join(label for _, label in spec.options)}.")
    return value


def _boolean(spec, raw, ctx):
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("yes", "true", "on", "1", "y"):
        return True
    if text in ("no", "false", "off", "0", "n"):
        return False
    raise ParamError("Answer yes or no.")


def _integer(spec, raw, ctx):
    if isinstance(raw, bool):
        raise ParamError("Give a whole number.")
    text = str(raw).strip().replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise ParamError("Give a whole number.")
    number = int(text)
    if spec.min is not None and number < spec.min:
        raise ParamError(f"At least {spec.min}.")
    if spec.max is not None and number > spec.max:
        raise ParamError(f"At most {spec.max}.")
    return number


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ParamError("Give a number.") from None
    if not number.is_finite():
        raise ParamError("Give a number.")
    return number


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def _percentage(spec, raw, ctx):
    if isinstance(raw, bool):
        raise ParamError("Give a percentage from 0 to 100.")
    number = _decimal(str(raw).strip().rstrip("%").strip())
    if not Decimal(0) <= number <= Decimal(100):
        raise ParamError("Give a percentage from 0 to 100.")
    if number != number.quantize(Decimal("0.01")):
        raise ParamError("Use at most two decimal places.")
    return _plain(number)


def _date(spec, raw, ctx):
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise ParamError("Write the date as YYYY-MM-DD, for example 2027-03-31.") from None


_DURATION = re.compile(r"^\s*(\d+)\s*([a-z]+)\s*$")


def _duration(spec, raw, ctx):
    text = f"{raw.get('value', '')} {raw.get('unit', '')}" if isinstance(raw, Mapping) else str(raw)
    match = _DURATION.match(text.lower())
    if not match:
        raise ParamError("Write a number and a unit, for example 18 months or 90 days.")
    value, unit = int(match.group(1)), match.group(2)
    if not unit.endswith("s"):
        unit += "s"
    if unit not in UNITS:
        raise ParamError(f"The unit is one of {', '.join(UNITS)}.")
    if value < 1:
        raise ParamError("A duration is at least 1.")
    if spec.max is not None and value > spec.max:
        raise ParamError(f"At most {spec.max} {unit}.")
    return {"value": value, "unit": unit}


def _money(spec, raw, ctx):
    if isinstance(raw, Mapping):
        amount_text, currency = str(raw.get("amount", "")), str(raw.get("currency", ""))
    else:
        text = str(raw).strip()
        for symbol, code in _SYMBOLS.items():
            if text.startswith(symbol):
                text = f"{code} {text[1:]}"
        parts = text.replace(",", "").split()
        letters = [p for p in parts if p.isalpha()]
        numbers = [p for p in parts if not p.isalpha()]
        if len(letters) != 1 or len(numbers) != 1:
            raise ParamError("Write an amount and a currency, for example GBP 250,000.")
        amount_text, currency = numbers[0], letters[0]
    currency = currency.strip().upper()
    if pycountry.currencies.get(alpha_3=currency) is None:
        raise ParamError(f"{currency or 'The currency'} is not an ISO 4217 currency code.")
    amount = _decimal(amount_text.replace(",", "").strip())
    if amount < 0:
        raise ParamError("An amount cannot be negative.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ParamError("Use at most two decimal places (pence or cents).")
    return {
        "amount": str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        "currency": currency,
    }


def _party_key(raw, ctx) -> str:
    key = str(raw.get("organisation", "")) if isinstance(raw, Mapping) else str(raw).strip()
    if ctx.parties is not None and key not in ctx.parties:
        raise ParamError(f"{key or 'That'} is not a party to this agreement.")
    return key


def _party(spec, raw, ctx):
    return _party_key(raw, ctx)


def _parties(spec, raw, ctx):
    items = [p for p in re.split(r"[,\s]+", raw) if p] if isinstance(raw, str) else list(raw)
    keys = []
    for item in items:
        key = _party_key(item, ctx)
        if key not in keys:
            keys.append(key)
    if ctx.party_order:
        keys.sort(key=lambda k: ctx.party_order.index(k) if k in ctx.party_order else 99)
    return keys


def _duo_permission(spec, raw, ctx):
    if isinstance(raw, Mapping):
        raw = f"{raw.get('code', '')}:{raw.get('value', '')}".rstrip(":")
    try:
        return duo.parse_term(str(raw), kind="permission").as_dict()
    except duo.DuoError as exc:
        raise ParamError(str(exc)) from None


def _duo_modifiers(spec, raw, ctx):
    try:
        return [t.as_dict() for t in duo.parse_modifiers(raw)]
    except duo.DuoError as exc:
        raise ParamError(str(exc)) from None


def _countries(spec, raw, ctx):
    items = raw.replace(",", " ").split() if isinstance(raw, str) else [str(i) for i in raw]
    codes = []
    for item in items:
        code = item.strip().upper()
        if pycountry.countries.get(alpha_2=code) is None:
            raise ParamError(f"{item} is not an ISO 3166 two-letter country code.")
        if code not in codes:
            codes.append(code)
    return codes


_PARSERS = {
    "text": _text,
    "longtext": _longtext,
    "list": _list,
    "choice": _choice,
    "boolean": _boolean,
    "integer": _integer,
    "percentage": _percentage,
    "date": _date,
    "duration": _duration,
    "money": _money,
    "party": _party,
    "parties": _parties,
    "duo_permission": _duo_permission,
    "duo_modifiers": _duo_modifiers,
    "countries": _countries,
}


def parse_all(
    specs: Iterable[ParamSpec], raw: Mapping[str, Any], ctx: Context
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(values, errors by parameter name) for a whole clause; unknown names are errors."""
    specs = list(specs)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    known = {s.name for s in specs}
    for name in sorted(set(raw) - known):
        errors[name] = ["This clause has no such parameter."]
    for spec in specs:
        try:
            values[spec.name] = parse(spec, raw.get(spec.name, spec.default), ctx)
        except ParamError as exc:
            errors[spec.name] = [str(exc)]
    return values, errors


def problems(specs: Iterable[ParamSpec], values: Mapping[str, Any], ctx: Context) -> list[str]:
    """What is wrong with stored values now (a party may have left since they were set)."""
    _, errors = parse_all(specs, {k: v for k, v in values.items() if v is not None}, ctx)
    labels = {s.name: s.label for s in specs}
    return [f"{labels.get(n, n)}: {' '.join(m)}" for n, m in sorted(errors.items())]


# -- words -----------------------------------------------------------------------------------


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _unit(value: int, unit: str) -> str:
    return f"{value} {unit[:-1] if value == 1 else unit}"


def render(spec: ParamSpec, value: Any, ctx: Context) -> str:
    """A stored value in words, as it reads inside the clause text."""
    if value is None or value == [] or value == "":
        return "[not specified]"
    kind = spec.type
    if kind == "list":
        if len(value) == 1:
            return value[0]
        return "; ".join(f"({i}) {item}" for i, item in enumerate(value, 1))
    if kind == "choice":
        return dict(spec.options).get(value, value)
    if kind == "boolean":
        return "yes" if value else "no"
    if kind == "integer":
        return f"{value:,}"
    if kind == "percentage":
        return f"{value}%"
    if kind == "date":
        return date.fromisoformat(value).strftime("%-d %B %Y")
    if kind == "duration":
        return _unit(value["value"], value["unit"])
    if kind == "money":
        amount = Decimal(value["amount"])
        return f"{value['currency']} {amount:,.2f}"
    if kind == "party":
        return ctx.party_name(value)
    if kind == "parties":
        return _and([ctx.party_name(k) for k in value])
    if kind == "duo_permission":
        return duo.describe(duo.Term(value["code"], value.get("value", "")))
    if kind == "duo_modifiers":
        return _and([duo.describe(duo.Term(t["code"], t.get("value", ""))) for t in value])
    if kind == "countries":
        return _and([country_name(c) for c in value])
    return str(value)


# Countries whose names read with "the" inside a sentence.
_THE = frozenset({"GB", "US", "NL", "AE", "CZ", "PH", "BS", "GM"})


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or country.name
    return f"the {name}" if code in _THE else name


def as_input(spec: ParamSpec, value: Any) -> Any:
    """A stored value as a person would type it back into a form."""
    if value is None:
        return ""
    kind = spec.type
    if kind == "list":
        return "\n".join(value)
    if kind == "boolean":
        return value
    if kind == "duration":
        return _unit(value["value"], value["unit"])
    if kind == "money":
        return f"{value['currency']} {value['amount']}"
    if kind == "duo_permission":
        return str(duo.Term(value["code"], value.get("value", "")))
    if kind == "duo_modifiers":
        return ", ".join(str(duo.Term(t["code"], t.get("value", ""))) for t in value)
    if kind == "countries":
        return " ".join(value)
    if kind == "parties":
        return list(value)
    return str(value)


# -- dates -----------------------------------------------------------------------------------


def add_duration(start: date, duration: Mapping[str, Any]) -> date:
    """``start`` plus a stored duration; months and years keep the day of the month (or the
    last day of a shorter month)."""
    value, unit = int(duration["value"]), duration["unit"]
    if unit == "days":
        return date.fromordinal(start.toordinal() + value)
    if unit == "weeks":
        return date.fromordinal(start.toordinal() + 7 * value)
    months = value * (12 if unit == "years" else 1)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in range(start.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(start.day, 28))


def duration_days(duration: Mapping[str, Any]) -> int:
    """Approximate length in days (for comparisons, not for due dates)."""
    per = {"days": 1, "weeks": 7, "months": 30, "years": 365}
    return int(duration["value"]) * per[duration["unit"]]
