"""The daily meldcode-training reminders (`trainings.reminders`): each professional gets one
e-mail when a training's refresh is due within 30 days, and one when it is overdue — once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from meldwijzer.trainings import reminders


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Geef --today als JJJJ-MM-DD, niet '{value}'.") from error


class Command(BaseCommand):
    help = (
        "E-mail elke professional wiens meldcodetraining binnen 30 dagen opgefrist moet worden "
        "of verlopen is; elke herinnering gaat één keer (draai dagelijks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="laat zien wat verstuurd zou worden; verstuur en bewaar niets",
        )
        parser.add_argument(
            "--today", type=_day, default=None, help="doe alsof het deze dag is (JJJJ-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date = options["today"] or timezone.localdate()
        due = reminders.reminders_due(today=today)
        soon = sum(1 for _, kind in due if kind == reminders.SOON)
        self.stdout.write(
            f"Herinneringen meldcodetraining voor {today:%d-%m-%Y}: {soon} binnenkort, "
            f"{len(due) - soon} verlopen."
        )
        if options["dry_run"]:
            for record, kind in due:
                self.stdout.write(f"  {record.user.username}: {kind}, {record.due_on:%d-%m-%Y}")
            self.stdout.write("Proefrun: niets verstuurd en niets vastgelegd.")
            return
        with get_connection() as connection:
            outcome = reminders.reminders_send(today=today, connection=connection)
        self.stdout.write(
            self.style.SUCCESS(
                f"{outcome.sent} e-mail(s) verstuurd"
                + (f", {outcome.skipped} zonder e-mailadres" if outcome.skipped else "")
                + (
                    f", {outcome.failed} niet gelukt (volgende keer opnieuw)"
                    if outcome.failed
                    else ""
                )
                + "."
            )
        )
