import pytest

from carepact.engine import identifiers


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),  # the NHS's published example number
        ("943 476 5919", True),  # spaces as printed on letters
        ("943-476-5919", True),
        ("9434765918", False),  # last digit changed: check digit no longer matches
        ("4010232137", True),
        ("1234567890", False),  # check digit would be 10: never issued
        ("943476591", False),  # nine digits
        ("94347659190", False),  # eleven digits
        ("94347659A9", False),
        ("", False),
    ],
)
def test_nhs_number_checksum(number, valid):
    assert identifiers.nhs_number_is_valid(number) is valid


def test_nhs_number_error_never_repeats_the_number():
    with pytest.raises(ValueError) as caught:
        identifiers.normalise_nhs_number("9434765918")
    assert "9434765918" not in str(caught.value)


@pytest.mark.parametrize(
    ("lei", "valid"),
    [
        ("5493001KJTIIGC8Y1R12", True),  # a published, live LEI
        ("5493001KJTIIGC8Y1R13", False),  # check digits altered
        ("5493001KJTIIGC8Y1R1", False),  # 19 characters
    ],
)
def test_lei_checksum(lei, valid):
    assert identifiers.lei_is_valid(lei) is valid


def test_ror_id_accepts_the_address_form():
    assert identifiers.normalise_ror_id("https://ror.org/02jx3x895") == "02jx3x895"


def test_ror_id_rejects_letters_ror_never_uses():
    with pytest.raises(ValueError):
        identifiers.normalise_ror_id("0ilou1234")


@pytest.mark.parametrize(("raw", "normal"), [("1234567", "01234567"), ("sc123456", "SC123456")])
def test_companies_house_number_normalised(raw, normal):
    assert identifiers.normalise_companies_house_number(raw) == normal


def test_ods_code_upper_cased():
    assert identifiers.normalise_ods_code(" rrk ") == "RRK"
