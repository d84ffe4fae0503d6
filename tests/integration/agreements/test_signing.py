"""Sending for signature, signing, the frozen hash, tamper detection and amendments."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carepact.agreements import services
from carepact.agreements.models import AgreementClause, AgreementVersion, ClauseVersion
from carepact.core import audit
from carepact.core.errors import Conflict, Denied, Invalid
from carepact.core.models import AuditEvent
from tests import factories
from tests.integration.agreements.helpers import (
    atomic,
    draft,
    dsa_clauses,
    mou_clauses,
    signatories,
    signed,
)


def ready(world, clauses=None):
    agreement = draft(world, clauses=clauses or mou_clauses("northgate"))
    atomic(services.open_negotiation, world.lead, agreement)
    return agreement


def test_an_incomplete_agreement_cannot_go_out_for_signature_and_says_why(world):
    clauses = mou_clauses("northgate")
    del clauses["sops-register"], clauses["ip-generator-owns"]
    agreement = ready(world, clauses)
    with pytest.raises(Conflict) as caught:
        atomic(services.send_for_signature, world.lead, agreement)
    reason = caught.value.reason
    assert "incomplete" in reason
    assert "standard operating procedures" in reason and "intellectual property" in reason


def test_open_points_block_sending_for_signature(world):
    agreement = ready(world)
    atomic(
        services.propose,
        world.partner_admin,
        agreement,
        family="term-exit",
        parameters={"term": "36 months"},
        comment="Longer.",
    )
    with pytest.raises(Conflict, match="1 proposal is still open"):
        atomic(services.send_for_signature, world.lead, agreement)


def test_a_draft_is_negotiated_before_signature(world):
    agreement = draft(world, clauses=mou_clauses("northgate"))
    with pytest.raises(Conflict, match="still a draft"):
        atomic(services.send_for_signature, world.lead, agreement)


def test_only_signatories_sign_and_only_with_their_password(world):
    agreement = ready(world)
    atomic(services.send_for_signature, world.lead, agreement)
    with pytest.raises(Denied, match="signatory role"):
        atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    signatories(world)
    with pytest.raises(Invalid, match="password is not correct") as caught:
        atomic(services.sign, world.lead, agreement, password="not my password")
    assert "password" in caught.value.errors
    signature = atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    assert (signature.organisation, signature.signer_name) == (world.trust, "Lee Lead")
    with pytest.raises(Conflict, match="already signed"):
        atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    assert services.current_version(agreement).status == "signing"  # the company has not


def test_the_last_signature_freezes_the_version_with_its_hash_in_the_audit_trail(world):
    agreement = signed(world)
    version = services.current_version(agreement)
    assert version.status == "signed" and version.signed_at
    assert version.hash == hashlib.sha256(version.canonical.encode()).hexdigest()
    document = json.loads(version.canonical)
    assert [p["organisation"] for p in document["parties"]] == ["northgate", "brightscan"]
    assert [c["number"] for c in document["clauses"]] == list(range(1, 9))
    assert document["clauses"][0]["parameters"]["outcome_measure"].startswith("the share")
    event = AuditEvent.objects.get(action="agreement.signed")
    assert event.summary["sha256"] == version.hash and version.hash in event.message
    assert all(report.broken is None for report in audit.verify())
    assert services.verify(agreement, version).ok


def test_a_signed_version_cannot_change_except_by_amendment(world):
    agreement = signed(world)
    with pytest.raises(Conflict, match="signed and frozen"):
        atomic(
            services.propose,
            world.lead,
            agreement,
            family="term-exit",
            parameters={"term": "12 months"},
            comment="Shorter.",
        )
    with pytest.raises(Conflict):
        atomic(services.remove_clause, world.lead, agreement, family="term-exit")
    with pytest.raises(Conflict):
        atomic(services.recall, world.lead, agreement, reason="Too late.")


def test_recall_voids_signatures_and_reopens_negotiation(world):
    agreement = ready(world)
    atomic(services.send_for_signature, world.lead, agreement)
    signatories(world)
    atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    with pytest.raises(Invalid):
        atomic(services.recall, world.partner_admin, agreement, reason="")
    atomic(services.recall, world.partner_admin, agreement, reason="Our board wants changes.")
    version = services.current_version(agreement)
    assert version.status == "negotiating" and not version.signatures.exists()
    event = AuditEvent.objects.get(action="agreement.recall")
    assert event.summary["voided"] == [world.trust.name]


TAMPERING = [
    # (what is changed behind the services' back, words in the verdict)
    (
        lambda v: AgreementClause.objects.filter(version=v, family="term-exit").update(
            parameters={"starts_on": "2027-01-04", "term": {"value": 99, "unit": "months"}}
        ),
        "changed since it was signed",
    ),
    (
        lambda v: ClauseVersion.objects.filter(clause__key="term-exit").update(
            text="This agreement lasts for ever."
        ),
        "changed since it was signed",
    ),
    (lambda v: AgreementClause.objects.filter(version=v, family="sops").delete(), "changed"),
    (
        lambda v: AgreementVersion.objects.filter(pk=v.pk).update(
            defined_terms=[{"term": "Data", "definition": "Anything."}]
        ),
        "changed since it was signed",
    ),
    (
        lambda v: AgreementVersion.objects.filter(pk=v.pk).update(canonical=v.canonical + " "),
        "canonical text",
    ),
]


@pytest.mark.parametrize(("tamper", "verdict"), TAMPERING)
def test_tampering_with_a_signed_version_is_detected(world, tamper, verdict):
    agreement = signed(world)
    version = services.current_version(agreement)
    tamper(version)
    result = services.verify(agreement, AgreementVersion.objects.get(pk=version.pk))
    assert not result.ok and verdict in result.problem


def test_a_new_hash_written_with_the_tampered_clauses_still_disagrees_with_the_trail(world):
    agreement = signed(world)
    version = services.current_version(agreement)
    AgreementClause.objects.filter(version=version, family="term-exit").update(
        parameters={"starts_on": "2027-01-04", "term": {"value": 99, "unit": "months"}}
    )
    document = services.canonical_of(agreement, version)
    from carepact.engine.agreements import canonical

    AgreementVersion.objects.filter(pk=version.pk).update(
        hash=canonical.fingerprint(document), canonical=canonical.encode(document).decode()
    )
    result = services.verify(agreement, AgreementVersion.objects.get(pk=version.pk))
    assert not result.ok and "recorded in the audit trail" in result.problem


def test_the_verify_command_names_broken_versions_and_exits_1(world):
    agreement = signed(world)
    other = signed(
        world, kind="data_sharing", clauses=dsa_clauses("northgate", ["brightscan"]), title="DSA"
    )
    out = io.StringIO()
    call_command("agreements", "verify", stdout=out)
    assert "Every signed version verifies: 2 versions." in out.getvalue()
    AgreementClause.objects.filter(version__agreement=other, family="data-use").update(
        parameters={}
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("agreements", "verify", stdout=out)
    assert caught.value.returncode == 1
    assert f"agreement {other.pk} version 1" in str(caught.value)
    assert f"BROKEN  agreement {other.pk} version 1" in out.getvalue()
    assert f"ok      agreement {agreement.pk} version 1" in out.getvalue()
    call_command(
        "agreements", "verify", str(agreement.pk), stdout=io.StringIO()
    )  # that one is fine


def test_an_amendment_is_a_new_version_diffed_against_the_signed_one(world):
    agreement = signed(world)
    with pytest.raises(Invalid):
        atomic(services.start_amendment, world.lead, agreement, reason=" ")
    amendment = atomic(
        services.start_amendment, world.partner_admin, agreement, reason="A third year."
    )
    assert (amendment.number, amendment.status, amendment.amends.number) == (2, "negotiating", 1)
    with pytest.raises(Conflict, match="not signed yet"):
        atomic(services.start_amendment, world.lead, agreement, reason="Again.")
    proposal = atomic(
        services.propose,
        world.partner_admin,
        agreement,
        family="term-exit",
        parameters={"term": "36 months"},
        comment="The evaluation needs a third year.",
    )
    atomic(services.respond, world.lead, proposal, answer="accept")
    changes = services.compare(agreement, amendment.amends, amendment)
    (changed,) = [c for c in changes if c.change == "changed"]
    assert changed.family == "term-exit"
    assert [(p.label, p.before, p.after) for p in changed.parameters] == [
        ("Lasts for", "24 months", "36 months")
    ]
    assert ("del", "24") in [(s.op, s.text.strip()) for s in changed.text]
    text = services.text_diff(agreement, amendment.amends, amendment)
    assert "-8.1 This agreement starts" in text and "+8.1 This agreement starts" in text

    first = services.get_version(agreement, 1)
    atomic(services.send_for_signature, world.lead, agreement)
    atomic(services.sign, world.lead, agreement, password=factories.PASSWORD)
    atomic(services.sign, world.partner_admin, agreement, password=factories.PASSWORD)
    first.refresh_from_db()
    amendment.refresh_from_db()
    assert (first.status, amendment.status) == ("superseded", "signed")
    assert json.loads(amendment.canonical)["amends"] == first.hash
    assert services.signed_version(agreement) == amendment
    assert all(v.ok for v in services.verify_all(agreement_id=agreement.pk))


def test_signed_names_are_kept_as_they_were(world):
    agreement = signed(world)
    world.company.name = "Brightscan Health"
    world.company.save()
    version = services.current_version(agreement)
    assert services.context_for(agreement, version).party_name("brightscan") == "Brightscan AI"
    assert services.verify(agreement, version).ok
