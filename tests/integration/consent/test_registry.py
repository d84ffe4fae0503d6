"""The consent registry: choices, withdrawals, FHIR round trips, opt-out lists, exclusions,
and that no NHS number reaches a table, an audit event, an import report or a log line."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from django.db import transaction
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent

from carepact.consent import choices, fhir, hooks, registry, services
from carepact.consent.models import ConsentRecord, ImportBatch
from carepact.core.errors import Denied, Invalid
from carepact.core.models import AuditEvent
from carepact.partnerships.models import Role
from tests import factories
from tests.integration.consent.nhs import invalid, valid


def run(fn, *args, **kwargs):
    with transaction.atomic():
        return fn(*args, **kwargs)


@pytest.fixture
def steward(world):
    person = factories.member(world.trust, email="steward@northgate.example")
    factories.RoleFactory(
        partnership=world.partnership, person=person, organisation=world.trust,
        role=Role.DATA_STEWARD,
    )  # fmt: skip
    return person


@pytest.fixture
def traced(monkeypatch):
    """Collect what the withdrawal hook is called with."""
    calls = []
    monkeypatch.setattr(hooks, "_listeners", [lambda a, o, records: calls.append(records)])
    return calls


def consent_resource(number: str, *, decision="deny", id=None, **provision):
    resource = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [fhir.SCOPE]},
        "category": [{"coding": [fhir.CATEGORY]}],
        "patient": {"identifier": {"system": fhir.NHS_NUMBER_SYSTEM, "value": number}},
        "dateTime": "2026-01-10T09:00:00Z",
        "provision": {"type": decision, **provision},
    }
    if id:
        resource["id"] = id
    return resource


HMB = [{"system": fhir.PURPOSE_SYSTEM, "code": "HMB"}]


def all_text_written() -> str:
    """Every stored field a patient number could leak into."""
    events = AuditEvent.objects.values_list("message", "summary", "object_label")
    batches = ImportBatch.objects.values_list("rejections", "skips", "filename")
    records = ConsentRecord.objects.values_list("patient", "record_id", "purposes")
    return json.dumps([list(events), list(batches), list(records)], default=str)


def test_a_steward_records_a_withdrawal_which_is_hashed_audited_and_traced(world, steward, traced):
    record = run(
        services.record_choice,
        steward,
        world.trust,
        nhs_number=f"{valid(1)[:3]} {valid(1)[3:6]} {valid(1)[6:]}",
        decision="deny",
        recipients="commercial",
        partnership=world.partnership.slug,
    )
    assert record.patient == registry.patient_hash(world.trust, valid(1))
    assert record.key_id == registry.registry_key_id(world.trust)
    assert record.source == "staff" and record.partnership == world.partnership
    assert traced == [[record]]
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.scope == f"organisation:{world.trust.pk}"
    assert event.summary["recipients"] == "commercial" and event.summary["partnership"]
    assert valid(1) not in all_text_written()


def test_an_invalid_nhs_number_is_refused_without_repeating_it(world):
    with pytest.raises(Invalid) as caught:
        run(services.record_choice, world.lead, world.trust, nhs_number=invalid(1), decision="deny")
    assert "check digit" in caught.value.reason and invalid(1) not in caught.value.reason
    assert not ConsentRecord.objects.exists()


def test_only_administrators_and_data_stewards_manage_the_registry(world, steward):
    with pytest.raises(Denied, match="administrators and data stewards"):
        run(services.find_patient, world.observer, world.trust, nhs_number=valid(1))
    assert run(services.find_patient, steward, world.trust, nhs_number=valid(1))
    assert run(services.find_patient, world.lead, world.trust, nhs_number=valid(1))
    with pytest.raises(Denied):
        run(services.find_patient, world.partner_admin, world.trust, nhs_number=valid(1))
    assert [o for o, _ in services.registries_for(steward)] == [world.trust]
    assert services.registries_for(world.observer) == []


def test_fhir_import_takes_what_it_can_and_says_why_it_refused_the_rest(world, traced):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": consent_resource(valid(1), id="a1")},
            {"resource": consent_resource(valid(2), decision="permit", id="a2", purpose=HMB)},
            {"resource": consent_resource(invalid(3), id="a3")},
            {"resource": {"resourceType": "Patient"}},
            {"resource": consent_resource(valid(4), id="a4", extension=[
                {"url": fhir.EXT_PARTNERSHIP, "valueString": "no-such-partnership"}])},
        ],
    }  # fmt: skip
    batch = run(
        services.import_fhir, world.lead, world.trust, content=json.dumps(bundle), filename="b.json"
    )
    assert (batch.entries, batch.imported, batch.rejected, batch.skipped) == (5, 2, 3, 0)
    assert [r["at"] for r in batch.rejections] == ["entry 3", "entry 4", "entry 5"]
    assert "check digit" in batch.rejections[0]["reason"]
    assert "Patient, not a Consent" in batch.rejections[1]["reason"]
    assert "no-such-partnership" in batch.rejections[2]["reason"]
    assert [len(call) for call in traced] == [1]  # the one deny is traced
    again = run(services.import_fhir, world.lead, world.trust, content=json.dumps(bundle))
    assert (again.imported, again.skipped) == (0, 2)
    assert ConsentRecord.objects.count() == 2
    for number in (valid(1), valid(2), invalid(3), valid(4)):
        assert number not in all_text_written()


def test_a_file_that_is_not_fhir_imports_nothing(world):
    with pytest.raises(Invalid, match="not a FHIR resource"):
        run(services.import_fhir, world.lead, world.trust, content='{"hello": "world"}')
    assert not ImportBatch.objects.exists() and not ConsentRecord.objects.exists()


def test_fhir_export_is_valid_and_round_trips_into_the_registry(world, steward):
    run(services.record_choice, world.lead, world.trust, nhs_number=valid(1), decision="deny",
        purposes=["DS:MONDO:0005148"], partnership=world.partnership.slug,
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))  # fmt: skip
    run(services.record_choice, world.lead, world.trust, nhs_number=valid(2), decision="permit",
        recipients="non_commercial")  # fmt: skip
    run(services.import_optouts, world.lead, world.trust, content=f"{valid(3)}\n")
    fields = ("record_id", "patient", "decision", "purposes", "recipients", "partnership_id",
              "period_start", "period_end", "recorded_at", "source")  # fmt: skip
    before = sorted(ConsentRecord.objects.values_list(*fields))
    text, count = run(services.export_fhir, steward, world.trust)
    bundle = Bundle.model_validate(json.loads(text))
    assert count == 3 and len(bundle.entry) == 3
    for entry in bundle.entry:
        Consent.model_validate(entry.resource.model_dump(mode="json"))
    ndjson, _ = run(services.export_fhir, steward, world.trust, ndjson=True)
    assert len(ndjson.splitlines()) == 3
    ConsentRecord.objects.all().delete()
    batch = run(services.import_fhir, world.lead, world.trust, content=ndjson, filename="r.ndjson")
    assert (batch.imported, batch.rejected) == (3, 0)
    after = sorted(ConsentRecord.objects.values_list(*fields))
    assert [row[:-1] for row in after] == [row[:-1] for row in before]  # source kept too
    assert [row[-1] for row in after] == [row[-1] for row in before]
    assert valid(1) not in text and valid(3) not in ndjson


def test_opt_out_import_reports_bad_lines_and_skips_those_already_out(world, traced, caplog):
    caplog.set_level(logging.DEBUG)
    content = f"nhs_number\n{valid(1)}\n{invalid(2)}\nnot a number\n{valid(3)}\n{valid(1)}\n"
    batch = run(services.import_optouts, world.lead, world.trust, content=content, filename="o.csv")
    assert (batch.entries, batch.imported, batch.rejected, batch.skipped) == (5, 2, 2, 1)
    assert batch.rejections == [
        {"at": "line 3", "reason": "the NHS number's check digit does not match"},
        {"at": "line 4", "reason": "an NHS number has ten digits"},
    ]
    assert [len(call) for call in traced] == [2]
    again = run(services.import_optouts, world.lead, world.trust, content=f"{valid(1)}\n")
    assert (again.imported, again.skipped) == (0, 1)
    assert again.skips == [{"at": "line 1", "reason": "already opted out"}]
    written = all_text_written() + caplog.text
    for number in (valid(1), invalid(2), valid(3)):
        assert number not in written


def test_exclusions_follow_the_latest_covering_choice(world, company_partnership=None):
    other = factories.PartnershipFactory(slug="other")
    factories.PartyFactory(partnership=other, organisation=world.trust)
    run(services.import_optouts, world.lead, world.trust, content=f"{valid(1)}\n{valid(2)}\n")
    run(services.record_choice, world.lead, world.trust, nhs_number=valid(2), decision="permit",
        partnership=world.partnership.slug)  # fmt: skip
    run(services.record_choice, world.lead, world.trust, nhs_number=valid(3), decision="deny",
        recipients="commercial")  # fmt: skip
    run(services.record_choice, world.lead, world.trust, nhs_number=valid(4), decision="deny",
        partnership="other")  # fmt: skip
    h = {i: registry.patient_hash(world.trust, valid(i)) for i in range(1, 5)}

    def out(commercial: bool, partnership) -> set[int]:
        use = choices.Use(partnership.pk, commercial, "HMB", date.today())
        found = services.exclusions_for(world.trust, use).patients
        return {i for i, p in h.items() if p in found}

    assert out(True, world.partnership) == {1, 3}  # 2 consented here; 4 withdrew elsewhere
    assert out(False, world.partnership) == {1}
    assert out(False, other) == {1, 2, 4}


def test_withdrawal_scopes(world, traced):
    patient = registry.patient_hash(world.trust, valid(5))
    commercial = run(
        services.withdraw, world.lead, world.trust, patient=patient, scope="commercial"
    )
    assert (commercial.recipients, commercial.partnership) == ("commercial", None)
    one = run(services.withdraw, world.lead, world.trust, patient=patient, scope="partnership",
              partnership=world.partnership.slug)  # fmt: skip
    assert one.partnership == world.partnership
    with pytest.raises(Invalid, match="Choose the partnership"):
        run(services.withdraw, world.lead, world.trust, patient=patient, scope="partnership")
    assert len(traced) == 2
