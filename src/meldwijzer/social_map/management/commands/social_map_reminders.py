"""Reminders for out-of-date records of the sociale kaart, per owner: printed, or e-mailed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string
from django.urls import reverse

from meldwijzer.social_map import rules, selectors


class Command(BaseCommand):
    help = (
        "Lijst per eigenaar de gegevens in de sociale kaart die te lang niet zijn gecontroleerd; "
        "met --email krijgen de functioneel beheerders (of platformbeheerders) een herinnering."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--email", action="store_true", help="stuur de herinneringen per e-mail"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"verouderd na dit aantal dagen (standaard {rules.stale_days()}, "
            "MELDWIJZER_SOCIAL_MAP_STALE_DAYS)",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="adres van Meldwijzer voor de link in de e-mail, bijvoorbeeld "
            "https://meldwijzer.gemeente.nl",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else rules.stale_days()
        if days < 0:
            self.stderr.write("--days kan niet negatief zijn.")
            return
        lists = selectors.stale_records_by_owner(days)
        if not lists:
            self.stdout.write(f"Alle gegevens zijn de afgelopen {days} dagen gecontroleerd.")
            return
        link = options["base_url"].rstrip("/") + reverse("social_map:manage")
        sent = 0
        for stale in lists:
            owner = str(stale.owner) if stale.owner else "Platformbeheer (geen eigenaar)"
            self.stdout.write(f"{owner}: {stale.count} te controleren")
            for provider in stale.providers:
                self.stdout.write(f"  aanbieder  {provider.name} ({_date(provider.verified_on)})")
            for service in stale.services:
                self.stdout.write(
                    f"  dienst     {service.name} – {service.provider.name} "
                    f"({_date(service.verified_on)})"
                )
            if not options["email"]:
                continue
            recipients = selectors.reminder_recipients(stale.owner)
            if not recipients:
                self.stdout.write("  (geen beheerder met een e-mailadres; geen e-mail verstuurd)")
                continue
            body = render_to_string(
                "social_map/email/reminder.txt",
                {"stale": stale, "owner": owner, "days": days, "link": link},
            )
            send_mail(
                subject=f"Sociale kaart: {stale.count} gegevens te controleren",
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
            sent += 1
            self.stdout.write(f"  e-mail verstuurd aan {len(recipients)} beheerder(s)")
        if options["email"]:
            self.stdout.write(self.style.SUCCESS(f"{sent} herinnering(en) verstuurd."))


def _date(value: Any) -> str:
    return f"gecontroleerd {value:%d-%m-%Y}" if value else "nooit gecontroleerd"
