"""Fixtures for data tests: a data directory with synthetic patients, stewards, a university
party, and a signed data-sharing agreement built through the agreements services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction

from carepact.accounts.models import OrganisationKind
from carepact.agreements import services as agreements
from carepact.agreements.services.library import ensure_starter_library
from carepact.data import services
from carepact.engine.release.synth import write_patients
from carepact.partnerships.models import Role
from tests import factories
from tests.integration.agreements.helpers import dsa_clauses, signatories

ROWS = 3000
DATASET = "Scan triage extract"  # the name the test agreement's data-use clause uses


def atomic(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


@pytest.fixture
def data_dir(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path
    (tmp_path / "datasets").mkdir()
    return tmp_path


@pytest.fixture
def patients_file(data_dir) -> str:
    """3,000 synthetic admissions (the engine's generator), under datasets/."""
    write_patients(data_dir / "datasets" / "northgate" / "scans.parquet", ROWS, seed=7)
    return "northgate/scans.parquet"


@dataclass
class DataWorld:
    world: object
    steward: object  # data steward of the trust
    second_steward: object
    university: object
    academic: object  # a member of the university, in the partnership
    researcher: object  # the company's member who asks (partner_admin)


@pytest.fixture
def data_world(world) -> DataWorld:
    p = world.partnership
    steward = factories.member(
        world.trust, email="steward@northgate.example", full_name="Sue Steward"
    )
    second = factories.member(world.trust, email="second@northgate.example", full_name="Sid Second")
    for person in (steward, second):
        factories.RoleFactory(
            partnership=p, person=person, organisation=world.trust, role=Role.DATA_STEWARD
        )
    university = factories.OrganisationFactory(
        name="Eastgate University", slug="eastgate", kind=OrganisationKind.ACADEMIA
    )
    factories.PartyFactory(partnership=p, organisation=university)
    academic = factories.member(university, email="una@eastgate.example", full_name="Una Academic")
    factories.RoleFactory(partnership=p, person=academic, organisation=university, role=Role.MEMBER)
    return DataWorld(world, steward, second, university, academic, world.partner_admin)


def columns_marked(dataset):
    """The roles a steward would set on the synthetic admissions table."""
    roles = {
        "age": {"role": "quasi_identifier", "hierarchy": "age"},
        "sex": {"role": "quasi_identifier", "hierarchy": "none"},
        "postcode": {"role": "quasi_identifier", "hierarchy": "uk_postcode"},
        "diagnosis": {"role": "sensitive"},
        "ethnicity": {"role": "other"},
        "deprivation_decile": {"role": "other"},
        "admission_date": {"role": "other"},
        "lab_value": {"role": "other"},
    }
    return {k: v for k, v in roles.items() if any(c["name"] == k for c in dataset.columns)}


def register_extract(data_world, partnership, patients_file):
    """The trust's extract registered in ``partnership`` by its steward, columns set."""
    found = atomic(
        services.register_dataset,
        data_world.steward,
        partnership,
        owner=data_world.world.trust,
        name=DATASET,
        location=patients_file,
        patient_id_column="nhs_number",
        k=5,
        suppression_limit=0.1,
    )
    atomic(services.set_columns, data_world.steward, found, columns=columns_marked(found))
    return found


@pytest.fixture
def dataset(data_world, patients_file):
    """The trust's extract, registered and its columns set, with draft terms (HMB)."""
    found = register_extract(data_world, data_world.world.partnership, patients_file)
    atomic(services.draft_terms, data_world.steward, found, permission="HMB")
    return found


def sign_dsa(w, clauses: dict, *, title="Scan triage data-sharing agreement"):
    """A data-sharing agreement between the trust and the company, negotiated and signed."""
    # The clause library comes from a data migration that a transactional test may flush.
    atomic(ensure_starter_library)
    agreement = atomic(
        agreements.create_agreement,
        w.lead,
        w.partnership,
        kind="data_sharing",
        title=title,
        parties=[w.trust, w.company],
    )
    for key, parameters in clauses.items():
        atomic(agreements.add_clause, w.lead, agreement, clause_key=key, parameters=parameters)
    atomic(agreements.open_negotiation, w.lead, agreement)
    atomic(agreements.send_for_signature, w.lead, agreement)
    if not w.partnership.roles.filter(role=Role.SIGNATORY).exists():
        signatories(w)
    atomic(agreements.sign, w.lead, agreement, password=factories.PASSWORD)
    atomic(agreements.sign, w.partner_admin, agreement, password=factories.PASSWORD)
    return agreement


@pytest.fixture
def agreement(data_world):
    """A signed data-sharing agreement: DS lung cancer, IRB, PUB, RTN, GS:GB, to the company."""
    w = data_world.world
    return sign_dsa(w, dsa_clauses(w.trust.slug, [w.company.slug]))


REQUEST = {
    "purpose": "DS:MONDO:0008903",
    "lay_summary": "Find which chest X-rays show lung cancer so they are reported first.",
    "public_benefit": "People with lung cancer are diagnosed sooner, at a curable stage.",
    "ethics_reference": "IRAS 123456",
}
