"""The value case as a PDF: our own HTML template and stylesheet, printed by WeasyPrint.

WeasyPrint is given a URL fetcher that refuses every request, so nothing the partners wrote
can make the server fetch a resource while printing.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

STYLESHEET = Path(__file__).parent / "print" / "value-case.css"


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError("the value case PDF loads no external resources")


def value_case_pdf(context: dict) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading it takes a moment

    html = render_to_string("value/case_pdf.html", context)
    document = HTML(string=html, url_fetcher=_no_fetching)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
