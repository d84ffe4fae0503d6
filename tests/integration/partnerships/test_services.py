import pytest
from django.core import mail
from django.db import transaction

from carepact.accounts.models import OrganisationKind
from carepact.core.errors import Conflict, Denied, Invalid, NotFound
from carepact.core.models import AuditEvent
from carepact.partnerships import gates, services
from carepact.partnerships.models import GlossaryAgreement, Partnership, Party, Role, Stage
from tests import factories


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


def actions(partnership):
    return list(AuditEvent.objects.for_partnership(partnership.pk).values_list("action", flat=True))


def test_create_partnership_makes_the_creator_lead_and_the_organisation_lead_party(db):
    org = factories.OrganisationFactory()
    person = factories.member(org)
    p = atomic(
        services.create_partnership,
        person,
        organisation=org,
        title="Sepsis alerts",
        type="hospital_health_tech",
    )
    assert p.stage == Stage.SCOPING
    party = p.parties.get()
    assert (party.organisation, party.role, party.status) == (org, "lead", "active")
    assert p.roles.get().role == Role.LEAD
    assert actions(p) == ["partnership.create"]


def test_create_partnership_only_for_your_own_organisation(db):
    mine, theirs = factories.OrganisationFactory(), factories.OrganisationFactory()
    person = factories.member(mine)
    with pytest.raises(Denied):
        atomic(
            services.create_partnership, person, organisation=theirs, title="x", type="consortium"
        )
    assert not Partnership.objects.exists()


def test_create_partnership_validates_type_and_title(db):
    org = factories.OrganisationFactory()
    person = factories.member(org)
    with pytest.raises(Invalid) as caught:
        atomic(services.create_partnership, person, organisation=org, title=" ", type="merger")
    assert set(caught.value.errors) == {"title", "type"}


def test_visible_to_only_members_of_active_parties(world):
    assert list(Partnership.objects.visible_to(world.partner_member)) == [world.partnership]
    assert not Partnership.objects.visible_to(world.outsider).exists()
    with pytest.raises(NotFound):
        services.get_partnership(world.outsider, world.partnership.slug)


