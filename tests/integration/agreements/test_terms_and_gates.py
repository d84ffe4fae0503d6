"""Data-use terms in force, release checks, obligations, the MoU gate and the indicators."""

from datetime import date, timedelta

import pytest

from carepact.agreements import services
from carepact.agreements.models import Obligation
from carepact.core import clock, indicators
from carepact.core.errors import Conflict, Denied
from carepact.core.models import AuditEvent
from carepact.partnerships import services as partnerships
from carepact.partnerships.models import Role, Stage
from tests import factories
from tests.integration.agreements.helpers import (
    atomic,
    draft,
    dsa_clauses,
    mou_clauses,
    signatories,
    signed,
)


def dsa(world):
    return signed(
        world,
        kind="data_sharing",
        clauses=dsa_clauses("northgate", ["brightscan"]),
        title="Scan triage DSA",
    )


def test_no_release_without_a_signed_data_sharing_agreement(world):
    with pytest.raises(Conflict, match="no signed data-sharing agreement"):
        services.check_release_allowed(
            world.partnership, dataset="Scan triage extract", recipient=world.company
        )
    draft(world, kind="data_sharing", clauses=dsa_clauses("northgate", ["brightscan"]))
    assert services.covering_terms(world.partnership, "scan-triage-extract", world.company) is None


def test_release_checks_against_the_terms_in_force(world):
    agreement = dsa(world)
    terms = services.check_release_allowed(
        world.partnership,
        dataset="scan-triage-extract",
        recipient="brightscan",
        on=date(2027, 6, 1),
    )
    assert terms.agreement_id == agreement.pk and terms.fingerprint
    assert terms.permission.code == "DS" and terms.permission.value == "lung cancer"
    with pytest.raises(Conflict, match="not among those the agreement covers"):
        services.check_release_allowed(world.partnership, dataset="Genomes", recipient="brightscan")
    with pytest.raises(Conflict, match="not a recipient"):
        services.check_release_allowed(
            world.partnership, dataset="Outcomes registry", recipient=world.trust
        )
    with pytest.raises(Conflict, match="ended on 2028-12-31"):
        services.check_release_allowed(
            world.partnership,
            dataset="Outcomes registry",
            recipient=world.company,
            on=date(2029, 1, 1),
        )


def test_an_amendment_in_negotiation_leaves_the_signed_terms_in_force(world):
    agreement = dsa(world)
    atomic(services.start_amendment, world.lead, agreement, reason="Add genomes.")
    assert services.covering_terms(world.partnership, "Outcomes registry", world.company)


def test_signing_a_dsa_creates_dated_obligations_owned_by_the_recipient(world):
    dsa(world)
    items = list(Obligation.objects.order_by("due_on", "kind"))
    assert {o.kind for o in items} == {
        "progress_report",
        "publication",
        "return_of_derived_data",
        "deletion",
    }
    assert {o.owner for o in items} == {world.company}
    assert max(o.due_on for o in items) == date(2029, 1, 30)  # deletion: expiry + 30 days
    views = services.obligations_of(world.partner_admin, world.partnership)
    assert all(v.can_meet for v in views)
    assert not any(v.can_meet for v in services.obligations_of(world.lead, world.partnership))


def test_only_the_owner_records_an_obligation_as_met(world):
    dsa(world)
    report = Obligation.objects.filter(kind="progress_report").order_by("due_on").first()
    with pytest.raises(Denied, match="organisation that owns"):
        atomic(services.meet_obligation, world.lead, report)
    atomic(services.meet_obligation, world.partner_admin, report, note="Sent to the board.")
    report.refresh_from_db()
    assert report.met_by == world.partner_admin and report.note == "Sent to the board."
    with pytest.raises(Conflict, match="already recorded"):
        atomic(services.meet_obligation, world.partner_admin, report)
    assert AuditEvent.objects.filter(action="obligation.met").count() == 1


def test_overdue_obligations_show_as_overdue(world):
    dsa(world)
    with clock.travel(clock.now() + timedelta(days=200)):
        states = {v.state for v in services.obligations_of(world.lead, world.partnership)}
    assert "overdue" in states and "upcoming" in states


def test_mobilising_needs_an_mou_signed_by_every_party(world, third):
    p = world.partnership
    p.stage = Stage.AGREEING
    p.save()
    factories.RoleFactory(
        partnership=p, person=world.partner_admin, organisation=world.company, role=Role.CHAMPION
    )
    factories.RoleFactory(
        partnership=p,
        person=world.partner_member,
        organisation=world.company,
        role=Role.EXECUTIVE_SPONSOR,
    )
    with pytest.raises(Conflict, match="No MoU is signed yet"):
        atomic(partnerships.change_stage, world.lead, p, to="mobilising")
    # An MoU between the trust and the company only leaves the university out.
    agreement = atomic(
        services.create_agreement,
        world.lead,
        p,
        kind="mou",
        title="Two-party MoU",
        parties=[world.trust, world.company],
    )
    for key, parameters in mou_clauses("northgate").items():
        atomic(services.add_clause, world.lead, agreement, clause_key=key, parameters=parameters)
    atomic(services.open_negotiation, world.lead, agreement)
    atomic(services.send_for_signature, world.lead, agreement)
    signatories(world)
    atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    atomic(services.sign, world.partner_admin, agreement, password=factories.PASSWORD)
    with pytest.raises(Conflict, match="does not include Eastgate University"):
        atomic(partnerships.change_stage, world.lead, p, to="mobilising")
    assert indicators.read(p, "signed_mou").value is True  # one exists, though it is partial
    factories.RoleFactory(
        partnership=p, person=third.person, organisation=third.organisation, role=Role.SIGNATORY
    )
    full = signed(world, title="Three-party MoU")
    atomic(services.sign, third.person, full, password=factories.PASSWORD)
    atomic(partnerships.change_stage, world.lead, p, to="mobilising")
    p.refresh_from_db()
    assert p.stage == Stage.MOBILISING


def test_the_gate_shows_in_the_stage_checklist(world):
    options = partnerships.stage_options(world.partnership)
    assert all(item.gate.key != "signed_mou" for o in options for item in o.checklist)
    world.partnership.stage = Stage.AGREEING
    world.partnership.save()
    (mobilising,) = [o for o in partnerships.stage_options(world.partnership) if o.forward]
    (gate,) = [i for i in mobilising.checklist if i.gate.key == "signed_mou"]
    assert not gate.met and "No MoU is signed yet" in gate.reason


def test_indicators(world):
    p = world.partnership
    assert indicators.read(p, "contracting_days").value is None
    assert indicators.read(p, "signed_mou").value is False
    with clock.travel(clock.now() - timedelta(days=30)):
        agreement = draft(world, clauses=mou_clauses("northgate"))
        atomic(services.open_negotiation, world.lead, agreement)
        atomic(
            services.propose,
            world.partner_admin,
            agreement,
            family="term-exit",
            parameters={"term": "36 months"},
            comment="Longer.",
        )
    assert indicators.read(p, "open_negotiation_points").value == 1
    (proposal,) = agreement.versions.get().proposals.all()
    atomic(services.respond, world.lead, proposal, answer="accept")
    atomic(services.send_for_signature, world.lead, agreement)
    signatories(world)
    atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    atomic(services.sign, world.partner_admin, agreement, password=factories.PASSWORD)
    reading = indicators.read(p, "contracting_days")
    assert reading.value == 30.0 and "median 30 days" in reading.detail
    assert indicators.read(p, "signed_mou").value is True
    assert indicators.read(p, "open_negotiation_points").value == 0
