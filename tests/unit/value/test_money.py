from decimal import Decimal

import pytest

from carepact.engine.value.money import (
    MoneyError,
    check_currency,
    format_money,
    staff_time_value,
    to_minor,
    totals,
)

AMOUNTS = [
    # (text, currency, minor units)
    ("12500", "GBP", 1_250_000),
    ("12,500.50", "GBP", 1_250_050),
    ("£12,500.5", "GBP", 1_250_050),
    ("0.01", "EUR", 1),
    ("1500", "JPY", 1500),  # no minor unit
    ("1.234", "KWD", 1234),  # three decimal places
]


@pytest.mark.parametrize(("text", "currency", "minor"), AMOUNTS)
def test_amounts_become_whole_minor_units(text, currency, minor):
    assert to_minor(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "words"),
    [
        ("12.345", "GBP", "2 decimal places"),
        ("1.5", "JPY", "0 decimal places"),
        ("-5", "GBP", "not an amount"),
        ("12,50", "GBP", "not an amount"),
        ("ten", "GBP", "not an amount"),
        ("10", "XYZ", "ISO 4217"),
        ("10", "pounds", "ISO 4217"),
    ],
)
def test_amounts_that_cannot_be_read(text, currency, words):
    with pytest.raises(MoneyError, match=words):
        to_minor(text, currency)


def test_formatting_and_currency_codes():
    assert format_money(1_250_050, "GBP") == "£12,500.50"
    assert format_money(150_000, "EUR") == "€1,500.00"
    assert format_money(1500, "JPY") == "1,500 JPY"
    assert check_currency(" gbp ") == "GBP"


def test_staff_time_is_fte_months_times_the_rate_rounded_half_up():
    assert staff_time_value(Decimal("6"), 1_150_000) == 6_900_000
    assert staff_time_value("0.25", 3) == 1  # 0.75 rounds up
    with pytest.raises(MoneyError):
        staff_time_value("0", 100)


def test_totals_are_kept_per_currency():
    assert totals([("GBP", 100), ("EUR", 50), ("GBP", 25)]) == {"GBP": 125, "EUR": 50}
