"""carepact consent commands, and the patient's page reached with a one-time code."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from carepact.accounts.models import OrganisationKind
from carepact.consent import patients, registry, services
from carepact.consent.models import CodeGuess, ConsentRecord, ImportBatch, PatientCode
from carepact.core import clock
from tests import factories
from tests.integration.consent.nhs import invalid, valid
from tests.integration.consent.test_registry import consent_resource


def consent_command(*args) -> str:
    out = io.StringIO()
    call_command("consent", *args, stdout=out)
    return out.getvalue()


def test_import_fhir_prints_counts_and_reasons(world, tmp_path):
    path = tmp_path / "consents.ndjson"
    path.write_text(
        json.dumps(consent_resource(valid(1))) + "\n" + json.dumps(consent_resource(invalid(2)))
    )
    out = consent_command("import-fhir", str(path))
    assert "1 resources imported, 1 rejected, 0 skipped (of 2)" in out
    assert "rejected line 2: patient.identifier: the NHS number's check digit does not match" in out
    assert invalid(2) not in out
    assert ImportBatch.objects.get().created_by is None


def test_import_fhir_of_a_file_that_is_not_fhir_exits_2_having_imported_nothing(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"nhs_number\n{valid(1)}\n")
    with pytest.raises(CommandError, match="Nothing imported") as caught:
        consent_command("import-fhir", str(path))
    assert caught.value.returncode == 2
    assert not ConsentRecord.objects.exists() and not ImportBatch.objects.exists()


def test_import_optouts_prints_imported_and_rejected_lines(world, tmp_path):
    path = tmp_path / "optouts.txt"
    path.write_text(f"{valid(1)}\n{invalid(2)}\n{valid(3)}\n")
    out = consent_command("import-optouts", str(path), "--organisation", "northgate")
    assert "2 lines imported, 1 rejected" in out
    assert "rejected line 2: the NHS number's check digit does not match" in out


def test_export_fhir_writes_a_bundle_or_ndjson(world, tmp_path):
    with transaction.atomic():
        services.import_optouts(services.COMMAND_LINE, world.trust, content=f"{valid(1)}\n")
    out = consent_command("export-fhir", "--output", str(tmp_path / "registry.json"))
    assert "1 Consent resources written" in out
    bundle = json.loads((tmp_path / "registry.json").read_text())
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) == 1
    consent_command("export-fhir", "--output", str(tmp_path / "registry.ndjson"))
    assert len((tmp_path / "registry.ndjson").read_text().splitlines()) == 1


def test_the_organisation_must_be_named_when_there_is_more_than_one_nhs_one(world, tmp_path):
    factories.OrganisationFactory(slug="second-trust", kind=OrganisationKind.NHS_TRUST)
    with pytest.raises(CommandError, match="--organisation") as caught:
        consent_command("export-fhir", "--output", str(tmp_path / "x.json"))
    assert caught.value.returncode == 2


# -- the patient's page ----------------------------------------------------------------------


def issue(world) -> tuple[str, str]:
    patient = registry.patient_hash(world.trust, valid(7))
    with transaction.atomic():
        code, _ = patients.issue_code(world.lead, world.trust, patient=patient)
    return code, patient


def test_a_code_opens_the_patient_page_once_and_lets_them_withdraw(world, client_for):
    code, patient = issue(world)
    assert PatientCode.objects.get().code_hash != code  # only the hash is kept
    client = client_for(None)
    page = client.post(reverse("consent:patient"), {"code": code.lower().replace("-", " ")})
    assert page.status_code == 302 and page["Location"] == reverse("consent:patient_choices")
    choices = client.get(reverse("consent:patient_choices"))
    assert choices.status_code == 200
    assert b"Withdraw from commercial use" in choices.content
    assert world.partnership.title.encode() in choices.content
    done = client.post(reverse("consent:patient_choices"), {"scope": "commercial"})
    assert done.status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.patient, record.source, record.recipients) == (patient, "patient", "commercial")
    again = client_for(None).post(reverse("consent:patient"), {"code": code})
    assert again.status_code == 404


def test_a_wrong_or_expired_code_shows_nothing_and_guesses_are_throttled(world, client_for):
    code, _ = issue(world)
    PatientCode.objects.update(expires_at=clock.now())
    client = client_for(None)
    response = client.post(reverse("consent:patient"), {"code": code})
    assert response.status_code == 404 and b"Withdraw" not in response.content
    assert client.get(reverse("consent:patient_choices")).status_code == 404
    for _ in range(patients.MAX_WRONG_GUESSES - 1):
        assert (
            client.post(reverse("consent:patient"), {"code": "AAAA-BBBB-CCCC"}).status_code == 404
        )
    assert CodeGuess.objects.count() == patients.MAX_WRONG_GUESSES
    fresh, _ = issue(world)
    assert client.post(reverse("consent:patient"), {"code": fresh}).status_code == 429


def test_a_visit_ends(world, client_for):
    code, _ = issue(world)
    client = client_for(None)
    client.post(reverse("consent:patient"), {"code": code})
    session = client.session
    visit = session[patients.SESSION_KEY]
    visit["until"] = clock.now().isoformat()
    session[patients.SESSION_KEY] = visit
    session.save()
    assert client.get(reverse("consent:patient_choices")).status_code == 404
