"""The daily follow-up reminders: one e-mail per professional with their follow-up contacts that
are due soon ('binnenkort', within `--days` days) or overdue ('te laat').

Each reminder is sent at most once per planned contact, kind, professional and the day the contact
is due (a contact moved to another day is reminded of again): the `Reminder`
row is the claim (its unique key). Per professional, the rows are written and the e-mail is sent
in one transaction, the e-mail last:
- a second run the same day finds the rows and sends nothing;
- two runs at once: the second waits on the first's rows and then skips them;
- a failed send rolls the rows back, so the next run tries again;
- a crash after the mail server took the e-mail but before the commit loses the rows: the next
  run sends that e-mail once more, and records it. We prefer one reminder too many, once, to a
  reminder lost (writing the rows first and sending after the commit would lose it instead).
The e-mail names plan references, dates and levels only — no family names, no contact content —
and links to the professional's week in Meldwijzer. Plans that ended, and plans the professional
may no longer read (a grant that ended, a membership that stopped), get no reminders.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.followups import selectors
from meldwijzer.followups.models import PlannedContact, Reminder, ReminderKind

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 3


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Geef --today als JJJJ-MM-DD, niet '{value}'.") from error


def reminder_subject(soon: int, late: int) -> str:
    parts = []
    if late:
        parts.append(f"{late} te laat")
    if soon:
        parts.append(f"{soon} binnenkort")
    return "Nazorg: vervolgcontacten " + " en ".join(parts)


class Command(BaseCommand):
    help = (
        "Stuur elke professional één e-mail met de vervolgcontacten die binnenkort gepland "
        "staan of te laat zijn; elke herinnering gaat één keer (draai dagelijks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"herinner zoveel dagen vooraf (standaard {DEFAULT_DAYS})",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="laat zien wat verstuurd zou worden; verstuur en bewaar niets",
        )
        parser.add_argument(
            "--today", type=_day, default=None, help="doe alsof het deze dag is (JJJJ-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if days < 0:
            raise CommandError("--days kan niet negatief zijn.")
        today: datetime.date = options["today"] or timezone.localdate()
        due = selectors.reminders_due(today=today, days=days)
        per_user: dict[int, list[tuple[PlannedContact, str]]] = defaultdict(list)
        for planned, kind in due:
            per_user[planned.plan.follower_id].append((planned, kind))
        soon = sum(1 for _, kind in due if kind == ReminderKind.DUE)
        late = len(due) - soon
        self.stdout.write(
            f"Herinneringen voor {today:%d-%m-%Y}: {soon} binnenkort, {late} te laat, "
            f"voor {len(per_user)} professional(s)."
        )
        if options["dry_run"]:
            for rows in per_user.values():
                user = rows[0][0].plan.follower
                self.stdout.write(f"  {user.username}: {_lines(rows)}")
            self.stdout.write("Proefrun: niets verstuurd en niets vastgelegd.")
            return
        sent = skipped = failed = 0
        link = settings.BASE_URL.rstrip("/") + reverse("followups:week")
        with get_connection() as connection:
            for rows in per_user.values():
                user = rows[0][0].plan.follower
                if not user.email:
                    skipped += 1
                    self.stdout.write(f"  {user.username}: geen e-mailadres, niets verstuurd")
                    continue
                outcome = _send(connection, user, rows, today=today, link=link)
                sent += outcome == "verstuurd"
                failed += outcome == "mislukt"
        self.stdout.write(
            self.style.SUCCESS(
                f"{sent} e-mail(s) verstuurd"
                + (f", {skipped} zonder e-mailadres" if skipped else "")
                + (f", {failed} niet gelukt (volgende keer opnieuw)" if failed else "")
                + "."
            )
        )


def _lines(rows: list[tuple[PlannedContact, str]]) -> str:
    return ", ".join(
        f"{planned.plan.reference} {planned.due_on:%d-%m-%Y} ({ReminderKind(kind).label.lower()})"
        for planned, kind in rows
    )


def _send(
    connection: Any,
    user: User,
    rows: list[tuple[PlannedContact, str]],
    *,
    today: datetime.date,
    link: str,
) -> str:
    """Claim and send one professional's reminders in one transaction (see the module's
    docstring): 'verstuurd', 'al verstuurd' (another run was first) or 'mislukt'."""
    late = [planned for planned, kind in rows if kind == ReminderKind.OVERDUE]
    soon = [planned for planned, kind in rows if kind == ReminderKind.DUE]
    body = render_to_string(
        "followups/email/reminder.txt",
        {"late": late, "soon": soon, "today": today, "link": link},
    )
    message = EmailMessage(
        subject=reminder_subject(len(soon), len(late)),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(
                Reminder(
                    planned=planned,
                    kind=kind,
                    to_user=user,
                    due_on=planned.due_on,
                    sent_on=today,
                    sent_at=now,
                )
                for planned, kind in rows
            )
            if connection.send_messages([message]) != 1:
                raise OSError("de mailserver nam de e-mail niet aan")
    except IntegrityError:
        return "al verstuurd"
    except OSError:
        logger.exception("Herinnering nazorg aan gebruiker %s niet verstuurd.", user.pk)
        return "mislukt"
    return "verstuurd"
