from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meldwijzer.audit.partitions import MONTHS_AHEAD, audit_partitions_ensure, is_partitioned


class Command(BaseCommand):
    help = (
        "Maak op PostgreSQL de maandpartities van het toegangslogboek aan: deze maand en de "
        f"volgende {MONTHS_AHEAD}. Regels die al in de standaardpartitie staan, gaan naar hun "
        "maand. Mag dagelijks (cron); doet niets als alles er al is, of op SQLite."
    )

    def handle(self, *args: object, **options: Any) -> None:
        if not is_partitioned():
            self.stdout.write("Het toegangslogboek is hier niet in partities verdeeld (SQLite).")
            return
        result = audit_partitions_ensure()
        if not result.created:
            self.stdout.write("Alle maandpartities bestaan al; niets aangemaakt.")
            return
        months = ", ".join(str(month) for month in result.created)
        moved = (
            f" {result.moved_rows} regel(s) uit de standaardpartitie naar hun maand verplaatst."
            if result.moved_rows
            else ""
        )
        self.stdout.write(self.style.SUCCESS(f"Maandpartities aangemaakt: {months}.{moved}"))
