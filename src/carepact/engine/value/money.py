"""Money as whole minor units of an ISO 4217 currency (pence for GBP, cents for EUR).

Amounts are integers, so sums are exact; each amount carries its currency, and amounts in
different currencies are never added together: totals are kept per currency.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pycountry

# ISO 4217 minor units that are not 2 (the default).
_EXPONENTS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}
_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "US$"}
_AMOUNT = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")
MAX_MINOR = 10**15  # a thousand trillion pence: far beyond any partnership, well inside int64


class MoneyError(ValueError):
    """An amount or currency that cannot be read; the message says why."""


def check_currency(code: str) -> str:
    """The upper-case ISO 4217 code, or MoneyError."""
    code = (code or "").strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise MoneyError("not an ISO 4217 currency code (such as GBP, EUR, USD)")
    return code


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def to_minor(amount: str | int | Decimal, currency: str) -> int:
    """``"12,500.50"`` GBP → 1250050. More decimals than the currency has are refused."""
    currency = check_currency(currency)
    text = str(amount).strip().replace("£", "").replace("€", "").replace("$", "")
    if not _AMOUNT.match(text):
        raise MoneyError("not an amount: write it like 12500 or 12,500.00")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise MoneyError("not an amount") from None
    places = exponent(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise MoneyError(f"{currency} has {places} decimal places at most")
    result = int(minor)
    if result > MAX_MINOR:
        raise MoneyError("the amount is too large")
    return result


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def format_money(minor: int, currency: str) -> str:
    """1250050, GBP → ``£12,500.50``; other currencies → ``12,500.50 CHF``."""
    places = exponent(currency)
    text = f"{from_minor(minor, currency):,.{places}f}"
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


def staff_time_value(fte_months: Decimal | str, rate_minor: int) -> int:
    """FTE-months at a monthly rate (in minor units), rounded half up to a minor unit."""
    try:
        months = Decimal(str(fte_months))
    except InvalidOperation:
        raise MoneyError("FTE-months must be a number") from None
    if months <= 0 or rate_minor < 0:
        raise MoneyError("FTE-months must be more than 0 and the rate 0 or more")
    return int((months * rate_minor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def totals(amounts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Sum ``(currency, minor)`` pairs per currency, in order of first appearance."""
    summed: dict[str, int] = defaultdict(int)
    for currency, minor in amounts:
        summed[currency] += minor
    return dict(summed)
