"""A patient withdraws from one partnership on their own page (with the one-time code staff
gave them): the releases of that partnership leave them out from then on, and past ones
get an obligation; the same data released in another partnership of the trust still
includes them."""

from __future__ import annotations

import dataclasses

from django.db import transaction

from carepact.consent import patients, registry
from carepact.consent.models import ConsentRecord
from carepact.data import services
from carepact.data.models import JobStatus, WithdrawalObligation
from carepact.engine.release import membership_matches
from carepact.partnerships.models import Party, Role
from tests import factories
from tests.integration.agreements.helpers import dsa_clauses
from tests.integration.data.conftest import REQUEST, atomic, register_extract, sign_dsa
from tests.integration.data.test_releases import numbers, pseudonyms_of, released, worker


def second_partnership(data_world, patients_file):
    """The trust shares the same extract with the company in a second partnership."""
    w = data_world.world
    other = factories.PartnershipFactory(title="Sepsis alerts", slug="sepsis-alerts")
    factories.PartyFactory(partnership=other, organisation=w.trust, role=Party.Role.LEAD)
    factories.PartyFactory(partnership=other, organisation=w.company)
    for person, org, role in (
        (w.lead, w.trust, Role.LEAD),
        (data_world.steward, w.trust, Role.DATA_STEWARD),
        (w.partner_admin, w.company, Role.MEMBER),
    ):
        factories.RoleFactory(partnership=other, person=person, organisation=org, role=role)
    sign_dsa(
        dataclasses.replace(w, partnership=other),
        dsa_clauses(w.trust.slug, [w.company.slug]),
        title="Sepsis alerts data-sharing agreement",
    )
    return other, register_extract(data_world, other, patients_file)


def release_of(data_world, dataset):
    made = atomic(services.submit_request, data_world.researcher, dataset, **REQUEST)
    _, release = atomic(services.review_request, data_world.steward, made, verdict="approve")
    return made, release


def done(release):
    release.refresh_from_db()
    assert release.status == JobStatus.SUCCEEDED, release.error
    return release


def test_a_patient_withdraws_from_one_partnership_on_their_page(
    transactional_db, data_world, dataset, agreement, patients_file, data_dir, client_for
):
    w = data_world.world
    _, other_dataset = second_partnership(data_world, patients_file)
    triage_request, triage_first = release_of(data_world, dataset)
    sepsis_request, sepsis_first = release_of(data_world, other_dataset)
    worker()
    triage_first, sepsis_first = done(triage_first), done(sepsis_first)

    # Someone both releases contained.
    nhs = numbers(data_dir)
    hashes = {registry.patient_hash(w.trust, n): n for n in nhs[:200]}
    in_both = sorted(
        membership_matches(data_dir / triage_first.files["membership"], set(hashes))
        & membership_matches(data_dir / sepsis_first.files["membership"], set(hashes))
    )
    patient = in_both[0]
    number = hashes[patient]

    # Staff give them a code; they open their page with it.
    with transaction.atomic():
        code, _ = patients.issue_code(data_world.steward, w.trust, patient=patient)
    visitor = client_for(None)
    assert visitor.post("/patient/", {"code": code}).status_code == 302
    page = visitor.get("/patient/choices/").content.decode()
    assert "Scan triage" in page and "Sepsis alerts" in page
    assert "You have withdrawn" not in page

    answer = visitor.post(
        "/patient/choices/", {"scope": "partnership", "partnership": w.partnership.slug}
    )
    assert answer.status_code == 302
    (choice,) = ConsentRecord.objects.filter(patient=patient)
    assert (choice.decision, choice.source, choice.partnership) == (
        "deny",
        "patient",
        w.partnership,
    )
    assert choice.recipients == "all" and not choice.purposes
    page = visitor.get("/patient/choices/").content.decode()
    assert page.count("You have withdrawn from this partnership.") == 1
    assert page.count("You have withdrawn: they must delete or replace it.") == 1
    # The code worked once.
    assert client_for(None).post("/patient/", {"code": code}).status_code == 404

    # The past release of that partnership gets an obligation; the other's does not.
    (obligation,) = WithdrawalObligation.objects.all()
    assert (obligation.release, obligation.patients) == (triage_first, 1)

    # The next release of each: the patient is left out of the partnership they withdrew
    # from, and only that one.
    triage_next = atomic(services.start_release, data_world.steward, triage_request)
    sepsis_next = atomic(services.start_release, data_world.steward, sepsis_request)
    worker()
    triage_next, sepsis_next = done(triage_next), done(sepsis_next)
    assert (triage_next.consent_exclusions, sepsis_next.consent_exclusions) == (1, 0)
    assert (triage_next.excluded_by_consent, sepsis_next.excluded_by_consent) == (1, 0)
    assert not membership_matches(data_dir / triage_next.files["membership"], {patient})
    assert not pseudonyms_of(triage_next, [number]) & set(
        released(data_dir, triage_next).column("pseudonym").to_pylist()
    )
    assert membership_matches(data_dir / sepsis_next.files["membership"], {patient})
    assert pseudonyms_of(sepsis_next, [number]) <= set(
        released(data_dir, sepsis_next).column("pseudonym").to_pylist()
    )
    # The past release is what it was: the obligation, not carepact, deals with it.
    assert membership_matches(data_dir / triage_first.files["membership"], {patient})
