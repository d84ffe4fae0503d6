"""The DUO purpose hierarchy the policies and the consent registry match purposes with."""

import pytest

from carepact.engine.policy import purposes
from carepact.engine.policy.purposes import PurposeError


@pytest.mark.parametrize(
    ("requested", "permitted", "within"),
    [
        ("HMB", "HMB", True),  # a purpose is within itself
        ("HMB", "GRU", True),  # health research is general research
        ("GRU", "HMB", False),  # general research is wider than health research
        ("POA", "GRU", True),  # ancestry research is general research
        ("POA", "HMB", False),  # ... but not health research
        ("DS:MONDO:0005148", "DS:MONDO:0005015", True),  # type 2 diabetes is diabetes
        ("DS:MONDO:0005015", "DS:MONDO:0005148", False),  # not the other way round
        ("DS:MONDO:0005148", "HMB", True),  # every disease is health research
        ("DS:MONDO:0008903", "DS:MONDO:0005015", False),  # lung cancer is not diabetes
        ("DS:MONDO:1234567", "DS", True),  # an unknown disease sits under DS
        ("GRU", "NRES", True),  # no restriction covers everything
    ],
)
def test_within_follows_the_hierarchy(requested, permitted, within):
    assert purposes.within(requested, permitted) is within


def test_ancestors_run_nearest_first_to_the_root():
    assert purposes.ancestors("DS:MONDO:0005148") == (
        "DS:MONDO:0005148",
        "DS:MONDO:0005015",
        "DS:MONDO:0005066",
        "DS",
        "HMB",
        "GRU",
        "NRES",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("hmb", "HMB"),
        (" DS(MONDO:0005148) ", "DS:MONDO:0005148"),
        ("ds:mondo:0005148", "DS:MONDO:0005148"),
    ],
)
def test_parse_accepts_common_spellings(text, code):
    assert purposes.parse(text).code == code


def test_diseases_may_be_named_in_words():
    assert purposes.parse("DS:Lung  Cancer").code == "DS:MONDO:0008903"
    other = purposes.parse("DS:Rare disease X")
    assert (other.code, other.label, other.parent) == ("DS:rare-disease-x", "Rare disease X", "DS")
    assert purposes.within("DS:MONDO:0008903", "DS:lung cancer")


@pytest.mark.parametrize("text", ["", "XYZ", "HMB:x", "DS:!!"])
def test_parse_refuses_what_is_not_a_purpose(text):
    with pytest.raises(PurposeError):
        purposes.parse(text)


def test_every_built_in_disease_has_a_known_parent():
    table = purposes.catalogue()
    for purpose in table.values():
        assert purpose.parent is None or purpose.parent in table, purpose.code
    assert purposes.describe("DS:MONDO:0005148") == "type 2 diabetes mellitus (DS:MONDO:0005148)"
