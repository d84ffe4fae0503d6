"""The spec is checked at the edge; hierarchies are checked when loaded; labels and loss."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepact.engine.identifiers import nhs_number_is_valid
from carepact.engine.release import ReleaseError, load_spec, spec_from_dict
from carepact.engine.release.hierarchy import NotCovered, build_domain, built_in, load_categorical
from carepact.engine.release.io import _nhs_valid_many
from carepact.engine.release.spec import SPEC_FIELDS

EXAMPLE = """\
input: patients.parquet
output: release.parquet
patient_id: nhs_number
drop: [name, address, phone]
quasi_identifiers:
  age: {hierarchy: age}
  sex: {hierarchy: none}
  postcode: {hierarchy: uk_postcode}
  ethnicity: {hierarchy: categorical, file: ethnicity_hierarchy.csv}
  admission_date: {hierarchy: date}
sensitive: [diagnosis]
keep: [lab_value]
privacy: {k: 10, l: 2, suppression_limit: 0.02}
consent: {exclude: optouts.csv, column: nhs_number}
pseudonym_key: env:CAREPACT_PSEUDONYM_KEY
"""


def minimal(**kw) -> dict:
    spec = {
        "input": "p.parquet",
        "output": "r.parquet",
        "patient_id": "nhs_number",
        "quasi_identifiers": {"age": {"hierarchy": "age"}},
        "privacy": {"k": 5},
    }
    spec.update(kw)
    return spec


def test_spec_example_from_the_issue_loads(tmp_path):
    (tmp_path / "ethnicity_hierarchy.csv").write_text("A,White,*\nH,Asian,*\n")
    (tmp_path / "spec.yaml").write_text(EXAMPLE)
    spec = load_spec(tmp_path / "spec.yaml")
    assert spec.qi_columns == ("age", "sex", "postcode", "ethnicity", "admission_date")
    assert spec.source.path == tmp_path / "patients.parquet"
    assert spec.output == tmp_path / "release.parquet"
    assert spec.format == "parquet"
    assert spec.patient_id_kind == "nhs_number"
    assert spec.privacy.k == 10 and spec.privacy.suppression_limit == 0.02
    assert spec.sensitive[0].l == 2 and spec.sensitive[0].kind == "distinct"
    assert spec.consent.exclude_file == tmp_path / "optouts.csv"
    assert spec.released_columns == ("pseudonym", *spec.qi_columns, "diagnosis", "lab_value")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # An unknown field names itself and what is allowed.
        ({"colour": "blue"}, "spec field 'colour': unknown field"),
        # k must be a whole number of at least 1.
        ({"privacy": {"k": 0}}, "spec field 'privacy.k'"),
        # The suppression limit is a share below 1.
        ({"privacy": {"k": 2, "suppression_limit": 1.5}}, "spec field 'privacy.suppression_limit'"),
        # l needs a sensitive attribute.
        ({"privacy": {"k": 2, "l": 2}}, "spec field 'privacy.l'"),
        # Distinct l is a whole number.
        (
            {"privacy": {"k": 2, "l": 1.5}, "sensitive": ["d"]},
            "distinct l-diversity needs a whole number",
        ),
        # An unknown hierarchy kind.
        ({"quasi_identifiers": {"age": {"hierarchy": "fuzzy"}}}, "quasi_identifiers.age.hierarchy"),
        # Widths only for numeric hierarchies.
        (
            {"quasi_identifiers": {"age": {"hierarchy": "age", "widths": [5]}}},
            "only a numeric hierarchy",
        ),
        # Numeric widths must nest.
        (
            {"quasi_identifiers": {"x": {"hierarchy": "numeric", "widths": [5, 7]}}},
            "larger multiple",
        ),
        # A column in two roles.
        ({"keep": ["age"]}, "column 'age' is listed in both"),
        # A direct identifier cannot be kept.
        ({"keep": ["email"]}, "column 'email' is a direct identifier"),
        # The key is a reference, never the key itself.
        ({"pseudonym_key": "hunter2"}, "never the key itself"),
        # Required fields.
        ({"patient_id": None}, "spec field 'patient_id' is required"),
        # The output format.
        ({"format": "xlsx"}, "spec field 'format'"),
    ],
)
def test_spec_errors_name_the_field(tmp_path, change, message):
    with pytest.raises(ReleaseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        spec_from_dict(minimal(**change), base_dir=tmp_path)


def test_spec_fields_are_documented():
    doc = (Path(__file__).resolve().parents[4] / "docs" / "release.md").read_text()
    assert all(f"`{name}`" in doc for name in SPEC_FIELDS)


def test_spec_file_that_is_not_yaml_is_refused(tmp_path):
    (tmp_path / "s.yaml").write_text("input: [unclosed\n")
    with pytest.raises(ReleaseError, match="not valid YAML or JSON"):
        load_spec(tmp_path / "s.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Rows of different lengths.
        ("A,White,*\nB,*\n", "row 2 has 2 columns"),
        # A value listed twice.
        ("A,White,*\nA,White,*\n", "row 2 repeats a value"),
        # A label with two parents: the levels would not nest.
        ("A,White,*\nB,White,Top\n", "last column has 2 different labels|second parent"),
        ("A,G1,X,*\nB,G1,Y,*\n", "second parent"),
        # Several tops.
        ("A,White,W\nH,Asian,A\n", "last column has 2 different labels"),
        # Only one column.
        ("A\nB\n", "at least one more general level"),
        # Nothing in it.
        ("", "is empty"),
    ],
)
def test_categorical_hierarchy_is_checked_when_loaded(tmp_path, text, message):
    path = tmp_path / "h.csv"
    path.write_text(text)
    with pytest.raises(ReleaseError, match=message):
        load_categorical(path, field_name="ethnicity")


def test_categorical_hierarchy_file_missing(tmp_path):
    with pytest.raises(ReleaseError, match="not found"):
        load_categorical(tmp_path / "nope.csv", field_name="ethnicity")


@pytest.mark.parametrize(
    ("kind", "value", "labels"),
    [
        # Ages: the value, 5-, 10- and 20-year bands, then everything.
        ("age", 37, ("37", "35-39", "30-39", "20-39", "*")),
        ("age", 0, ("0", "0-4", "0-9", "0-19", "*")),
        # Dates: month, quarter, year.
        ("date", dt.date(2024, 11, 5), ("2024-11-05", "2024-11", "2024-Q4", "2024", "*")),
        # Timestamps generalise by their date.
        (
            "date",
            dt.datetime(2024, 2, 29, 13, 0),
            ("2024-02-29 13:00:00", "2024-02", "2024-Q1", "2024", "*"),
        ),
        # A full UK postcode: sector, district, area.
        ("uk_postcode", "sw1a 2aa", ("sw1a 2aa", "SW1A 2", "SW1A", "SW", "*")),
        # A district alone cannot be finer than itself.
        ("uk_postcode", "LS12", ("LS12", "LS12", "LS12", "LS", "*")),
        # US ZIP codes, also as integers with their leading zero.
        ("us_zip", "02139-4307", ("02139-4307", "021", "*")),
        ("us_zip", 2139, ("2139", "021", "*")),
        # Missing values stay missing until the top.
        ("age", None, (None, None, None, None, "*")),
    ],
)
def test_hierarchy_labels(kind, value, labels):
    assert built_in(kind).labels(value) == labels


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("age", -1),
        ("age", 37.5),
        ("age", "old"),
        ("date", "yesterday"),
        ("uk_postcode", "NOT A CODE"),
        ("us_zip", "1234"),
        ("numeric", float("nan")),
    ],
)
def test_hierarchy_refuses_values_it_does_not_cover(kind, value):
    h = built_in(kind, widths=[10]) if kind == "numeric" else built_in(kind)
    with pytest.raises(NotCovered):
        h.labels(value)


def test_domain_error_counts_uncovered_values_without_naming_them():
    with pytest.raises(ReleaseError) as exc:
        build_domain("postcode", built_in("uk_postcode"), ["LS1 1AA", "BOGUS-VALUE", "ALSO BAD"])
    assert "2 distinct value(s)" in str(exc.value)
    assert "BOGUS" not in str(exc.value)


def test_domain_drops_levels_that_change_nothing_and_costs_labels_exactly():
    d = build_domain("postcode", built_in("uk_postcode"), ["LS1", "LS2", "M1", "M13"])
    # Districts have no finer sector: value, sector and district are one partition.
    assert d.level_names == ("value", "area", "*")
    # Two of the four districts merge in each area: (2 - 1) / (4 - 1) each.
    assert [Fraction(int(x), d.ncp_den) for x in d.ncp_num[1]] == [Fraction(1, 3), Fraction(1, 3)]
    ages = build_domain("age", built_in("age"), [20, 24, 60])
    # The 20-24 band spans 4 of the observed range of 40 years.
    band = ages.labels[1].index("20-24")
    assert Fraction(int(ages.ncp_num[1][band]), ages.ncp_den) == Fraction(4, 40)


@settings(deadline=None)
@given(st.lists(st.text(alphabet="0123456789 -", min_size=0, max_size=14), max_size=50))
def test_nhs_checksum_vectorised_matches_the_shared_rule(values):
    normalised = [v.strip().replace(" ", "").replace("-", "") for v in values]
    expected = [nhs_number_is_valid(v) for v in normalised]
    assert list(_nhs_valid_many(normalised)) == expected if normalised else True
