"""Clause templates: placeholders, their checks, and the text they render."""

import pytest

from carepact.engine.agreements import params, render

SPECS = params.specs_from(
    [
        {"name": "who", "type": "party", "label": "Who"},
        {"name": "days", "type": "integer", "label": "Days"},
    ]
)
CTX = params.Context(parties={"trust": "Northgate NHS Trust"})


def test_placeholders_in_order_of_first_use():
    assert render.placeholders("{{ days }} {{who}} {{ days }}") == ["days", "who"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "needs its text"),  # empty
        ("{{ royalty }} of sales", "not declared"),  # undeclared parameter
        ("within {{ Days }} days", "placeholder"),  # upper case is not a placeholder
        ("within {days} days {{", "placeholder"),  # a stray brace pair
    ],
)
def test_check_template_refuses(text, reason):
    with pytest.raises(params.ParamError, match=reason):
        render.check_template(text, SPECS)


def test_render_text_and_paragraphs():
    text = "{{ who }} answers within {{ days }} days.\n\n  Second   paragraph.  "
    rendered = render.render_text(text, SPECS, {"who": "trust", "days": 30}, CTX)
    assert render.paragraphs(rendered) == [
        "Northgate NHS Trust answers within 30 days.",
        "Second paragraph.",
    ]


def test_missing_values_read_as_not_specified():
    assert "[not specified]" in render.render_text("{{ days }}", SPECS, {}, CTX)
