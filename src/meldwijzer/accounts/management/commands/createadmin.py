"""Create the first platform administrator (and, if needed, their organisation)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import enrolment_code_new
from meldwijzer.organisations.models import Membership, Municipality, Organisation, Sector
from meldwijzer.organisations.roles import Role


class Command(BaseCommand):
    help = (
        "Maak een platformbeheerder aan. Het wachtwoord wordt gevraagd, of gelezen uit "
        "MELDWIJZER_ADMIN_PASSWORD. Bij de eerste login stelt de beheerder een authenticator in, "
        "met de activeringscode die deze opdracht toont."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="gebruikersnaam")
        parser.add_argument("--email", required=True, help="e-mailadres")
        parser.add_argument(
            "--organisation",
            required=True,
            help="organisatie namens wie de beheerder werkt (wordt aangemaakt als die ontbreekt)",
        )
        parser.add_argument(
            "--municipality",
            default="Noordoostpolder",
            help="vestigingsgemeente van een nieuwe organisatie (standaard: Noordoostpolder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("nl"):
            self._create(options)

    def _create(self, options: dict[str, Any]) -> None:
        password = os.environ.get("MELDWIJZER_ADMIN_PASSWORD") or getpass.getpass("Wachtwoord: ")
        user = User(username=options["username"], email=options["email"])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if User.objects.filter(username__iexact=options["username"]).exists():
            raise CommandError("Deze gebruikersnaam bestaat al.")
        municipality = Municipality.objects.filter(name=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Onbekende gemeente: {options['municipality']}.")
        with transaction.atomic():
            organisation, _ = Organisation.objects.get_or_create(
                name=options["organisation"],
                defaults={"sector": Sector.MUNICIPALITY, "municipality": municipality},
            )
            user.set_password(password)
            user.save()
            Membership.objects.create(
                user=user, organisation=organisation, role=Role.PLATFORM_ADMIN
            )
            code = enrolment_code_new(user=user, created_by=None)
        hours = int(settings.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Platformbeheerder {user.username} aangemaakt bij {organisation}. "
                "Log in en stel de authenticator-app in met deze activeringscode (werkt één "
                f"keer, {hours} uur geldig): {code}"
            )
        )
