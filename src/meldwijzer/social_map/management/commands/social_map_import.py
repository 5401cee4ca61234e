"""Import an HSDS 3.0 file (JSON, or a zip with the CSV tables) into the sociale kaart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map.hsds_import import MAX_UPLOAD_BYTES
from meldwijzer.social_map.import_jobs import (
    BROKE_DOWN,
    ImportBusy,
    import_job_start,
    stored_report,
)


class Command(BaseCommand):
    help = (
        "Importeer een HSDS 3.0-bestand (JSON of zip met CSV) in de sociale kaart. Alles of "
        "niets: bij een fout verandert er niets. Afsluitcode 1 bij fouten. Loopt er al een import "
        "(ook op de website), dan wordt deze geweigerd."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bestand", help="JSON-bestand of zip-bestand met CSV-tabellen")
        parser.add_argument(
            "--gebruiker",
            required=True,
            help="gebruikersnaam van een platformbeheerder of functioneel beheerder (voor het "
            "toegangslogboek en de rechten)",
        )
        parser.add_argument("--organisatie", default="", help="namens welke organisatie")
        parser.add_argument(
            "--eigenaar", default="", help="organisatie die nieuwe aanbieders bijhoudt"
        )
        parser.add_argument("--controleren", action="store_true", help="alleen controleren")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError("Het bestand is groter dan 20 MB.")
        user = User.objects.filter(username=options["gebruiker"], is_active=True).first()
        if user is None:
            raise CommandError(f"Onbekende of uitgeschakelde gebruiker: {options['gebruiker']}")
        organisation = None
        if options["organisatie"]:
            organisation = Organisation.objects.filter(name=options["organisatie"]).first()
            if organisation is None:
                raise CommandError(f"Onbekende organisatie: {options['organisatie']}")
        actor = actor_for_user(user=user, organisation_id=organisation.pk if organisation else None)
        if actor is None:
            raise CommandError("Deze gebruiker werkt voor geen enkele actieve organisatie.")
        owner = None
        if options["eigenaar"]:
            owner = Organisation.objects.filter(name=options["eigenaar"]).first()
            if owner is None:
                raise CommandError(f"Onbekende organisatie: {options['eigenaar']}")
        try:
            job = import_job_start(
                actor=actor,
                source=path.name[:100],
                data=path.read_bytes(),
                owner=owner,
                trial=options["controleren"],
                background=False,
            )
        except ImportBusy as busy:
            raise CommandError(str(busy)) from busy
        report = stored_report(job)
        if report is None or report.failure:
            raise CommandError(report.failure if report else BROKE_DOWN)
        for problem in report.notices:
            self.stdout.write(f"let op  {problem}")
        for problem in report.errors:
            self.stderr.write(f"fout    {problem}")
        if report.error_count > len(report.errors):
            self.stderr.write(f"fout    … en nog {report.error_count - len(report.errors)} meer")
        for line in report.summary:
            self.stdout.write(line)
        if report.error_count:
            raise CommandError(f"Niet geïmporteerd: {report.error_count} fout(en).")
        if report.written:
            self.stdout.write(self.style.SUCCESS("Geïmporteerd."))
        elif report.trial:
            self.stdout.write(self.style.SUCCESS("Gecontroleerd: geen fouten (niets veranderd)."))
        else:
            self.stdout.write("Niets geïmporteerd.")
