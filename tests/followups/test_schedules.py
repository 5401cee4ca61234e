"""The schedule's date arithmetic: step-down, month ends, leap days, bringing forward, overdue,
and the calendar week — on dates, so the clocks changing in between changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
import yaml
from django.utils import timezone

from meldwijzer.followups import schedules
from meldwijzer.followups.schedules import (
    Level,
    ScheduleError,
    bring_forward,
    months_after,
    overdue_days,
    plan_dates,
    schedules_build,
    week_of,
)

D = datetime.date


def test_the_default_schedule_steps_down_over_18_months():
    default = schedules.schedules().get("")
    dates = plan_dates(default, starts_on=D(2027, 1, 15))
    assert [(d.due_on, d.level) for d in dates] == [
        (D(2027, 2, 15), Level.COORDINATION),
        (D(2027, 3, 15), Level.COORDINATION),
        (D(2027, 4, 15), Level.COORDINATION),
        (D(2027, 6, 15), Level.MONITORING),
        (D(2027, 8, 15), Level.MONITORING),
        (D(2027, 10, 15), Level.MONITORING),
        (D(2028, 1, 15), Level.LIGHT_CHECK),
        (D(2028, 4, 15), Level.LIGHT_CHECK),
        (D(2028, 7, 15), Level.LIGHT_CHECK),
    ]
    assert [d.number for d in dates] == list(range(1, 10))


def test_month_ends_are_counted_from_the_start_and_do_not_drift():
    dates = plan_dates(schedules.schedules().get(""), starts_on=D(2027, 1, 31))
    assert [d.due_on for d in dates][:4] == [
        D(2027, 2, 28),  # no 31 February: the month's last day
        D(2027, 3, 31),  # back to the 31st, not the 28th carried over
        D(2027, 4, 30),
        D(2027, 6, 30),
    ]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # a leap day a year on
        (D(2028, 2, 29), 48, D(2032, 2, 29)),  # and four years on
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # into a leap February
        (D(2027, 8, 31), 18, D(2029, 2, 28)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),  # over the year's end
    ],
)
def test_months_after_uses_calendar_months(start, months, expected):
    assert months_after(start, months) == expected


def test_a_plan_longer_than_its_schedule_keeps_the_last_interval_and_stops_at_its_end():
    default = schedules.schedules().get("")
    dates = plan_dates(default, starts_on=D(2027, 1, 10), ends_on=D(2029, 3, 1))
    assert [d.due_on for d in dates][-3:] == [D(2028, 7, 10), D(2028, 10, 10), D(2029, 1, 10)]
    assert dates[-1].level == Level.LIGHT_CHECK
    short = plan_dates(default, starts_on=D(2027, 1, 10), ends_on=D(2027, 5, 1))
    assert [d.due_on for d in short] == [D(2027, 2, 10), D(2027, 3, 10), D(2027, 4, 10)]


@pytest.mark.parametrize(
    ("due", "held", "expected"),
    [
        (D(2027, 6, 30), D(2027, 5, 2), D(2027, 5, 16)),  # two weeks after the contact
        (D(2027, 5, 10), D(2027, 5, 2), D(2027, 5, 10)),  # already sooner: stays
        (D(2028, 3, 31), D(2028, 2, 20), D(2028, 3, 5)),  # over a leap day
        # Over the night the clocks go forward (28 March 2027) and back (31 October 2027).
        (D(2027, 5, 1), D(2027, 3, 20), D(2027, 4, 3)),
        (D(2027, 12, 1), D(2027, 10, 25), D(2027, 11, 8)),
    ],
)
def test_worries_bring_the_next_contact_forward_never_later(due, held, expected):
    assert bring_forward(due, held_on=held) == expected


def test_overdue_counts_whole_days_from_the_day_after():
    assert overdue_days(D(2027, 3, 1), today=D(2027, 3, 1)) == 0
    assert overdue_days(D(2027, 3, 1), today=D(2027, 2, 20)) == 0
    assert overdue_days(D(2028, 2, 28), today=D(2028, 3, 1)) == 2  # 29 February counts
    assert overdue_days(D(2027, 3, 27), today=D(2027, 3, 29)) == 2  # a 23-hour day counts once


@pytest.mark.parametrize(
    "moment",
    [
        # Just after midnight in Amsterdam, still the previous day in UTC, on both DST nights.
        datetime.datetime(2027, 3, 27, 23, 30, tzinfo=datetime.UTC),  # 28 March 00:30 CET
        datetime.datetime(2027, 10, 30, 22, 30, tzinfo=datetime.UTC),  # 31 October 00:30 CEST
    ],
)
def test_today_is_the_dutch_date_around_the_clock_change(moment):
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()
    assert today == moment.date() + datetime.timedelta(days=1)
    assert overdue_days(moment.date(), today=today) == 1


def test_the_week_runs_monday_to_sunday():
    assert week_of(D(2027, 3, 28)) == (D(2027, 3, 22), D(2027, 3, 28))  # a Sunday
    assert week_of(D(2027, 3, 29)) == (D(2027, 3, 29), D(2027, 4, 4))
    assert week_of(D(2028, 2, 29)) == (D(2028, 2, 28), D(2028, 3, 5))


def _raw() -> dict:
    with schedules.SCHEDULE_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        (lambda r: r.update(standaard="bestaat_niet"), "standaardschema"),
        (lambda r: r["schemas"]["standaard_18"]["fasen"][0].update(niveau="vaag"), "onbekend"),
        (lambda r: r["schemas"]["standaard_18"]["fasen"][1].update(tot_maand=2), "oplopen"),
        (lambda r: r["schemas"]["standaard_18"].update(maanden=24), "laatste fase"),
        (lambda r: r["schemas"]["standaard_18"]["fasen"].reverse(), "oplopen"),
        (
            lambda r: r["schemas"]["standaard_18"]["fasen"][2].update(niveau="casusregie"),
            "bouwt af",
        ),
        (lambda r: r["schemas"]["licht_12"]["fasen"][0].update(elke_maanden=0), "elke_maanden"),
        (lambda r: r.pop("stand"), "stand"),
    ],
)
def test_a_broken_schedule_file_fails_with_its_problem(breaks, problem):
    raw = _raw()
    breaks(raw)
    with pytest.raises(ScheduleError, match=problem):
        schedules_build(raw)


def test_the_shipped_file_is_valid_and_dated():
    loaded = schedules_build(_raw())
    assert loaded.default in loaded.schedules
    assert loaded.as_of <= D(2026, 12, 31)
