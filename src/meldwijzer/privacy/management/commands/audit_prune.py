"""`meldwijzer audit prune`: remove the access log's months older than its term, anchoring every
chain so that what remains still verifies (`privacy.access_log_retention`). It lives with the
retention periods in the privacy app, which knows the term; the audit app removes the months."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from meldwijzer.privacy.access_log_retention import PruneRefused, PruneRun, access_log_prune


def summary_lines(run: PruneRun) -> list[str]:
    """The run in Dutch: the term, then each month (to be) removed with its rows."""
    term = run.term
    source = "eigen termijn" if term.overridden else "bewaartabel"
    lines = [
        f"Bewaartermijn toegangslogboek: {term.years} jaar ({source} {term.as_of:%d-%m-%Y}); "
        f"bewaard vanaf {run.plan.keep_from} (maand waarin de termijn begon)."
    ]
    if not run.plan.months:
        lines.append("Er zijn geen maanden ouder dan de bewaartermijn; niets opgeschoond.")
        return lines
    verb = "zou worden verwijderd" if run.dry_run else "verwijderd"
    for month in run.plan.months:
        lines.append(f"  {month}: {run.plan.rows[month]} regel(s) {verb}")
    if run.dry_run:
        lines.append(
            f"Proefdraai: {run.plan.total} regel(s) in {len(run.plan.months)} maand(en) zouden "
            "worden verwijderd; er is niets gewijzigd."
        )
    else:
        lines.append(
            f"Opgeschoond: {run.result.rows} regel(s) in {len(run.result.months)} maand(en); "
            f"{run.result.chains} keten(s) beginnen nu bij hun anker "
            f"({timezone.localtime():%d-%m-%Y %H:%M}). `meldwijzer audit verify` controleert de "
            "rest vanaf daar."
        )
    return lines


class Command(BaseCommand):
    help = (
        "Verwijder de maanden van het toegangslogboek die ouder zijn dan de bewaartermijn "
        "(ten minste 5 jaar). Elke keten krijgt een ondertekend anker, zodat `audit verify` de "
        "rest blijft controleren. Weigert, met afsluitcode 1, als de termijn korter is dan 5 "
        "jaar, een te verwijderen maand niet in orde is of het logboek niet past bij zijn "
        "controlepunten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="laat zien welke maanden verwijderd zouden worden; wijzig niets",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = access_log_prune(dry_run=options["dry_run"])
        except PruneRefused as error:
            raise CommandError(str(error)) from error
        for line in summary_lines(run):
            self.stdout.write(line)
