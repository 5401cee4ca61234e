"""Export the sociale kaart as HSDS 3.0: JSON or a zip with the CSV tables."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meldwijzer.social_map import events, hsds


class Command(BaseCommand):
    help = (
        "Exporteer de sociale kaart als HSDS 3.0 (gecontroleerd tegen de officiële schema's). "
        "Openbaar: zonder contactpersonen en geheime adressen; volledig: alles."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--formaat", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--volledig",
            action="store_true",
            help="met contactpersonen en "
            "geheime adressen (alleen voor uitwisseling tussen beheerders)",
        )
        parser.add_argument("--uitvoer", default="-", help="bestand (standaard: standaarduitvoer)")

    def handle(self, *args: Any, **options: Any) -> None:
        audience = hsds.FULL if options["volledig"] else hsds.PUBLIC
        if options["formaat"] == "json":
            data = hsds.export_json(audience=audience)
        else:
            data = hsds.export_csv_zip(audience=audience)
        if options["volledig"]:
            events.exported_in_full(
                actor=None, username="beheeropdracht", part=f"volledig {options['formaat']}"
            )
        if options["uitvoer"] == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(options["uitvoer"]).write_bytes(data)
            self.stderr.write(f"Geschreven: {options['uitvoer']} ({len(data)} bytes)")