def test_invited_organisation_sees_nothing_until_it_accepts(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        party = atomic(
            services.invite_organisation,
            world.lead,
            world.partnership,
            organisation=world.stranger_org,
            link="https://carepact.test/invitations/",
        )
    assert mail.outbox[0].to == [world.outsider.email]
    assert not Partnership.objects.visible_to(world.outsider).exists()
    assert list(services.pending_party_invitations(world.outsider)) == [party]
    atomic(services.respond_to_invitation, world.outsider, party, accept=True)
    assert services.get_partnership(world.outsider, world.partnership.slug) == world.partnership
    assert world.partnership.roles.filter(person=world.outsider, role=Role.MEMBER).exists()
    assert actions(world.partnership)[-2:] == ["party.invite", "party.accept"]


def test_only_the_invited_organisations_admin_answers(world):
    party = atomic(
        services.invite_organisation, world.lead, world.partnership, organisation=world.stranger_org
    )
    with pytest.raises(NotFound):
        services.get_party_invitation(world.partner_admin, party.pk)
    with pytest.raises(Denied):
        atomic(services.respond_to_invitation, world.partner_admin, party, accept=True)


def test_declined_invitation_leaves_the_partnership_invisible(world):
    party = atomic(
        services.invite_organisation, world.lead, world.partnership, organisation=world.stranger_org
    )
    atomic(services.respond_to_invitation, world.outsider, party, accept=False)
    party.refresh_from_db()
    assert party.status == Party.Status.DECLINED
    assert not Partnership.objects.visible_to(world.outsider).exists()
    with pytest.raises(Conflict):
        atomic(services.respond_to_invitation, world.outsider, party, accept=True)


def test_only_leads_invite(world):
    with pytest.raises(Denied, match="Only a partnership lead"):
        atomic(
            services.invite_organisation,
            world.observer,
            world.partnership,
            organisation=world.stranger_org,
        )


def test_party_admin_assigns_roles_to_own_people_only(world):
    assignment = atomic(
        services.assign_role,
        world.partner_admin,
        world.partnership,
        person=world.partner_member,
        organisation=world.company,
        role=Role.EXECUTIVE_SPONSOR,
    )
    assert assignment.role == Role.EXECUTIVE_SPONSOR
    with pytest.raises(Denied):
        atomic(
            services.assign_role,
            world.partner_admin,
            world.partnership,
            person=world.observer,
            organisation=world.trust,
            role=Role.CHAMPION,
        )
    with pytest.raises(Denied, match="lead"):
        atomic(
            services.assign_role,
            world.partner_admin,
            world.partnership,
            person=world.partner_member,
            organisation=world.company,
            role=Role.LEAD,
        )


def test_role_must_be_held_by_a_member_of_that_organisation(world):
    with pytest.raises(Invalid, match="not a member"):
        atomic(
            services.assign_role,
            world.lead,
            world.partnership,
            person=world.observer,
            organisation=world.company,
            role=Role.CHAMPION,
        )


def test_last_lead_cannot_be_removed(world):
    lead_role = world.partnership.roles.get(role=Role.LEAD)
    with pytest.raises(Conflict, match="at least one lead"):
        atomic(services.remove_role, world.lead, world.partnership, assignment_id=lead_role.pk)


def test_leaving_scoping_is_refused_with_every_reason_then_allowed(world):
    p = world.partnership
    p.vision = ""
    p.save()
    with pytest.raises(Conflict) as caught:
        atomic(services.change_stage, world.lead, p, to="agreeing")
    assert "shared vision" in caught.value.reason and "champion" in caught.value.reason
    assert Partnership.objects.get(pk=p.pk).stage == Stage.SCOPING

    atomic(
        services.update_partnership,
        world.lead,
        p,
        vision="Find lung cancer earlier for every patient we serve.",
    )
    atomic(
        services.assign_role,
        world.partner_admin,
        p,
        person=world.partner_member,
        organisation=world.company,
        role=Role.CHAMPION,
    )
    change = atomic(services.change_stage, world.lead, p, to="agreeing")
    assert (change.from_stage, change.to_stage) == ("scoping", "agreeing")
    assert Partnership.objects.get(pk=p.pk).stage == Stage.AGREEING
    assert actions(p)[-1] == "stage.change"


def test_industry_party_needs_an_executive_sponsor_before_mobilising(world):
    p = world.partnership
    factories.RoleFactory(
        partnership=p, person=world.partner_member, organisation=world.company, role=Role.CHAMPION
    )
    p.stage = Stage.AGREEING
    p.save()
    with pytest.raises(Conflict, match="Brightscan AI has no named executive sponsor"):
        atomic(services.change_stage, world.lead, p, to="mobilising")
    atomic(
        services.assign_role,
        world.partner_admin,
        p,
        person=world.partner_admin,
        organisation=world.company,
        role=Role.EXECUTIVE_SPONSOR,
    )
    sponsor = next(r for r in gates.checklist(p, "mobilising") if r.gate.key == "industry_sponsor")
    assert sponsor.met
    # Other gates (a signed MoU, from the agreements app) may still hold the move back,
    # but no longer for want of a sponsor.
    try:
        atomic(services.change_stage, world.lead, p, to="mobilising")
    except Conflict as refused:
        assert "executive sponsor" not in str(refused)


def test_non_industry_parties_need_no_sponsor(world):
    world.company.kind = OrganisationKind.ACADEMIA
    world.company.save()
    results = gates.checklist(world.partnership, "mobilising")
    sponsor = next(r for r in results if r.gate.key == "industry_sponsor")
    assert sponsor.met


def test_gates_accumulate_in_lifecycle_order():
    keys = [g.key for g in gates.gates_for("mobilising")]
    assert keys[:3] == ["vision", "two_parties", "champion"]
    assert "industry_sponsor" in keys
    assert [g.key for g in gates.gates_for("agreeing")] == ["vision", "two_parties", "champion"]


def test_a_gate_cannot_guard_scoping():
    with pytest.raises(ValueError):
        gates.register(gates.Gate("x", Stage.SCOPING, "x", "x", lambda p: None))


def test_impossible_transition_is_a_conflict(world):
    with pytest.raises(Conflict, match="cannot move from scoping to operating"):
        atomic(services.change_stage, world.lead, world.partnership, to="operating")


def test_stepping_back_and_closing_need_no_gates_but_closing_needs_a_reason(world):
    p = world.partnership
    p.stage = Stage.AGREEING
    p.save()
    atomic(services.change_stage, world.lead, p, to="scoping")
    with pytest.raises(Invalid):
        atomic(services.change_stage, world.lead, p, to="closed")
    atomic(services.change_stage, world.lead, p, to="closed", note="Funding withdrawn.")
    assert Partnership.objects.get(pk=p.pk).stage == Stage.CLOSED


def test_glossary_term_is_agreed_by_each_party_and_reset_on_change(world):
    p = world.partnership
    term = atomic(
        services.propose_term,
        world.lead,
        p,
        term="Turnaround",
        definition="Hours from scan to report.",
    )
    parties = services.parties_of(p)
    agreed, awaiting = services.term_status(term, parties)
    assert (agreed, awaiting) == ([world.trust], [world.company])
    atomic(services.agree_term, world.partner_admin, term)
    agreed, awaiting = services.term_status(term, parties)
    assert awaiting == []
    with pytest.raises(Conflict):
        atomic(services.agree_term, world.partner_admin, term)

    atomic(
        services.update_term,
        world.partner_admin,
        term,
        term_text="Turnaround",
        definition="Hours from scan to verified report.",
    )
    assert list(
        GlossaryAgreement.objects.filter(term=term).values_list("organisation", flat=True)
    ) == [world.company.pk]


def test_observers_cannot_propose_terms(world):
    with pytest.raises(Denied, match="observer"):
        atomic(services.propose_term, world.observer, world.partnership, term="x", definition="y")


def test_duplicate_term_is_a_conflict_whatever_the_case(world):
    atomic(services.propose_term, world.lead, world.partnership, term="Triage", definition="d")
    with pytest.raises(Conflict):
        atomic(services.propose_term, world.lead, world.partnership, term="TRIAGE", definition="d")


def test_registry_indicators_read_the_gates(world):
    from carepact.core import indicators

    assert indicators.read(world.partnership, "champion_named").value is False
    factories.RoleFactory(
        partnership=world.partnership,
        person=world.partner_member,
        organisation=world.company,
        role=Role.CHAMPION,
    )
    assert indicators.read(world.partnership, "champion_named").value is True
    assert indicators.read(world.partnership, "stage_days").value == 0
