"""The daily reminders (`meldwijzer reminders`): each reminder once per planned contact, kind and
professional; 'te laat' after the due day; the local day at the DST switches and month-ends; no
reminders for ended plans or plans whose grant ended; e-mails without the family's data."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from meldwijzer.followups import services
from meldwijzer.followups.models import FollowupPlan, PlannedContact, Reminder
from meldwijzer.followups.selectors import plan_access_for
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.factories import OrganisationFactory
from tests.followups.access_api import closed_on_grant, member
from tests.followups.test_calendar import FAMILY_NAME, family_plan

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def run(*args: str) -> str:
    out = StringIO()
    call_command("reminders", *args, stdout=out)
    return out.getvalue()


def only_due(plan: FollowupPlan, *days: datetime.date) -> None:
    """Leave the plan with open contacts on these days only."""
    planned = list(plan.planned.order_by("number"))
    for contact, day in zip(planned, days, strict=False):
        PlannedContact.objects.filter(pk=contact.pk).update(due_on=day)
    PlannedContact.objects.filter(pk__in=[p.pk for p in planned[len(days) :]]).update(
        due_on=datetime.date(2099, 1, 1)
    )


@pytest.fixture
def follower():
    return member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))


@pytest.fixture
def plan(follower) -> FollowupPlan:
    return family_plan(follower)


D = datetime.date(2027, 5, 12)


def test_running_twice_sends_once_and_then_te_laat_after_the_due_day(plan, follower):
    only_due(plan, D)
    assert "0 binnenkort" in run("--today", (D - datetime.timedelta(days=4)).isoformat())
    output = run("--today", (D - datetime.timedelta(days=3)).isoformat())
    assert "1 binnenkort, 0 te laat" in output and "1 e-mail(s) verstuurd" in output
    run("--today", (D - datetime.timedelta(days=3)).isoformat())
    run("--today", D.isoformat())  # due today: 'binnenkort' was sent already
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [follower.user.email]
    assert plan.reference in message.body and "12-05-2027" in message.body
    assert reverse("followups:week") in message.body
    # No family name, no case title, no content: references, dates and levels only.
    assert FAMILY_NAME not in message.body and "leerling" not in message.body.lower()

    run("--today", (D + datetime.timedelta(days=1)).isoformat())
    run("--today", (D + datetime.timedelta(days=2)).isoformat())
    assert len(mail.outbox) == 2
    assert "1 te laat" in mail.outbox[1].subject
    assert sorted(Reminder.objects.values_list("kind", flat=True)) == ["binnenkort", "te_laat"]


def test_a_contact_moved_to_another_day_is_reminded_of_again(plan):
    only_due(plan, D)
    run("--today", (D - datetime.timedelta(days=2)).isoformat())
    later = D + datetime.timedelta(days=14)
    PlannedContact.objects.filter(plan=plan, due_on=D).update(due_on=later)
    run("--today", (D - datetime.timedelta(days=1)).isoformat())  # nothing due now
    run("--today", (later - datetime.timedelta(days=1)).isoformat())
    run("--today", (later - datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 2
    assert sorted(Reminder.objects.values_list("due_on", flat=True)) == [D, later]


@pytest.mark.parametrize(
    "switch",
    [datetime.date(2027, 3, 28), datetime.date(2027, 10, 31), datetime.date(2027, 3, 1)],
    ids=["summer-time", "winter-time", "month-start"],
)
def test_the_day_is_the_local_day_at_the_dst_switch_and_month_start(plan, switch):
    day_before = switch - datetime.timedelta(days=1)
    only_due(plan, day_before, switch)
    # 00:30 in Amsterdam is still the day before in UTC: the reminders go by the local day.
    with time_machine.travel(
        datetime.datetime(2027, switch.month, switch.day, 0, 30, tzinfo=AMSTERDAM), tick=False
    ):
        run()
    kinds = dict(Reminder.objects.values_list("planned__due_on", "kind"))
    assert kinds == {day_before: "te_laat", switch: "binnenkort"}
    assert set(Reminder.objects.values_list("sent_on", flat=True)) == {switch}


def test_days_before_count_over_the_month_end(plan):
    only_due(plan, datetime.date(2027, 3, 2), datetime.date(2027, 3, 3))
    run("--today", "2027-02-27")  # 2027 is no leap year: 27 February + 3 days = 2 March
    assert list(Reminder.objects.values_list("planned__due_on", flat=True)) == [
        datetime.date(2027, 3, 2)
    ]


def test_dry_run_sends_and_records_nothing(plan):
    only_due(plan, D)
    output = run("--today", D.isoformat(), "--dry-run")
    assert plan.reference in output and "Proefrun" in output
    assert not mail.outbox and not Reminder.objects.exists()


def test_a_failed_send_is_tried_again_next_time(plan):
    only_due(plan, D)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError
    ):
        assert "1 niet gelukt" in run("--today", D.isoformat())
    assert not Reminder.objects.exists()
    run("--today", D.isoformat())
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 1


def test_ended_plans_and_plans_whose_grant_ended_get_no_reminders(follower):
    owner = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    granted = closed_on_grant(owner, follower)
    ended = family_plan(follower)
    for plan in (granted, ended):
        only_due(plan, D)
    services.plan_end(
        actor=follower, access=plan_access_for(follower, ended), expected_version=ended.version,
        kind="afgerond", note="Veilig.",
    )  # fmt: skip
    privacy_services.access_grant_revoke(actor=owner, grant=granted.grant)
    assert "0 binnenkort, 0 te laat" in run("--today", D.isoformat())
    assert not mail.outbox


def test_the_command_runs_a_fixed_number_of_queries(follower, django_assert_max_num_queries):
    for _ in range(3):
        only_due(family_plan(follower), D)
    with django_assert_max_num_queries(12):
        run("--today", D.isoformat())
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 3


def test_meldwijzer_reminders_runs_the_command(plan, capsys):
    from meldwijzer.cli import main

    only_due(plan, D)
    assert main(["reminders", "--today", D.isoformat(), "--dry-run"]) == 0
    assert plan.reference in capsys.readouterr().out
    assert main(["reminders", "--today", "morgen"]) == 1
    assert not mail.outbox
