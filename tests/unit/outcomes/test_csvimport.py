"""Reading measurements from CSV: every bad row reported by line and column."""

from datetime import date

import pytest

from carepact.engine.outcomes.csvimport import parse, parse_period

GOOD = """period,value,count,dimension,group,note
2026-01,31.5,412,,,
2026-01,36,88,deprivation,IMD quintile 1,
2026-01,28,97,Deprivation,IMD quintile 5,from the registry
2026-02-14,30,,,,a date names its month
"""


def test_a_good_file_reads_every_row():
    rows, errors = parse(GOOD, "monthly")
    assert errors == []
    assert [(r.line, r.period, r.value, r.count, r.dimension, r.group) for r in rows] == [
        (2, date(2026, 1, 1), 31.5, 412, "", ""),
        (3, date(2026, 1, 1), 36.0, 88, "deprivation", "IMD quintile 1"),
        (4, date(2026, 1, 1), 28.0, 97, "deprivation", "IMD quintile 5"),
        (5, date(2026, 2, 1), 30.0, None, "", ""),
    ]
    assert rows[2].note == "from the registry"


BAD = """period,value,count,dimension,group
2026-01,31.5,,,
2026-13,30,,,
2026-02,thirty,,,
2026-03,1 204,,,
2026-04,12,-3,,
,12,,,
2026-05,12,,postcode,N1
2026-06,12,,sex,
2026-07,12,,,Women
2026-01,40,,,
2026-08,12,,
2026-09,nan,,,
"""


def test_every_bad_row_is_reported_with_its_line_and_column():
    rows, errors = parse(BAD, "monthly")
    found = {(e.line, e.column) for e in errors}
    assert found == {
        (3, "period"),  # month 13
        (4, "value"),  # a word
        (5, "value"),  # a thousands separator
        (6, "count"),  # negative
        (7, "period"),  # empty
        (8, "dimension"),  # not a breakdown carepact knows
        (9, "group"),  # a breakdown without its group
        (10, "dimension"),  # a group without its breakdown
        (11, "period"),  # repeats line 2
        (12, "row"),  # too few cells
        (13, "value"),  # not a finite number
    }
    assert [r.line for r in rows] == [2]
    repeat = next(e for e in errors if e.line == 11)
    assert "repeats line 2" in repeat.problem


def test_problems_never_repeat_what_the_cell_held():
    _, errors = parse("period,value\n2026-01,SECRET-9434765919\n", "monthly")
    assert errors and all("SECRET" not in str(e) and "9434765919" not in str(e) for e in errors)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("", "file", "empty"),
        ("period,value\n", "file", "no data rows"),
        ("period,amount\n2026-01,3\n", "amount", "unknown column"),
        ("value\n3\n", "period", "required column is missing"),
        ("period,value,value\n2026-01,3,4\n", "header", "more than once"),
    ],
)
def test_a_file_that_is_not_a_table_of_measurements(text, column, words):
    rows, errors = parse(text, "monthly")
    assert rows == []
    assert any(e.line == 1 and e.column == column and words in e.problem for e in errors)


def test_a_byte_order_mark_and_blank_lines_are_fine():
    rows, errors = parse("\ufeffperiod,value\n\n2026-01,3\n\n", "monthly")
    assert errors == [] and rows[0].line == 3


PERIODS = [
    # (text, frequency, period start, or None when refused)
    ("2026-03", "monthly", date(2026, 3, 1)),
    ("2026-03-31", "monthly", date(2026, 3, 1)),
    ("2026-Q2", "quarterly", date(2026, 4, 1)),
    ("2026q2", "quarterly", date(2026, 4, 1)),
    ("2026-05", "quarterly", date(2026, 4, 1)),  # a month names its quarter
    ("2026", "annually", date(2026, 1, 1)),
    ("2026-Q2", "monthly", None),  # a quarter is too coarse for a monthly KPI
    ("2026", "quarterly", None),  # a year is too coarse for a quarterly KPI
    ("2026-02-30", "monthly", None),  # not a real date
    ("03/2026", "monthly", None),  # not a form carepact reads
]


@pytest.mark.parametrize(("text", "frequency", "expected"), PERIODS)
def test_period_forms(text, frequency, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_period(text, frequency)
    else:
        assert parse_period(text, frequency) == expected


def test_a_file_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr("carepact.engine.outcomes.csvimport.MAX_ROWS", 3)
    text = "period,value\n" + "".join(f"2026-{m:02d},1\n" for m in range(1, 7))
    _, errors = parse(text, "monthly")
    assert any("more than 3 rows" in e.problem for e in errors)
