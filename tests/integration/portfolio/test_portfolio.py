import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from carepact.core.errors import Denied
from carepact.governance import services as governance
from carepact.partnerships.models import Party
from carepact.portfolio import services
from tests import factories


@pytest.fixture
def second(world):
    """A partnership the trust is in, that the observer can see too, with two warning signals."""
    p = factories.PartnershipFactory(title="Data pact", slug="data-pact")
    factories.PartyFactory(partnership=p, organisation=world.trust, role=Party.Role.LEAD)
    factories.RoleFactory(partnership=p, person=world.lead, organisation=world.trust, role="lead")
    from datetime import timedelta

    from carepact.core import clock

    yesterday = clock.now().date() - timedelta(days=1)
    with transaction.atomic():
        governance.create_action(
            world.lead,
            p,
            title="Late",
            owner=world.lead,
            owner_organisation=world.trust,
            due_on=yesterday,
        )
        governance.create_risk(
            world.lead,
            p,
            title="Leak",
            category="data",
            owner=world.lead,
            likelihood=4,
            impact=5,
            review_on=yesterday,
        )
    return p


def test_rows_flag_the_partnership_with_several_signals(world, second):
    rows = {r.slug: r for r in services.rows(world.lead, world.trust)}
    assert set(rows) == {"scan-triage", "data-pact"}
    assert rows["data-pact"].at_risk and not rows["scan-triage"].at_risk
    assert {s.key for s in rows["data-pact"].signals} == {"overdue_actions", "risk"}
    assert rows["scan-triage"].facts["health_index"] is None  # not measured, not zero


def test_partnerships_the_viewer_may_not_see_are_left_out(world, second):
    hidden = factories.PartnershipFactory(title="Secret", slug="secret")
    factories.PartyFactory(partnership=hidden, organisation=world.trust, role=Party.Role.LEAD)
    factories.PartyFactory(
        partnership=hidden, organisation=world.stranger_org, status=Party.Status.INVITED
    )
    # The company's admin sees only what the company is party to, even in the trust's list.
    with pytest.raises(Denied):
        services.get_organisation(world.partner_admin, "northgate")
    company_rows = services.rows(world.partner_admin, world.company)
    assert [r.slug for r in company_rows] == ["scan-triage"]
    # A platform administrator, or the command line, sees all of the trust's partnerships.
    assert {r.slug for r in services.rows(None, world.trust)} == {
        "scan-triage",
        "data-pact",
        "secret",
    }


def test_filters_and_summary(world, second):
    rows = services.rows(world.lead, world.trust)
    assert [r.slug for r in services.filtered(rows, at_risk=True)] == ["data-pact"]
    summary = services.summary(world.lead, world.trust, rows)
    assert summary.at_risk == 1 and summary.by_stage["Scoping"] == 2


def test_page_csv_and_api_agree(world, second, client_for):
    client = client_for(world.observer)
    page = client.get("/organisations/northgate/portfolio/").content.decode()
    assert "at risk" in page and "1 overdue action(s)" in page
    csv_text = client.get("/organisations/northgate/portfolio.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("partnership,type,stage")
    assert "Data pact" in csv_text and "yes" in csv_text
    data = client.get("/api/v1/organisations/northgate/portfolio?at_risk=true").json()
    assert [r["slug"] for r in data["rows"]] == ["data-pact"]
    assert data["rows"][0]["at_risk"] is True


def test_command_prints_rows_with_at_risk_and_signals(world, second):
    out = io.StringIO()
    call_command("portfolio", "northgate", "--json", stdout=out)
    data = json.loads(out.getvalue())
    flags = {r["slug"]: (r["at_risk"], r["signals"]) for r in data["rows"]}
    assert flags["data-pact"][0] is True and "1 overdue action(s)" in flags["data-pact"][1]
    assert flags["scan-triage"] == (False, [])


def test_command_names_an_unknown_organisation(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("portfolio", "nowhere", "--json")
    assert caught.value.returncode == 2
