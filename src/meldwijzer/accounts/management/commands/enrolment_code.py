"""A new enrolment code from the command line: for the first platformbeheerder whose code
expired, or for one who lost their authenticator (a functioneel beheerder cannot reset theirs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts import events
from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import (
    api_tokens_revoke_for_user,
    enrolment_code_issue,
    enrolment_code_new,
    sessions_end_for_user,
)


class Command(BaseCommand):
    help = (
        "Maak een nieuwe activeringscode voor iemand zonder authenticator. Met --reset wordt "
        "de authenticator eerst verwijderd; sessies en API-sleutels van die persoon vervallen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="gebruikersnaam")
        parser.add_argument(
            "--reset", action="store_true", help="verwijder eerst de bestaande authenticator"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("Er is geen actief account met deze gebruikersnaam.")
        with transaction.atomic():
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                if not options["reset"]:
                    raise CommandError(
                        "Deze persoon heeft al een authenticator. Gebruik --reset om die te "
                        "verwijderen en een nieuwe te laten instellen."
                    )
                TOTPDevice.objects.filter(user=user).delete()
                api_tokens_revoke_for_user(user=user)
                sessions_end_for_user(user=user)
                events.second_factor_reset_by_command(user=user, issued_by="opdrachtregel")
                code = enrolment_code_new(user=user, created_by=None)
            else:
                code = enrolment_code_issue(user=user, actor=None, issued_by="opdrachtregel")
        hours = int(settings.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600)
        self.stdout.write(
            f"Activeringscode voor {user.username} ({hours} uur geldig, tot de app gekoppeld is): {code}"
        )
