"""Training reminders: once 30 days before the refresh is due, once when overdue, never twice."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from meldwijzer.organisations.roles import Role
from meldwijzer.trainings.models import TrainingRecord, TrainingReminder
from tests.factories import MembershipFactory, OrganisationFactory

FOLLOWED = datetime.date(2025, 3, 10)  # due 2026-03-10


@pytest.fixture
def record(db):
    organisation = OrganisationFactory(name="Opvang")
    person = MembershipFactory(organisation=organisation, role=Role.PROFESSIONAL).user
    return TrainingRecord.objects.create(
        organisation=organisation,
        user=person,
        kind="basis",
        completed_on=FOLLOWED,
        provider="Augeo",
        recorded_by=person,
    )


def _run(day: str) -> str:
    out = io.StringIO()
    call_command("trainings_reminders", "--today", day, stdout=out)
    return out.getvalue()


def test_nothing_before_thirty_days(record):
    _run("2026-02-07")  # 31 days before
    assert mail.outbox == []


def test_soon_once_then_overdue_once(record):
    _run("2026-02-08")  # 30 days before
    assert len(mail.outbox) == 1
    assert "binnenkort" in mail.outbox[0].subject
    assert "10-03-2026" in mail.outbox[0].body
    _run("2026-02-08")
    _run("2026-03-10")  # due today: still 'binnenkort', already sent
    assert len(mail.outbox) == 1
    _run("2026-03-11")
    assert len(mail.outbox) == 2
    assert "verlopen" in mail.outbox[1].subject
    _run("2026-04-11")
    assert len(mail.outbox) == 2
    assert set(TrainingReminder.objects.values_list("kind", flat=True)) == {
        "binnenkort",
        "verlopen",
    }


def test_a_newer_training_stops_the_reminders(record):
    TrainingRecord.objects.create(
        organisation=record.organisation,
        user=record.user,
        kind="opfrissing",
        completed_on=datetime.date(2026, 2, 1),
        provider="GGD",
        recorded_by=record.user,
    )
    _run("2026-03-20")
    assert mail.outbox == []


def test_no_reminder_after_leaving_the_organisation(record):
    record.user.memberships.update(is_active=False)
    _run("2026-03-20")
    assert mail.outbox == []


def test_dry_run_sends_and_records_nothing(record):
    out = io.StringIO()
    call_command("trainings_reminders", "--today", "2026-03-20", "--dry-run", stdout=out)
    assert "verlopen" in out.getvalue()
    assert mail.outbox == [] and not TrainingReminder.objects.exists()


def test_a_failed_send_is_tried_again(record, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: 0)
    _run("2026-03-20")
    assert not TrainingReminder.objects.exists()
    monkeypatch.undo()
    _run("2026-03-21")
    assert len(mail.outbox) == 1
