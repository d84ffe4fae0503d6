"""The health-check instrument: versioned data, loaded and checked into frozen dataclasses.

An instrument is a YAML file in ``instruments/`` named after its id. A round records the id
of the instrument it used, so a later version can change its statements without changing
how an old round is read or scored. :func:`load` refuses a file that breaks any of the
rules the scoring relies on (three statements per construct, one pulse anchor each, unique
ids, a five-point scale), naming the problem.

Answers travel as a flat mapping from an *answer key* to a value:

* ``"C1.1"``: a statement about the partnership, 1-5, ``"dk"`` or ``"na"``;
* ``"C2.1@<party>"``: a statement about one party (directional constructs and ``M``);
* ``"I@<party>"``: that party's influence over key decisions, 1-5 or ``"dk"``;
* ``"B"``: benefits against drawbacks, 1-5;
* ``"O1"``, ``"O2"``: free text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

INSTRUMENTS_DIR = Path(__file__).parent / "instruments"
DEFAULT_INSTRUMENT = "carepact-1"
DONT_KNOW, NOT_APPLICABLE = "dk", "na"
MISSING_CODES = (DONT_KNOW, NOT_APPLICABLE)
SCALE = (1, 2, 3, 4, 5)
FULL, PULSE = "full", "pulse"
KINDS = (FULL, PULSE)
OPEN_TEXT_LIMIT = 2000


class InstrumentError(ValueError):
    """An instrument file, or a set of answers, that breaks a rule; the message says which."""


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    construct: str
    reverse: bool = False
    pulse: bool = False
    about_party: bool = False
    mistrust: bool = False  # part of the separately reported mistrust subscale M


@dataclass(frozen=True)
class Choice:
    """A single question with its own five labelled options (balance, influence)."""

    id: str
    text: str
    options: Mapping[int, str]


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    text: str


@dataclass(frozen=True)
class Construct:
    code: str
    name: str
    short: str
    intro: str
    items: tuple[Item, ...]
    directional: bool = False
    outcome: bool = False
    mistrust: tuple[Item, ...] = ()
    balance: Choice | None = None
    influence: Choice | None = None

    @property
    def anchor(self) -> Item:
        return next(item for item in self.items if item.pulse)

    def items_for(self, kind: str) -> tuple[Item, ...]:
        """The construct's scored statements on a form of ``kind``."""
        return (self.anchor,) if kind == PULSE else self.items


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    title: str
    scale: Mapping[int, str]
    missing: Mapping[str, str]
    constructs: tuple[Construct, ...]
    open: tuple[OpenQuestion, ...]

    def construct(self, code: str) -> Construct:
        for construct in self.constructs:
            if construct.code == code:
                return construct
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.constructs)

    @property
    def index_codes(self) -> tuple[str, ...]:
        """The constructs the health index averages: all but the outcome construct."""
        return tuple(c.code for c in self.constructs if not c.outcome)

    @property
    def core_items(self) -> tuple[Item, ...]:
        """The scored statements of every construct (the profile Krippendorff's α reads)."""
        return tuple(item for c in self.constructs for item in c.items)

    @property
    def mistrust_items(self) -> tuple[Item, ...]:
        return tuple(item for c in self.constructs for item in c.mistrust)

    @property
    def balance(self) -> Choice | None:
        return next((c.balance for c in self.constructs if c.balance), None)

    @property
    def influence(self) -> Choice | None:
        return next((c.influence for c in self.constructs if c.influence), None)

    def steps(self, kind: str) -> tuple[str, ...]:
        """The screens of a form: one per construct (or one for a pulse), then open questions."""
        if kind == PULSE:
            return ("pulse",)
        return (*self.codes, "open")

    def answer_keys(self, kind: str, parties: Iterable[str], step: str | None = None) -> list[str]:
        """Every key a form of ``kind`` accepts for ``parties``, optionally for one screen."""
        parties = list(parties)
        keys: list[str] = []
        for construct in self.constructs:
            if step not in (None, construct.code, "pulse"):
                continue
            if step == "pulse" and kind != PULSE:
                continue
            items = list(construct.items_for(kind))
            if kind == FULL:
                items += list(construct.mistrust)
            for item in items:
                if item.about_party:
                    keys += [f"{item.id}@{party}" for party in parties]
                else:
                    keys.append(item.id)
            if kind == FULL and construct.balance:
                keys.append(construct.balance.id)
            if kind == FULL and construct.influence:
                keys += [f"{construct.influence.id}@{party}" for party in parties]
        if kind == FULL and step in (None, "open"):
            keys += [q.id for q in self.open]
        return keys


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InstrumentError(f"{where}: needs a non-empty text")
    return " ".join(raw.split())


def _choice(raw: Any, where: str) -> Choice:
    options = {
        int(k): _text(v, f"{where} option {k}") for k, v in (raw.get("options") or {}).items()
    }
    if tuple(sorted(options)) != SCALE:
        raise InstrumentError(f"{where}: options must be labelled 1 to 5")
    return Choice(id=str(raw["id"]), text=_text(raw.get("text"), where), options=options)


