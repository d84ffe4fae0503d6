"""The chart component draws under the real Content-Security-Policy, and keeps its numbers
readable as a table without JavaScript."""

from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.e2e.conftest import shot

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _templates(settings):
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0] = {**templates[0], "DIRS": [*templates[0]["DIRS"], TEMPLATES_DIR]}
    return templates


@pytest.mark.urls("tests.e2e.chart_urls")
def test_chart_draws_without_csp_violations(live_server, open_page, settings):
    with override_settings(TEMPLATES=_templates(settings)):
        page = open_page()
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
            "[e.violatedDirective, (e.target && e.target.outerHTML || '').slice(0, 120)]));"
        )
        page.goto("/chart/")
        expect(page.locator("#early .main-svg").first).to_be_attached()
        expect(page.locator("#early .bars path")).to_have_count(3)
        shot(page, "chart-component")
        violations = page.evaluate("window.__violations")
        # Not even the bundle's MapLibre style sheet: an empty element with its id is there.
        assert violations == []
        # Plotly's own rules reached the nonce'd style element, so the toolbar is laid out.
        assert (
            page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length")
            > 10
        )


@pytest.mark.urls("tests.e2e.chart_urls")
def test_chart_numbers_are_a_table_without_javascript(live_server, browser, settings):
    with override_settings(TEMPLATES=_templates(settings)):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
        page = context.new_page()
        page.goto("/chart/")
        page.get_by_text("The numbers behind").click()
        table = page.locator("details.chart-data table")
        expect(table).to_contain_text("Patients diagnosed early")
        expect(table.locator("tbody tr")).to_have_count(3)
        expect(table.locator("tbody tr").nth(2)).to_contain_text("25")
        context.close()
