import io

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from carepact.governance import services


def test_progress_report_page_and_pdf(world, board, yesterday, client_for):
    with transaction.atomic():
        services.create_action(
            world.lead,
            world.partnership,
            title="Send the DPIA",
            owner=world.lead,
            owner_organisation=world.trust,
            due_on=yesterday,
        )
    client = client_for(world.observer)
    page = client.get("/p/scan-triage/governance/report/").content.decode()
    assert "Send the DPIA" in page and "not measured" in page
    response = client.get("/p/scan-triage/governance/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Progress report: Scan triage" in text
    assert "Send the DPIA" in text and "Overdue actions" in text


def test_remind_mails_the_leads_about_overdue_items(world, yesterday):
    with transaction.atomic():
        services.create_action(
            world.lead,
            world.partnership,
            title="Send the DPIA",
            owner=world.partner_admin,
            owner_organisation=world.company,
            due_on=yesterday,
        )
    call_command("governance", "remind", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # The lead, and the company's admin because the company has no lead of its own.
    assert sorted(message.to) == ["admin@brightscan.example", "lead@northgate.example"]
    assert "Send the DPIA" in message.body


def test_remind_dry_run_sends_nothing(world, yesterday):
    with transaction.atomic():
        services.create_action(
            world.lead,
            world.partnership,
            title="Late",
            owner=world.lead,
            owner_organisation=world.trust,
            due_on=yesterday,
        )
    out = io.StringIO()
    call_command("governance", "remind", "--dry-run", stdout=out)
    assert not mail.outbox and "Would send 1" in out.getvalue()
