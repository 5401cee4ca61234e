"""Match signals that have expired (two years after they were made): count them, or delete them
with --purge. Safe to run as often as you like, for example daily from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from meldwijzer.coordination import matching
from meldwijzer.coordination.models import MatchSignal


class Command(BaseCommand):
    help = (
        "Signalen van samenloop vervallen twee jaar nadat ze zijn ontstaan. Zonder opties telt "
        "dit commando de vervallen signalen; met --purge verwijdert het ze."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--purge", action="store_true", help="verwijder de vervallen signalen")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["purge"]:
            deleted = matching.signals_purge()
            self.stdout.write(f"{deleted} vervallen signalen van samenloop verwijderd.")
            return
        expired = MatchSignal.objects.filter(expires_at__lte=timezone.now()).count()
        active = MatchSignal.objects.filter(expires_at__gt=timezone.now()).count()
        self.stdout.write(
            f"{active} lopende en {expired} vervallen signalen van samenloop. "
            "Verwijder de vervallen met --purge."
        )
