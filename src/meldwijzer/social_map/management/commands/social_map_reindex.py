"""Index every service of the sociale kaart again, e.g. after PostgreSQL's Dutch stemmer changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meldwijzer.social_map import services


class Command(BaseCommand):
    help = "Bouwt de zoekindex van de sociale kaart opnieuw op (alle diensten)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.search_index_rebuild()
        self.stdout.write(f"{count} diensten opnieuw geïndexeerd.")
