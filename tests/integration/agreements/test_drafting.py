"""Starting agreements and drafting them: who may, what is checked, what is recorded."""

import pytest

from carepact.agreements import services
from carepact.agreements.models import Agreement
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.core.models import AuditEvent
from carepact.partnerships.models import Stage
from tests.integration.agreements.helpers import atomic, draft, mou_clauses


def actions(world):
    return list(
        AuditEvent.objects.for_partnership(world.partnership.pk).values_list("action", flat=True)
    )


def test_create_agreement_between_every_active_party_as_a_draft(world):
    agreement = atomic(
        services.create_agreement, world.lead, world.partnership, kind="mou", title="MoU"
    )
    version = services.current_version(agreement)
    assert (version.number, version.status) == (1, "draft")
    assert services.party_organisations(agreement) == [world.trust, world.company]
    assert agreement.created_for == world.trust
    assert actions(world) == ["agreement.create"]


def test_starter_clauses_cover_every_required_topic_and_list_what_to_fill_in(world):
    agreement = atomic(
        services.create_agreement,
        world.lead,
        world.partnership,
        kind="mou",
        title="MoU",
        starter_clauses=True,
    )
    completeness = services.completeness_of(services.current_version(agreement))
    assert not completeness.missing
    assert not completeness.complete  # parameters without defaults still need values
    assert any("required" in p.problem for p in completeness.problems)


def test_create_agreement_checks_its_input(world, third):
    with pytest.raises(Invalid) as caught:
        atomic(services.create_agreement, world.lead, world.partnership, kind="lease", title="")
    assert set(caught.value.errors) == {"kind", "title"}
    with pytest.raises(Invalid, match="correcting") as caught:
        atomic(
            services.create_agreement,
            world.partner_admin,
            world.partnership,
            kind="ip",
            title="IP",
            parties=[world.trust, third.organisation],  # without the author's own party
        )
    assert "Your own organisation" in caught.value.errors["parties"][0]
    with pytest.raises(Invalid):
        atomic(
            services.create_agreement,
            world.lead,
            world.partnership,
            kind="ip",
            title="IP",
            parties=[world.trust, world.stranger_org],  # not a party to the partnership
        )


def test_an_agreement_may_bind_only_some_parties(world, third):
    agreement = atomic(
        services.create_agreement,
        world.lead,
        world.partnership,
        kind="ip",
        title="IP",
        parties=[world.trust, third.organisation],
    )
    assert services.party_organisations(agreement) == [world.trust, third.organisation]


def test_observers_and_outsiders_cannot_start_agreements(world):
    with pytest.raises(Denied, match="other than observer"):
        atomic(services.create_agreement, world.observer, world.partnership, kind="mou", title="X")
    with pytest.raises(Denied):
        atomic(services.create_agreement, world.outsider, world.partnership, kind="mou", title="X")
    assert not Agreement.objects.exists()


def test_a_closed_partnership_starts_no_agreement(world):
    world.partnership.stage = Stage.CLOSED
    world.partnership.save()
    with pytest.raises(Conflict, match="closed"):
        atomic(services.create_agreement, world.lead, world.partnership, kind="mou", title="X")


def test_outsiders_do_not_see_agreements(world):
    agreement = draft(world)
    assert not Agreement.objects.visible_to(world.outsider).exists()
    with pytest.raises(NotFound):
        services.get_agreement(world.outsider, world.partnership, agreement.pk)


def test_draft_clauses_are_added_changed_and_removed_directly_with_an_audit_trail(world):
    agreement = draft(world)
    clause = atomic(
        services.add_clause,
        world.partner_admin,
        agreement,
        clause_key="ip-joint",
        parameters={"exploitation_lead": "brightscan", "nhs_share": "20"},
    )
    assert clause.parameters == {
        "exploitation_lead": "brightscan",
        "nhs_share": "20",
        "decision_days": 30,  # the default
    }
    atomic(
        services.update_clause,
        world.lead,
        agreement,
        family="ip-ownership",
        clause_key="ip-nhs-owns-licence-back",
        parameters={
            "nhs_party": "northgate",
            "licensees": ["brightscan"],
            "licence_scope": "research",
            "royalty": "2",
        },
    )
    clause.refresh_from_db()
    assert clause.clause_version.clause.key == "ip-nhs-owns-licence-back"
    with pytest.raises(Conflict, match="already has a clause"):
        atomic(
            services.add_clause,
            world.lead,
            agreement,
            clause_key="ip-generator-owns",
            parameters={"project_licence": "none"},
        )
    atomic(services.remove_clause, world.lead, agreement, family="ip-ownership")
    assert not services.current_version(agreement).clauses.exists()
    assert actions(world)[-3:] == [
        "agreement.clause_add",
        "agreement.clause_update",
        "agreement.clause_remove",
    ]


def test_parameter_errors_name_each_parameter(world):
    agreement = draft(world)
    with pytest.raises(Invalid) as caught:
        atomic(
            services.add_clause,
            world.lead,
            agreement,
            clause_key="ip-joint",
            parameters={"exploitation_lead": "elsewhere", "nhs_share": "120"},
        )
    assert set(caught.value.errors) == {"exploitation_lead", "nhs_share"}
    assert "not a party" in caught.value.errors["exploitation_lead"][0]


def test_switching_alternative_keeps_parameters_of_the_same_name_and_type(world):
    clauses = mou_clauses("northgate")
    agreement = draft(
        world, clauses={"project-plan-milestones": clauses["project-plan-milestones"]}
    )
    atomic(
        services.update_clause,
        world.lead,
        agreement,
        family="project-plan",
        clause_key="project-plan-phased",
        parameters={"phases": "Build\nEvaluate", "decision_by": "board"},
    )
    clause = services.slot(services.current_version(agreement), "project-plan")
    assert clause.parameters["start_date"] == "2027-01-04"  # carried over


def test_observers_cannot_edit_drafts(world):
    agreement = draft(world, clauses={"confidentiality-mutual": {}})
    with pytest.raises(Denied):
        atomic(services.remove_clause, world.observer, agreement, family="confidentiality")


def test_opening_negotiation_needs_a_clause_and_then_stops_direct_edits(world):
    agreement = draft(world)
    with pytest.raises(Conflict, match="at least one clause"):
        atomic(services.open_negotiation, world.lead, agreement)
    agreement = draft(world, clauses={"confidentiality-mutual": {}}, title="Second")
    atomic(services.open_negotiation, world.lead, agreement)
    with pytest.raises(Conflict, match="being negotiated"):
        atomic(services.open_negotiation, world.lead, agreement)
    proposal = atomic(
        services.update_clause,
        world.lead,
        agreement,
        family="confidentiality",
        parameters={"survives": "7 years"},
        comment="Longer protection for know-how.",
    )
    assert proposal.status == "open"  # during negotiation a change is a proposal
    assert services.slot(services.current_version(agreement), "confidentiality").parameters[
        "survives"
    ] == {"value": 5, "unit": "years"}
