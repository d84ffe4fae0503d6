"""carepact governance remind: e-mail the leads about overdue items."""

from __future__ import annotations

from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from carepact.governance import services
from carepact.partnerships.models import Partnership, Role, Stage


class Command(BaseCommand):
    help = (
        "remind: e-mail each partnership's leads (and, for a party without a lead, its "
        "administrators) a list of overdue actions, late escalations and risks past their "
        "review date. Run it daily (cron). --dry-run prints instead of sending."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="e-mail the leads about overdue items")
        remind.add_argument("--dry-run", action="store_true", help="print, do not send")

    def handle(self, *args, subcommand, dry_run=False, **options):
        sent = 0
        for partnership in Partnership.objects.exclude(stage=Stage.CLOSED):
            lines = services_overdue_lines(partnership)
            if not lines:
                continue
            recipients = leads_of(partnership)
            subject = f"carepact: overdue items in {partnership}"
            body = "\n".join(["These items in the partnership need attention:", "", *lines])
            if dry_run:
                self.stdout.write(f"To {', '.join(recipients)}: {subject}\n{body}\n")
            else:
                send_mail(subject, body, None, recipients)
            sent += 1
        self.stdout.write(f"{'Would send' if dry_run else 'Sent'} {sent} reminder(s).")


def services_overdue_lines(partnership) -> list[str]:
    today = services.today()
    lines = [
        f"- Action '{a}' owned by {a.owner}, due {a.due_on:%d %b %Y}"
        for a in services.overdue_actions(partnership).select_related("owner")
    ]
    lines += [
        f"- {e.get_kind_display()} '{e.title}' to be answered by {e.respond_by:%d %b %Y}"
        for e in services.open_escalations(partnership)
        if e.respond_by and e.respond_by < today
    ]
    lines += [
        f"- Risk '{r}' to be reviewed by {r.review_on:%d %b %Y}"
        for r in services.overdue_reviews(partnership)
    ]
    return lines


def leads_of(partnership) -> list[str]:
    """The leads, and the administrators of any party that has no lead of its own."""
    emails = set()
    led = set()
    for role in partnership.roles.filter(role=Role.LEAD).select_related("person"):
        emails.add(role.person.email)
        led.add(role.organisation_id)
    for party in partnership.parties.filter(status="active").exclude(organisation_id__in=led):
        emails.update(
            party.organisation.memberships.filter(is_admin=True).values_list(
                "user__email", flat=True
            )
        )
    return sorted(emails)
