from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meldwijzer.audit.checkpoints import CheckpointRefused, audit_checkpoint_create


class Command(BaseCommand):
    help = (
        "Schrijf een ondertekend controlepunt van het toegangslogboek naar het bestand buiten de "
        "database (MELDWIJZER_AUDIT_CHECKPOINT_FILE) en de logregels. Geschikt voor cron. "
        "Weigert, met afsluitcode 1, als het logboek niet meer past bij het vorige controlepunt."
    )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            checkpoint = audit_checkpoint_create()
        except CheckpointRefused as error:
            raise CommandError(
                f"Geen controlepunt geschreven: {error} Voer `meldwijzer audit verify` uit."
            ) from error
        if checkpoint is None:
            self.stdout.write("Geen nieuwe regels sinds het vorige controlepunt; niets geschreven.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Controlepunt geschreven: regel {checkpoint.sequence} ({checkpoint.when}) in "
                f"{settings.AUDIT_CHECKPOINT_FILE}."
            )
        )
