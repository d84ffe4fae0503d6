"""carepact createadmin: a platform administrator, who may use the admin site."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from carepact.accounts.models import User
from carepact.core import audit


class Command(BaseCommand):
    help = (
        "Create a platform administrator. The password is asked for twice, or read from "
        "standard input with --password-stdin (for scripts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="the person's full name")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args, email, name, password_stdin, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an e-mail address.", returncode=2) from exc
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A person with the e-mail address {email} exists.", returncode=2)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords differ.", returncode=2)
        candidate = User(email=email, full_name=name)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        with transaction.atomic():
            user = User.objects.create_superuser(email, password, full_name=name.strip())
            audit.record(
                None,
                action="user.create_admin",
                obj=user,
                message=f"A platform administrator, {user}, was created from the command line.",
            )
        self.stdout.write(f"Created platform administrator {email}.")
