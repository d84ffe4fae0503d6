"""Publishing: every party opts in through someone who may speak for it; every step audited."""

import pytest
from django.db import transaction

from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.partnerships.models import Role
from carepact.public import services
from carepact.public.models import Publication
from tests import factories
from tests.integration.public.helpers import SETTINGS


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


def actions(world):
    return list(
        AuditEvent.objects.for_partnership(world.partnership.pk)
        .filter(action__startswith="publication.")
        .values_list("action", flat=True)
    )


def test_the_page_is_published_when_the_last_party_opts_in(world):
    atomic(services.save_settings, world.lead, world.partnership, **SETTINGS)
    status = atomic(services.opt_in, world.lead, world.partnership, organisation=world.trust)
    assert not status.published and status.waiting_for == [world.company]
    status = atomic(
        services.opt_in, world.partner_admin, world.partnership, organisation=world.company
    )
    assert status.published and services.is_published(world.partnership)
    assert Publication.objects.get(partnership=world.partnership).published_at is not None
    assert actions(world) == [
        "publication.settings",
        "publication.opt_in",
        "publication.opt_in",
        "publication.publish",
    ]


def test_withdrawing_is_audited_and_says_the_page_went_down(world):
    atomic(services.save_settings, world.lead, world.partnership, **SETTINGS)
    atomic(services.opt_in, world.lead, world.partnership, organisation=world.trust)
    atomic(services.opt_in, world.partner_admin, world.partnership, organisation=world.company)
    atomic(services.withdraw, world.lead, world.partnership, organisation=world.trust)
    event = AuditEvent.objects.get(action="publication.withdraw")
    assert "The page is no longer public." in event.message
    assert Publication.objects.get(partnership=world.partnership).published_at is None


def test_who_may_opt_in_for_a_party(world):
    atomic(services.save_settings, world.lead, world.partnership, **SETTINGS)
    with pytest.raises(Denied, match="Only an administrator of your organisation"):
        atomic(services.opt_in, world.observer, world.partnership, organisation=world.trust)
    with pytest.raises(Denied, match="not a member of that party"):
        atomic(services.opt_in, world.lead, world.partnership, organisation=world.company)
    with pytest.raises(Invalid, match="not an active party"):
        atomic(services.opt_in, world.lead, world.partnership, organisation=world.stranger_org)
    # a partnership lead for the company who is not its administrator may speak for it
    company_lead = factories.member(world.company, email="cl@brightscan.example")
    factories.RoleFactory(
        partnership=world.partnership,
        person=company_lead,
        organisation=world.company,
        role=Role.LEAD,
    )
    atomic(services.opt_in, company_lead, world.partnership, organisation=world.company)


def test_opting_in_needs_a_page_and_happens_once(world):
    with pytest.raises(Conflict, match="write it first"):
        atomic(services.opt_in, world.lead, world.partnership, organisation=world.trust)
    atomic(services.save_settings, world.lead, world.partnership, **SETTINGS)
    atomic(services.opt_in, world.lead, world.partnership, organisation=world.trust)
    with pytest.raises(Conflict, match="already opted in"):
        atomic(services.opt_in, world.lead, world.partnership, organisation=world.trust)
    with pytest.raises(Conflict, match="nothing to withdraw"):
        atomic(
            services.withdraw, world.partner_admin, world.partnership, organisation=world.company
        )


def test_the_page_needs_words_and_only_speakers_may_write_it(world):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.save_settings,
            world.lead,
            world.partnership,
            **{**SETTINGS, "summary": " ", "show_value": "all"},
        )
    assert set(caught.value.errors) == {"summary", "show_value"}
    with pytest.raises(Denied):
        atomic(services.save_settings, world.observer, world.partnership, **SETTINGS)


def test_the_publishing_page_for_both_parties(world, client_for):
    lead = client_for(world.lead)
    response = lead.post("/p/scan-triage/publication/", {**SETTINGS, "show_kpis": "on"})
    assert response.status_code == 302
    assert (
        lead.post("/p/scan-triage/publication/opt-in/", {"organisation": "northgate"}).status_code
        == 302
    )
    page = lead.get("/p/scan-triage/publication/").content.decode()
    assert "Waiting for Brightscan AI to opt in" in page
    preview = lead.get("/p/scan-triage/publication/preview/").content.decode()
    assert "This is what the public will see" in preview
    partner = client_for(world.partner_admin)
    partner.post("/p/scan-triage/publication/opt-in/", {"organisation": "brightscan"})
    assert "Anyone can read it at" in partner.get("/p/scan-triage/publication/").content.decode()
    assert client_for(None).get("/public/scan-triage/").status_code == 200
