from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldwijzer.audit.partitions import Month
from meldwijzer.audit.verification import audit_chain_verify, audit_month_verify, audit_months


class Command(BaseCommand):
    help = (
        "Controleer de hashketens van het toegangslogboek (een per organisatie) en vergelijk ze "
        "met de controlepunten buiten de database: ontbrekende, gewijzigde, ingevoegde of "
        "verplaatste regels, een ingekorte of gewiste keten en een gewist logboek worden gemeld, "
        "met de keten waarin. Sluit af met code 1 bij een afwijking."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--controlepunten",
            action="append",
            type=Path,
            metavar="BESTAND",
            help="vergelijk met dit bestand met controlepunten (bijvoorbeeld een kopie uit "
            "syslog of een back-up) in plaats van het ingestelde; mag vaker",
        )

        parser.add_argument(
            "--maand",
            "--month",
            dest="months",
            action="append",
            default=[],
            metavar="JJJJ-MM",
            help="controleer alleen deze maand (op PostgreSQL: die partitie), verankerd op de "
            "laatste regel ervoor; mag vaker; 'alle' controleert elke maand apart",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if options["months"]:
            self._verify_months(options["months"], options["controlepunten"])
            return
        result = audit_chain_verify(options["controlepunten"])
        for note in result.notes:
            self.stdout.write(note)
        latest = result.latest_checkpoint
        compared = (
            f" Vergeleken met {result.checkpoints_checked} controlepunt(en); het laatste, van "
            f"{latest.when}, legde {len(latest.heads)} keten(s) met samen {latest.rows} regels "
            "vast."
            if latest
            else ""
        )
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Toegangslogboek in orde: {result.rows_checked} regels gecontroleerd, in "
                    f"{result.chains_checked} keten(s)." + compared
                )
            )
            return
        for problem in result.problems:
            self.stderr.write(problem)
        raise CommandError(
            f"Toegangslogboek NIET in orde: {len(result.problems)} afwijking(en) in "
            f"{result.rows_checked} regels.{compared}"
        )

    def _verify_months(self, names: list[str], files: list[Path] | None) -> None:
        """One line per month; the problems of a month under it."""
        try:
            months = audit_months() if names == ["alle"] else [Month.parse(name) for name in names]
        except ValueError as error:
            raise CommandError(str(error)) from error
        faulty = 0
        for month in months:
            result = audit_month_verify(month, files)
            line = f"{month}: {result.rows_checked} regels in {result.chains_checked} keten(s)"
            if result.ok:
                self.stdout.write(self.style.SUCCESS(f"{line}, in orde."))
                continue
            faulty += 1
            self.stdout.write(f"{line}, NIET in orde:")
            for problem in result.problems:
                self.stdout.write(f"  {month}: {problem}")
        if faulty:
            raise CommandError(f"{faulty} van {len(months)} maand(en) NIET in orde.")
