"""Recognition: what each person did, shown only where the reader may look, exportable."""

import csv
import io
from datetime import date

from carepact.outcomes import recognition, services
from carepact.partnerships import services as partnerships
from tests import factories
from tests.integration.outcomes.helpers import atomic, kpi


def test_credits_for_owning_recording_and_the_glossary(world):
    made = kpi(world)
    for month in (1, 2, 3):
        atomic(
            services.record_measurement,
            world.partner_admin,
            made,
            period=date(2026, month, 1),
            value=40 - month,
        )
    term = atomic(
        partnerships.propose_term, world.lead, world.partnership, term="Scan", definition="X-ray."
    )
    atomic(partnerships.agree_term, world.partner_admin, term)

    _, found = recognition.profile(world.lead, world.partner_admin)
    kinds = sorted((c.kind, c.weight) for c in found)
    assert kinds == [("glossary_agreed", 1), ("measurements_recorded", 3), ("objective_owned", 1)]
    recorded = next(c for c in found if c.kind == "measurements_recorded")
    assert (
        recorded.label
    ) == "Recorded 3 values of “Median days from X-ray to diagnosis” (Jan 2026 to Mar 2026)"
    mine = {c.kind for c in recognition.profile(world.lead, world.lead)[1]}
    assert mine == {"objective_owned", "glossary_proposed"}  # proposing agrees: credited once

    rows = recognition.by_person(world.partnership)
    people = {person: counts for person, counts, _ in rows}
    assert people[world.partner_admin]["Measurements recorded"] == 3


def test_credits_only_from_partnerships_the_reader_can_see(world):
    kpi(world)
    other_partnership = factories.PartnershipFactory()
    factories.PartyFactory(partnership=other_partnership, organisation=world.company)
    colleague = factories.member(world.company, email="c@brightscan.example")
    factories.PartyFactory(partnership=other_partnership, organisation=world.stranger_org)
    factories.RoleFactory(
        partnership=other_partnership,
        person=world.partner_admin,
        organisation=world.company,
        role="lead",
    )
    atomic(
        partnerships.propose_term,
        world.partner_admin,
        other_partnership,
        term="Secret",
        definition="Only for the other partnership.",
    )
    seen_by_lead = {c.label for c in recognition.profile(world.lead, world.partner_admin)[1]}
    assert not any("Secret" in label for label in seen_by_lead)
    seen_by_colleague = {c.label for c in recognition.profile(colleague, world.partner_admin)[1]}
    assert any("Secret" in label for label in seen_by_colleague)


def test_who_may_see_a_persons_contributions(world, client_for):
    url = f"/people/{world.partner_admin.pk}/contributions/"
    assert client_for(world.outsider).get(url).status_code == 404  # shares nothing with them
    assert client_for(world.observer).get(url).status_code == 200  # shares a partnership
    assert client_for(world.partner_member).get(url).status_code == 200  # same organisation
    assert client_for(world.lead).get("/people/999999/contributions/").status_code == 404


def test_the_export_for_an_appraisal(world, client_for):
    kpi(world)
    response = client_for(world.lead).get(
        f"/people/{world.partner_admin.pk}/contributions/?format=csv"
    )
    assert response["Content-Type"] == "text/csv"
    assert 'filename="contributions-ada-admin.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["person", "partnership", "kind", "what", "when", "count", "detail"]
    assert rows[1][:3] == ["Ada Admin", "Scan triage", "Objectives owned"]
    assert (
        client_for(world.outsider)
        .get(f"/people/{world.partner_admin.pk}/contributions/?format=csv")
        .status_code
        == 404
    )


def test_a_spreadsheet_formula_is_defused_in_the_export(world):
    assert recognition._safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert recognition._safe_cell("Owned it") == "Owned it"


def test_clauses_and_reviews_come_through_the_seam(world, monkeypatch):
    from django.apps import apps

    from carepact.outcomes import seams

    for config in apps.get_app_configs():  # as before the agreements and data apps declared it
        monkeypatch.setattr(config, "carepact_provides", {}, raising=False)

    def reviews(person, partnership_ids):
        return [
            {
                "kind": "review_done",
                "label": "Reviewed an access request",
                "partnership_id": world.partnership.pk,
                "at": world.partnership.created_at,
            }
        ]

    assert recognition.awaited_kinds() == ["Clauses negotiated", "Reviews done"]
    seams.register("recognition", reviews)
    try:
        found = recognition.profile(world.lead, world.lead)[1]
        assert [c.kind_label for c in found if c.kind == "review_done"] == ["Reviews done"]
        assert recognition.awaited_kinds() == []
    finally:
        seams.unregister("recognition")
