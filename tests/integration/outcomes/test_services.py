"""Objectives, KPIs and measurements through the services: rules, audit, status, warnings."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from carepact.core import clock, indicators
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.outcomes import services
from carepact.outcomes.models import Measurement, Objective
from carepact.partnerships.models import Stage
from tests import factories
from tests.integration.outcomes.helpers import KPI, atomic, kpi, objective


def actions(partnership):
    return list(AuditEvent.objects.for_partnership(partnership.pk).values_list("action", flat=True))


def at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 12))


# -- joint accountability --------------------------------------------------------------------


def test_an_objective_owned_by_two_parties_is_created_and_audited(world):
    made = objective(world)
    owners = {(o.person, o.organisation) for o in made.owners.all()}
    assert owners == {(world.lead, world.trust), (world.partner_admin, world.company)}
    assert actions(world.partnership) == ["objective.create"]
    event = AuditEvent.objects.get(action="objective.create")
    assert "Lee Lead (Northgate NHS Trust)" in event.message
    assert {o["organisation"] for o in event.summary["owners"]} == {
        "Northgate NHS Trust",
        "Brightscan AI",
    }


def test_owners_from_one_party_are_refused_with_the_reason(world):
    second = factories.member(world.trust, email="second@northgate.example")
    with pytest.raises(Invalid) as caught:
        atomic(
            services.create_objective,
            world.lead,
            world.partnership,
            title="Ours alone",
            owners=[(world.lead, world.trust), (second, world.trust)],
        )
    assert "every owner chosen is from Northgate NHS Trust" in caught.value.reason
    assert caught.value.errors["owners"]
    assert not Objective.objects.exists() and actions(world.partnership) == []


def test_a_partnership_with_one_party_cannot_share_an_objective_yet(db):
    trust = factories.OrganisationFactory()
    lead = factories.member(trust, admin=True)
    p = factories.PartnershipFactory()
    factories.PartyFactory(partnership=p, organisation=trust)
    factories.RoleFactory(partnership=p, person=lead, organisation=trust, role="lead")
    with pytest.raises(Invalid, match="invite a partner first"):
        atomic(services.create_objective, lead, p, title="Alone", owners=[(lead, trust)])


def test_an_owner_must_belong_to_the_party_they_own_it_for(world):
    with pytest.raises(Invalid) as caught:
        atomic(
            services.create_objective,
            world.lead,
            world.partnership,
            title="Mixed up",
            owners=[(world.lead, world.company), (world.partner_admin, world.company)],
        )
    assert "Lee Lead is not a member of Brightscan AI" in caught.value.errors["owners"][0]


def test_an_outsiders_organisation_cannot_own_an_objective(world):
    with pytest.raises(Invalid, match="cannot be accountable"):
        atomic(
            services.create_objective,
            world.lead,
            world.partnership,
            title="Borrowed",
            owners=[(world.lead, world.trust), (world.outsider, world.stranger_org)],
        )


def test_observers_cannot_set_objectives(world):
    with pytest.raises(Denied, match="other than observer"):
        atomic(
            services.create_objective,
            world.observer,
            world.partnership,
            title="Watching",
            owners=[(world.lead, world.trust), (world.partner_admin, world.company)],
        )


def test_changing_owners_keeps_the_rule(world):
    made = objective(world)
    with pytest.raises(Invalid, match="add an owner from another party"):
        atomic(
            services.update_objective,
            world.lead,
            made,
            owners=[(world.lead, world.trust)],
        )
    member = factories.member(world.company, email="m2@brightscan.example", full_name="Mo Two")
    atomic(
        services.update_objective,
        world.lead,
        made,
        title="Diagnose lung cancer much sooner",
        owners=[(world.lead, world.trust), (member, world.company)],
    )
    made.refresh_from_db()
    assert made.title == "Diagnose lung cancer much sooner"
    assert {o.person for o in made.owners.all()} == {world.lead, member}
    event = AuditEvent.objects.get(action="objective.update")
    assert set(event.summary["changed"]) == {"title", "owners"}


# -- KPIs and measurements -------------------------------------------------------------------


def test_a_kpi_with_a_target_on_the_wrong_side_is_refused(world):
    with pytest.raises(Invalid) as caught:
        kpi(world, target=50.0)
    assert "Lower is better" in caught.value.errors["target"][0]


def test_a_kpi_needs_its_source_and_method(world):
    with pytest.raises(Invalid) as caught:
        kpi(world, data_source=" ", method="", type="outcome-ish")
    assert set(caught.value.errors) == {"data_source", "method", "type"}


def test_a_measurement_is_recorded_with_who_when_and_how(world):
    made = kpi(world)
    with clock.travel(at(2026, 2, 3)):
        m = atomic(
            services.record_measurement,
            world.partner_admin,
            made,
            period=date(2026, 1, 20),
            value=40.5,
            count=51,
            source="api",
        )
    assert (m.period, m.value, m.count, m.source) == (date(2026, 1, 1), 40.5, 51, "api")
    assert (m.recorded_by, m.recorded_for, m.recorded_at) == (
        world.partner_admin,
        world.company,
        at(2026, 2, 3),
    )
    event = AuditEvent.objects.get(action="measurement.record")
    assert event.summary["period"] == "2026-01-01" and "Jan 2026" in event.message


def test_a_second_value_for_the_same_period_and_group_is_refused(world):
    made = kpi(world)
    atomic(services.record_measurement, world.lead, made, period=date(2026, 1, 1), value=40)
    atomic(
        services.record_measurement,
        world.lead,
        made,
        period=date(2026, 1, 1),
        value=44,
        dimension="sex",
        group="Female",
    )
    with pytest.raises(Conflict, match="Jan 2026 already has a value"):
        atomic(services.record_measurement, world.lead, made, period=date(2026, 1, 9), value=39)
    with pytest.raises(Conflict, match="for female"):
        atomic(
            services.record_measurement,
            world.lead,
            made,
            period=date(2026, 1, 1),
            value=41,
            dimension="sex",
            group="female",
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"dimension": "sex"}, "group"),  # a breakdown needs its group
        ({"group": "Women"}, "dimension"),  # a group needs its breakdown
        ({"dimension": "postcode", "group": "N1"}, "dimension"),  # not a breakdown we know
        ({"count": -1}, "count"),
        ({"value": float("inf")}, "value"),
    ],
)
def test_measurement_validation(world, fields, field):
    made = kpi(world)
    args = {"period": date(2026, 1, 1), "value": 40.0, **fields}
    with pytest.raises(Invalid) as caught:
        atomic(services.record_measurement, world.lead, made, **args)
    assert field in caught.value.errors


def test_observers_cannot_record_measurements(world):
    made = kpi(world)
    with pytest.raises(Denied):
        atomic(services.record_measurement, world.observer, made, period=date(2026, 1, 1), value=1)


# -- CSV import ------------------------------------------------------------------------------

GOOD = (
    "period,value,count,dimension,group\n"
    "2026-01,41,50,,\n"
    "2026-02,40,48,,\n"
    "2026-02,44,12,deprivation,IMD 1\n"
)
BAD = (
    "period,value,count,dimension,group\n"
    "2026-01,41,50,,\n"
    "2026-02,forty,48,,\n"
    "2026-03,39,,deprivation,\n"
    "2026-01,40,,,\n"
)


def test_a_good_file_imports_every_row_in_one_audited_step(world):
    made = kpi(world)
    assert atomic(services.import_measurements, world.lead, made, text=GOOD, filename="a.csv") == 3
    assert made.measurements.count() == 3
    assert set(made.measurements.values_list("source", flat=True)) == {"csv"}
    event = AuditEvent.objects.get(action="measurement.import")
    assert event.summary == {
        "kpi": KPI["name"],
        "rows": 3,
        "first_period": "2026-01-01",
        "last_period": "2026-02-01",
        "file": "a.csv",
    }


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row(world):
    made = kpi(world)
    with pytest.raises(services.ImportRejected) as caught:
        atomic(services.import_measurements, world.lead, made, text=BAD)
    assert [(e.line, e.column) for e in caught.value.rows] == [
        (3, "value"),
        (4, "group"),
        (5, "period"),
    ]
    assert "Nothing was imported: the file has 3 problems" in caught.value.reason
    assert caught.value.errors["line 3, value"] == [caught.value.rows[0].problem]
    assert not Measurement.objects.exists()
    assert "measurement.import" not in actions(world.partnership)


def test_rows_that_clash_with_values_already_recorded_are_bad_rows(world):
    made = kpi(world)
    atomic(services.record_measurement, world.lead, made, period=date(2026, 2, 1), value=40)
    with pytest.raises(services.ImportRejected) as caught:
        atomic(services.import_measurements, world.lead, made, text=GOOD)
    assert [(e.line, e.column) for e in caught.value.rows] == [(3, "period")]
    assert "Feb 2026 already has a value" in caught.value.rows[0].problem
    assert made.measurements.count() == 1


# -- status and warnings ---------------------------------------------------------------------


def _series(world, made, values, start_month=1):
    for i, value in enumerate(values):
        atomic(
            services.record_measurement,
            world.lead,
            made,
            period=date(2026, start_month + i, 1),
            value=value,
        )


@pytest.mark.parametrize(
    ("june_value", "status"),
    [
        (33.0, "on_track"),  # the path is at ~34.9 on 30 June
        (35.5, "at_risk"),  # ~0.6 behind, inside the 1.4 band
        (38.0, "off_track"),  # ~3.1 behind
    ],
)
def test_kpi_status_follows_the_trajectory(world, june_value, status):
    made = kpi(world)
    _series(world, made, [41, 40, 39, 38, 37, june_value])
    with clock.travel(at(2026, 7, 10)):
        overview = services.overview(world.partnership)
    assert overview.progress[made.pk].assessment.status.value == status
    assert overview.counts()[status] == 1


def test_a_partnership_operating_with_only_process_kpis_is_warned(world):
    kpi(world, type="process", name="Images read within a day")
    world.partnership.stage = Stage.OPERATING
    world.partnership.save()
    alerts = services.overview(world.partnership).alerts
    assert [(a.code, a.level) for a in alerts] == [("no_outcome_kpi", "warning")]
    assert "operating with only process KPIs" in alerts[0].message


def test_before_operating_the_same_finding_is_a_notice(world):
    world.partnership.stage = Stage.AGREEING
    world.partnership.save()
    alerts = services.overview(world.partnership).alerts
    assert [(a.code, a.level) for a in alerts] == [("no_outcome_kpi", "notice")]
    assert "From the operating stage this becomes a warning" in alerts[0].message


def test_a_patient_outcome_kpi_clears_the_warning(world):
    kpi(world)
    world.partnership.stage = Stage.SCALING
    world.partnership.save()
    assert services.overview(world.partnership).alerts == []


def test_a_kpi_without_a_value_for_two_periods_is_warned(world):
    made = kpi(world)
    _series(world, made, [41, 40])  # January and February
    with clock.travel(at(2026, 4, 1)):  # March complete: one period owed
        assert not [a for a in services.overview(world.partnership).alerts if a.code == "stale"]
    with clock.travel(at(2026, 5, 1)):  # March and April owed
        stale = [a for a in services.overview(world.partnership).alerts if a.code == "stale"]
    assert len(stale) == 1 and "no measurement for 2 periods (since Feb 2026)" in stale[0].message


def test_a_widening_equity_gap_is_warned(world):
    made = kpi(world)
    for month, (poor, rich) in enumerate([(45, 40), (44, 38), (44, 36.5), (45, 36)], start=1):
        for group, value in (("IMD quintile 1", poor), ("IMD quintile 5", rich)):
            atomic(
                services.record_measurement,
                world.lead,
                made,
                period=date(2026, month, 1),
                value=value,
                dimension="deprivation",
                group=group,
            )
    with clock.travel(at(2026, 5, 2)):
        alerts = services.overview(world.partnership).alerts
    widening = [a for a in alerts if a.code == "widening_gap"]
    assert len(widening) == 1
    assert "gap by deprivation widened from 6 days to 9 days" in widening[0].message
    assert "IMD quintile 1 is furthest behind IMD quintile 5" in widening[0].message


def test_the_outcomes_indicators(world):
    assert indicators.read(world.partnership, "patient_outcome_kpis").value == 0
    made = kpi(world)
    kpi(world, made.objective, type="process", name="Images read")
    _series(world, made, [41])
    assert indicators.read(world.partnership, "patient_outcome_kpis").value == 1
    counts = indicators.read(world.partnership, "kpi_status").value
    assert sum(counts.values()) == 2 and counts["no_data"] == 1