def _construct(raw: Mapping[str, Any]) -> Construct:
    code = str(raw.get("code", ""))
    if not code:
        raise InstrumentError("a construct has no code")
    directional = raw.get("about") == "party"
    items = tuple(
        Item(
            id=str(item["id"]),
            text=_text(item.get("text"), f"{code} item {item.get('id')}"),
            construct=code,
            reverse=bool(item.get("reverse", False)),
            pulse=bool(item.get("pulse", False)),
            about_party=directional,
        )
        for item in raw.get("items") or []
    )
    if len(items) != 3:
        raise InstrumentError(f"{code}: a construct has exactly three statements")
    if sum(item.pulse for item in items) != 1:
        raise InstrumentError(f"{code}: exactly one statement is the pulse anchor")
    mistrust = tuple(
        Item(
            id=str(item["id"]),
            text=_text(item.get("text"), f"{code} mistrust item {item.get('id')}"),
            construct=code,
            about_party=directional,
            mistrust=True,
        )
        for item in raw.get("mistrust") or []
    )
    return Construct(
        code=code,
        name=_text(raw.get("name"), f"{code} name"),
        short=_text(raw.get("short"), f"{code} short name"),
        intro=_text(raw.get("intro"), f"{code} intro"),
        items=items,
        directional=directional,
        outcome=bool(raw.get("outcome", False)),
        mistrust=mistrust,
        balance=_choice(raw["balance"], f"{code} balance") if raw.get("balance") else None,
        influence=_choice(raw["influence"], f"{code} influence") if raw.get("influence") else None,
    )


def parse(data: Mapping[str, Any]) -> Instrument:
    """Check a parsed instrument file and build the :class:`Instrument`."""
    scale = {int(k): str(v) for k, v in (data.get("scale") or {}).items()}
    if tuple(sorted(scale)) != SCALE:
        raise InstrumentError("the scale must label the answers 1 to 5")
    missing = {str(k): str(v) for k, v in (data.get("missing") or {}).items()}
    if set(missing) != set(MISSING_CODES):
        raise InstrumentError("the instrument must label 'dk' and 'na'")
    constructs = tuple(_construct(raw) for raw in data.get("constructs") or [])
    if not constructs:
        raise InstrumentError("an instrument needs constructs")
    open_questions = tuple(
        OpenQuestion(id=str(q["id"]), text=_text(q.get("text"), f"open question {q.get('id')}"))
        for q in data.get("open") or []
    )
    ids = [i.id for c in constructs for i in (*c.items, *c.mistrust)]
    ids += [c.balance.id for c in constructs if c.balance]
    ids += [c.influence.id for c in constructs if c.influence]
    ids += [q.id for q in open_questions]
    codes = [c.code for c in constructs]
    duplicates = sorted({x for x in ids + codes if (ids + codes).count(x) > 1})
    if duplicates:
        raise InstrumentError(f"ids must be unique: {', '.join(duplicates)}")
    if any("@" in x for x in ids):
        raise InstrumentError("ids must not contain '@'")
    if sum(c.outcome for c in constructs) > 1:
        raise InstrumentError("at most one construct is the outcome construct")
    if sum(c.balance is not None for c in constructs) > 1:
        raise InstrumentError("at most one benefits-against-drawbacks question")
    if sum(c.influence is not None for c in constructs) > 1:
        raise InstrumentError("at most one influence question")
    return Instrument(
        id=str(data.get("id", "")),
        version=int(data.get("version", 0)),
        title=_text(data.get("title"), "title"),
        scale=scale,
        missing=missing,
        constructs=constructs,
        open=open_questions,
    )


def available() -> list[str]:
    return sorted(path.stem for path in INSTRUMENTS_DIR.glob("*.yaml"))


@functools.cache
def load(instrument_id: str = DEFAULT_INSTRUMENT) -> Instrument:
    """The instrument with this id, read from the package and checked."""
    if instrument_id not in available():
        raise InstrumentError(f"no instrument {instrument_id!r}; known: {', '.join(available())}")
    data = yaml.safe_load((INSTRUMENTS_DIR / f"{instrument_id}.yaml").read_text())
    instrument = parse(data)
    if instrument.id != instrument_id:
        raise InstrumentError(f"{instrument_id}.yaml declares the id {instrument.id!r}")
    return instrument


def clean_answers(
    instrument: Instrument,
    kind: str,
    parties: Iterable[str],
    answers: Mapping[str, Any],
    *,
    step: str | None = None,
) -> tuple[dict[str, int | str], dict[str, str]]:
    """Keep the answers a form accepts, as ints, ``"dk"``/``"na"`` or text; report the rest.

    Returns ``(cleaned, errors)``: ``errors`` maps an answer key to what is wrong with it.
    An empty value means "not answered" and is simply left out.
    """
    keys = set(instrument.answer_keys(kind, parties, step))
    open_ids = {q.id for q in instrument.open}
    choice_ids = {c.id for c in (instrument.balance, instrument.influence) if c}
    cleaned: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for key, raw in answers.items():
        if key not in keys:
            errors[key] = "This form does not ask this question."
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        if value in ("", None):
            continue
        if key in open_ids:
            if len(str(value)) > OPEN_TEXT_LIMIT:
                errors[key] = f"Keep the answer under {OPEN_TEXT_LIMIT} characters."
            else:
                cleaned[key] = str(value)
            continue
        if value in MISSING_CODES:
            base = key.split("@", 1)[0]
            if base in choice_ids and value == NOT_APPLICABLE:
                errors[key] = "Choose one of the options, or don't know."
            else:
                cleaned[key] = value
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[key] = "Choose one of the options."
            continue
        if number not in SCALE:
            errors[key] = "Choose one of the options."
        else:
            cleaned[key] = number
    return cleaned, errors
