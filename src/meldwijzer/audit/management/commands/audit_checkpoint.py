from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meldwijzer.audit.checkpoints import CheckpointRefused, audit_checkpoint_create


class Command(BaseCommand):
    help = (
        "Schrijf een ondertekend controlepunt van de kop van elke keten van het toegangslogboek "
        "naar het bestand buiten de database (MELDWIJZER_AUDIT_CHECKPOINT_FILE) en de "
        "logregels. Geschikt voor cron. Weigert, met afsluitcode 1, als een keten niet meer past "
        "bij haar vorige controlepunt."
    )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            written = audit_checkpoint_create()
        except CheckpointRefused as error:
            raise CommandError(
                f"Geen controlepunt geschreven: {error} Voer `meldwijzer audit verify` uit."
            ) from error
        if not written:
            self.stdout.write("Geen nieuwe regels sinds het vorige controlepunt; niets geschreven.")
            return
        heads = [head for checkpoint in written for head in checkpoint.heads]
        self.stdout.write(
            self.style.SUCCESS(
                f"Controlepunt geschreven: {len(heads)} keten(s), samen "
                f"{sum(head.sequence for head in heads)} regels ({written[0].when}), in "
                f"{settings.AUDIT_CHECKPOINT_FILE}."
            )
        )
