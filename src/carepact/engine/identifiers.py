"""Check digits and formats of the identifiers the field uses.

Pure functions: each returns the normalised identifier or raises ``ValueError`` with a
reason a person can act on. The reason never repeats the value, so it is safe to log even
when the value is an NHS number.
"""

from __future__ import annotations

import re

_NHS_WEIGHTS = range(10, 1, -1)


def nhs_number_is_valid(value: str) -> bool:
    """True when ``value`` is ten digits (spaces and dashes allowed) with a valid check digit.

    The check digit is 11 minus the weighted sum (weights 10 down to 2) modulo 11; a result
    of 11 means 0 and a result of 10 means the number was never issued.
    """
    digits = re.sub(r"[\s-]", "", value or "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise_nhs_number(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if len(digits) != 10 or not digits.isdigit():
        raise ValueError("an NHS number has ten digits")
    if not nhs_number_is_valid(digits):
        raise ValueError("the NHS number's check digit does not match")
    return digits


_ODS = re.compile(r"^[A-Z0-9]{3,10}$")
_ROR = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")
_COMPANIES_HOUSE = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")


def normalise_ods_code(value: str) -> str:
    """NHS Organisation Data Service code: 3 to 10 letters and digits, e.g. ``RRK``."""
    code = (value or "").strip().upper()
    if not _ODS.match(code):
        raise ValueError("an ODS code is 3 to 10 letters and digits, such as RRK or A81001")
    return code


def normalise_ror_id(value: str) -> str:
    """Research Organization Registry ID, bare or as an https://ror.org/ address."""
    ror = (value or "").strip().lower()
    for prefix in ("https://ror.org/", "http://ror.org/", "ror.org/"):
        if ror.startswith(prefix):
            ror = ror[len(prefix) :]
    if not _ROR.match(ror):
        raise ValueError("a ROR ID is 9 characters starting with 0, such as 02jx3x895")
    return ror


def normalise_companies_house_number(value: str) -> str:
    """UK company number: 8 digits, or 2 letters (SC, NI, OC, ...) and 6 digits."""
    number = (value or "").strip().upper().replace(" ", "")
    if number.isdigit() and len(number) < 8:
        number = number.zfill(8)
    if not _COMPANIES_HOUSE.match(number):
        raise ValueError("a Companies House number is 8 digits, or 2 letters and 6 digits")
    return number


def lei_is_valid(value: str) -> bool:
    """ISO 17442 Legal Entity Identifier: 20 characters whose ISO 7064 MOD 97-10 value is 1."""
    lei = (value or "").strip().upper()
    if not _LEI.match(lei):
        return False
    as_digits = "".join(str(int(ch, 36)) for ch in lei)
    return int(as_digits) % 97 == 1


def normalise_lei(value: str) -> str:
    lei = (value or "").strip().upper()
    if not _LEI.match(lei):
        raise ValueError("an LEI is 20 letters and digits, the last two digits a checksum")
    if not lei_is_valid(lei):
        raise ValueError("the LEI's check digits do not match")
    return lei
