"""Typed clause parameters: what each type accepts, how it is stored, how it reads."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepact.engine.agreements import params
from carepact.engine.agreements.params import Context, ParamError, ParamSpec

PARTIES = Context(
    parties={"trust": "Northgate NHS Trust", "co": "Brightscan AI"}, party_order=("trust", "co")
)


def spec(kind, **extra) -> ParamSpec:
    return ParamSpec.from_dict({"name": "p", "type": kind, "label": "P", **extra})


CHOICE = {"options": [["a", "Option A"], ["b", "Option B"]]}

ACCEPTED = [
    # (type, extra spec keys, what a person types, what is stored)
    ("text", {}, "  two   spaces  ", "two spaces"),  # whitespace collapses
    ("list", {}, "first\n\n second ", ["first", "second"]),  # blank lines dropped
    ("list", {}, ["a", "b"], ["a", "b"]),  # an API client sends a list
    ("choice", CHOICE, "b", "b"),
    ("choice", CHOICE, "option a", "a"),  # the label works too, any case
    ("boolean", {}, "Yes", True),
    ("boolean", {}, False, False),
    ("integer", {}, "1,200", 1200),  # thousands separators allowed
    ("percentage", {}, "12.50%", "12.5"),  # stored as a canonical decimal string
    ("percentage", {}, 100, "100"),
    ("date", {}, "2027-03-31", "2027-03-31"),
    ("date", {}, date(2027, 1, 4), "2027-01-04"),
    ("duration", {}, "18 Months", {"value": 18, "unit": "months"}),
    ("duration", {}, "1 year", {"value": 1, "unit": "years"}),  # singular unit
    ("money", {}, "GBP 250,000", {"amount": "250000.00", "currency": "GBP"}),
    ("money", {}, "£1,000.5", {"amount": "1000.50", "currency": "GBP"}),  # symbol
    ("money", {}, "99.99 eur", {"amount": "99.99", "currency": "EUR"}),  # amount first
    ("money", {}, {"amount": "5", "currency": "usd"}, {"amount": "5.00", "currency": "USD"}),
    ("party", {}, "co", "co"),
    ("parties", {}, "co trust", ["trust", "co"]),  # kept in agreement order
    ("parties", {}, ["co", "co"], ["co"]),  # no duplicates
    ("duo_permission", {}, "ds:MONDO:0005148", {"code": "DS", "value": "MONDO:0005148"}),
    ("duo_permission", {}, "HMB", {"code": "HMB", "value": ""}),
    (
        "duo_modifiers",
        {},
        "pub, IRB, GS(gb ie)",
        [
            {"code": "GS", "value": "GB IE"},
            {"code": "IRB", "value": ""},
            {"code": "PUB", "value": ""},
        ],
    ),
    ("countries", {}, "gb, IE", ["GB", "IE"]),
]


@pytest.mark.parametrize(("kind", "extra", "raw", "stored"), ACCEPTED)
def test_parse_accepts_and_normalises(kind, extra, raw, stored):
    assert params.parse(spec(kind, **extra), raw, PARTIES) == stored


REFUSED = [
    # (type, extra spec keys, input, words the reason must contain)
    ("text", {"max": 5}, "too long", "under 5"),
    ("list", {"min": 2}, "one", "At least 2"),
    ("choice", CHOICE, "c", "Option A, Option B"),  # names the options
    ("boolean", {}, "perhaps", "yes or no"),
    ("integer", {"min": 1, "max": 72}, "96", "At most 72"),
    ("integer", {}, "1.5", "whole number"),
    ("integer", {}, True, "whole number"),  # a JSON boolean is not a number
    ("percentage", {}, "101", "0 to 100"),
    ("percentage", {}, "12.345", "two decimal"),
    ("date", {}, "31/03/2027", "YYYY-MM-DD"),
    ("duration", {}, "soon", "number and a unit"),
    ("duration", {}, "3 fortnights", "days, weeks, months, years"),
    ("duration", {}, "0 days", "at least 1"),
    ("money", {}, "250000", "currency"),  # no currency
    ("money", {}, "XXY 10", "ISO 4217"),
    ("money", {}, "GBP -5", "negative"),
    ("money", {}, "GBP 1.234", "two decimal"),
    ("party", {}, "elsewhere", "not a party"),
    ("parties", {}, ["trust", "elsewhere"], "not a party"),
    ("duo_permission", {}, "IRB", "modifier, not a permission"),
    ("duo_permission", {}, "DS", "needs"),  # DS names its disease
    ("duo_modifiers", {}, "GRU", "permission, not a modifier"),
    ("duo_modifiers", {}, "NCU, NPUNCU", "say the same thing twice"),
    ("duo_modifiers", {}, "TS:forever", "whole number of months"),
    ("duo_modifiers", {}, "GS:ZZ", "ISO 3166"),
    ("duo_modifiers", {}, "PUB:yes", "takes no value"),
    ("countries", {}, "GB XX", "ISO 3166"),
]


@pytest.mark.parametrize(("kind", "extra", "raw", "reason"), REFUSED)
def test_parse_refuses_with_a_reason(kind, extra, raw, reason):
    with pytest.raises(ParamError, match=reason):
        params.parse(spec(kind, **extra), raw, PARTIES)


def test_required_and_optional_empty_values():
    with pytest.raises(ParamError, match="required"):
        params.parse(spec("text"), "  ", PARTIES)
    assert params.parse(spec("text", required=False), "", PARTIES) is None
    assert params.parse(spec("duo_modifiers", required=False), "", PARTIES) is None


def test_party_values_are_not_checked_outside_an_agreement():
    assert params.parse(spec("party"), "anyone", Context()) == "anyone"


RENDERED = [
    # (type, extra, stored, words)
    ("list", {}, ["a"], "a"),
    ("list", {}, ["a", "b"], "(1) a; (2) b"),
    ("choice", CHOICE, "b", "Option B"),
    ("integer", {}, 1200, "1,200"),
    ("percentage", {}, "12.5", "12.5%"),
    ("date", {}, "2027-03-01", "1 March 2027"),
    ("duration", {}, {"value": 1, "unit": "months"}, "1 month"),
    ("money", {}, {"amount": "250000.00", "currency": "GBP"}, "GBP 250,000.00"),
    ("parties", {}, ["trust", "co"], "Northgate NHS Trust and Brightscan AI"),
    ("countries", {}, ["GB", "IE"], "the United Kingdom and Ireland"),
    (
        "duo_permission",
        {},
        {"code": "HMB", "value": ""},
        "health or medical or biomedical research (HMB)",
    ),
    ("text", {"required": False}, None, "[not specified]"),
]


@pytest.mark.parametrize(("kind", "extra", "stored", "words"), RENDERED)
def test_render_in_words(kind, extra, stored, words):
    assert params.render(spec(kind, **extra), stored, PARTIES) == words


ROUND_TRIP = [
    ("list", {}, "first\nsecond"),
    ("duration", {}, "18 months"),
    ("money", {}, "EUR 12.30"),
    ("duo_permission", {}, "DS:lung cancer"),
    ("duo_modifiers", {}, "IRB, TS:24, MOR:2027-06-01"),
    ("countries", {}, "GB IE"),
    ("parties", {}, "trust co"),
    ("percentage", {}, "7.25"),
]


@pytest.mark.parametrize(("kind", "extra", "typed"), ROUND_TRIP)
def test_a_stored_value_typed_back_in_is_the_same_value(kind, extra, typed):
    s = spec(kind, **extra)
    stored = params.parse(s, typed, PARTIES)
    assert params.parse(s, params.as_input(s, stored), PARTIES) == stored
    assert params.parse(s, stored, PARTIES) == stored  # stored values parse to themselves


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_money_amounts_are_exact_to_the_penny(amount):
    stored = params.parse(spec("money"), f"GBP {amount}", PARTIES)
    assert stored["amount"] == f"{amount:.2f}"


SPEC_ERRORS = [
    # (spec, words in the reason)
    ({"name": "Bad Name", "type": "text", "label": "x"}, "lower-case"),
    ({"name": "comment", "type": "text", "label": "x"}, "reserved"),
    ({"name": "p", "type": "colour", "label": "x"}, "not one of"),
    ({"name": "p", "type": "text", "label": " "}, "label"),
    ({"name": "p", "type": "choice", "label": "x", "options": [["a", "A"]]}, "two options"),
    ({"name": "p", "type": "text", "label": "x", "colour": "red"}, "unknown key"),
    ({"name": "p", "type": "party", "label": "x", "default": "trust"}, "cannot have a default"),
    ({"name": "p", "type": "integer", "label": "x", "default": "many"}, "default is not valid"),
]


@pytest.mark.parametrize(("data", "reason"), SPEC_ERRORS)
def test_spec_checks(data, reason):
    with pytest.raises(ParamError, match=reason):
        ParamSpec.from_dict(data)


def test_specs_need_unique_names_and_keep_their_defaults_normalised():
    with pytest.raises(ParamError, match="used twice"):
        params.specs_from([{"name": "a", "type": "text", "label": "A"}] * 2)
    (s,) = params.specs_from(
        [{"name": "t", "type": "duration", "label": "T", "default": "2 years"}]
    )
    assert s.default == {"value": 2, "unit": "years"}
    assert ParamSpec.from_dict(s.as_dict()) == s


def test_parse_all_reports_every_problem_and_unknown_names():
    specs = params.specs_from(
        [
            {"name": "a", "type": "integer", "label": "A"},
            {"name": "b", "type": "text", "label": "B", "default": "fine"},
        ]
    )
    values, errors = params.parse_all(specs, {"a": "x", "zzz": 1}, PARTIES)
    assert set(errors) == {"a", "zzz"} and values["b"] == "fine"


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        (date(2027, 1, 31), {"value": 1, "unit": "months"}, date(2027, 2, 28)),  # month end
        (date(2028, 1, 31), {"value": 1, "unit": "months"}, date(2028, 2, 29)),  # leap year
        (date(2027, 11, 15), {"value": 3, "unit": "months"}, date(2028, 2, 15)),  # year turns
        (date(2027, 1, 1), {"value": 2, "unit": "weeks"}, date(2027, 1, 15)),
        (date(2024, 2, 29), {"value": 1, "unit": "years"}, date(2025, 2, 28)),
    ],
)
def test_add_duration(start, duration, end):
    assert params.add_duration(start, duration) == end
