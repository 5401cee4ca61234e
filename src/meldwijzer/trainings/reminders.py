"""Reminders about meldcode trainings: once 30 days before a refresh is due ('binnenkort') and
once when it is overdue ('verlopen'), by e-mail, to the professional who followed the training.

Only each professional's latest training in an organisation counts (a newer training replaces the
older one), and only while they still have an active role there. The unique `TrainingReminder`
row (record + kind) is the claim: it is written in the same transaction as the e-mail is sent, so
a second run sends nothing, and a failed send is rolled back and tried again the next day. A
training already overdue gets only the 'verlopen' reminder. The e-mail names the training, its
dates and the organisation — never anything from a case.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Membership
from meldwijzer.trainings.models import TrainingRecord, TrainingReminder
from meldwijzer.trainings.registry import latest

logger = logging.getLogger(__name__)

SOON = "binnenkort"
OVERDUE = "verlopen"
SOON_DAYS = 30
"""A 'binnenkort' reminder goes this many days before the refresh is due."""


def kind_on(record: TrainingRecord, today: datetime.date) -> str | None:
    """Which reminder a training is due for on `today`, if any."""
    if record.due_on < today:
        return OVERDUE
    if (record.due_on - today).days <= SOON_DAYS:
        return SOON
    return None


def reminders_due(*, today: datetime.date) -> list[tuple[TrainingRecord, str]]:
    """Every reminder due today and not yet sent, for professionals still in the organisation."""
    active = set(
        Membership.objects.filter(
            is_active=True, user__is_active=True, organisation__is_active=True
        ).values_list("organisation_id", "user_id")
    )
    per_person: dict[tuple[int, int], list[TrainingRecord]] = defaultdict(list)
    for found in TrainingRecord.objects.select_related("organisation", "user"):
        if (found.organisation_id, found.user_id) in active:
            per_person[(found.organisation_id, found.user_id)].append(found)
    sent = set(TrainingReminder.objects.values_list("record_id", "kind"))
    due = []
    for records in per_person.values():
        record = latest(records)
        if record is None:
            continue
        kind = kind_on(record, today)
        if kind is not None and (record.pk, kind) not in sent:
            due.append((record, kind))
    return sorted(due, key=lambda item: (item[0].user_id, item[0].due_on))


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    already: int = 0


def reminders_send(*, today: datetime.date, connection: Any) -> Outcome:
    """Send each professional one e-mail with their due reminders (see the module docstring)."""
    per_user: dict[int, list[tuple[TrainingRecord, str]]] = defaultdict(list)
    for record, kind in reminders_due(today=today):
        per_user[record.user_id].append((record, kind))
    link = settings.BASE_URL.rstrip("/") + reverse("trainings:my_training")
    outcome = Outcome()
    for rows in per_user.values():
        user = rows[0][0].user
        if not user.email:
            outcome.skipped += 1
            continue
        result = _send(connection, user, rows, link=link)
        if result == "verstuurd":
            outcome.sent += 1
        elif result == "mislukt":
            outcome.failed += 1
        else:
            outcome.already += 1
    return outcome


def _send(connection: Any, user: User, rows: list[tuple[TrainingRecord, str]], *, link: str) -> str:
    late = [record for record, kind in rows if kind == OVERDUE]
    soon = [record for record, kind in rows if kind == SOON]
    subject = "Meldcodetraining: " + (
        "verlopen"
        if late and not soon
        else "binnenkort opfrissen"
        if soon and not late
        else "verlopen en binnenkort opfrissen"
    )
    message = EmailMessage(
        subject=subject,
        body=render_to_string(
            "trainings/registry/email/reminder.txt", {"late": late, "soon": soon, "link": link}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    try:
        with transaction.atomic():
            TrainingReminder.objects.bulk_create(
                TrainingReminder(record=record, kind=kind) for record, kind in rows
            )
            if connection.send_messages([message]) != 1:
                raise OSError("de mailserver nam de e-mail niet aan")
    except IntegrityError:
        return "al verstuurd"
    except OSError:
        logger.exception("Herinnering meldcodetraining aan gebruiker %s niet verstuurd.", user.pk)
        return "mislukt"
    return "verstuurd"
