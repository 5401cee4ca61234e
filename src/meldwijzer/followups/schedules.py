"""Follow-up schedules as data (`schedules.yaml`), and the date arithmetic of a plan.

After a case closes with agreements on following safety, a named professional contacts the
family on a schedule that steps down: casusregie → monitoring → lichte check → ended. A schedule
is a list of phases, each with a level, an interval in months and the month it runs to; the
dates are counted from the start with `dateutil.relativedelta`, always from the start date (not
from the previous contact), so 31 January gives 28 or 29 February, 31 March, 30 April — no drift
to the 28th. Everything here works on dates, never on times: a contact is due on a day, wherever
the clocks are changed in between.

Worries in a contact bring the next contact forward (`bring_forward`); a contact not held on its
day is overdue from the next day on (`overdue_days`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta
from django.db import models

SCHEDULE_FILE = Path(__file__).resolve().parent / "schedules.yaml"

WORRIES_WITHIN_DAYS = 14
"""After worries, the next contact is at most this many days after the contact."""

MAX_MONTHS = 60
"""No plan runs longer than five years, extensions included."""


class Level(models.TextChoices):
    """How closely the family is followed; a plan steps down through these in order."""

    COORDINATION = "casusregie", "Casusregie"
    MONITORING = "monitoring", "Monitoring"
    LIGHT_CHECK = "lichte_check", "Lichte check"
    ENDED = "beeindigd", "Beëindigd"


LEVEL_ORDER = [Level.COORDINATION, Level.MONITORING, Level.LIGHT_CHECK, Level.ENDED]


class ScheduleError(ValueError):
    """The schedule file is invalid; the message names the problem."""


@dataclass(frozen=True)
class Stage:
    level: str
    every_months: int
    until_month: int


@dataclass(frozen=True)
class Schedule:
    key: str
    title: str
    months: int
    stages: tuple[Stage, ...]


@dataclass(frozen=True)
class Schedules:
    as_of: datetime.date
    source: str
    default: str
    schedules: dict[str, Schedule]

    def get(self, key: str) -> Schedule:
        return self.schedules[key or self.default]

    def choices(self) -> list[tuple[str, str]]:
        return [(key, schedule.title) for key, schedule in self.schedules.items()]


@dataclass(frozen=True)
class PlannedDate:
    """One contact a schedule plans: its number in the plan, level and day."""

    number: int
    level: str
    due_on: datetime.date


def _fail(problem: str) -> None:
    raise ScheduleError(f"{SCHEDULE_FILE.name}: {problem}")


def schedules_build(raw: Any) -> Schedules:
    """Validate the file's contents; a broken file fails with the problem, never half-loaded."""
    if not isinstance(raw, dict):
        _fail("het bestand bevat geen schema's")
    for key in ("stand", "bron", "standaard", "schemas"):
        if not raw.get(key):
            _fail(f"'{key}' ontbreekt")
    if not isinstance(raw["stand"], datetime.date):
        _fail("'stand' moet een datum zijn (jjjj-mm-dd)")
    if not isinstance(raw["schemas"], dict):
        _fail("'schemas' moet schema's met een naam zijn")
    result: dict[str, Schedule] = {}
    for key, body in raw["schemas"].items():
        result[str(key)] = _schedule_build(str(key), body)
    if raw["standaard"] not in result:
        _fail(f"standaardschema '{raw['standaard']}' bestaat niet")
    return Schedules(
        as_of=raw["stand"],
        source=str(raw["bron"]).strip(),
        default=raw["standaard"],
        schedules=result,
    )


def _schedule_build(key: str, body: Any) -> Schedule:
    where = f"schema '{key}'"
    if not isinstance(body, dict) or not body.get("titel") or not body.get("fasen"):
        _fail(f"{where} heeft een 'titel' en 'fasen' nodig")
    months = body.get("maanden")
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        _fail(f"{where}: 'maanden' moet een getal van 1 tot {MAX_MONTHS} zijn")
    stages: list[Stage] = []
    previous_until, previous_level = 0, -1
    for number, stage in enumerate(body["fasen"], start=1):
        if not isinstance(stage, dict):
            _fail(f"{where}, fase {number} is geen definitie")
        level, every, until = stage.get("niveau"), stage.get("elke_maanden"), stage.get("tot_maand")
        if level not in Level.values or level == Level.ENDED:
            _fail(f"{where}, fase {number}: onbekend niveau '{level}'")
        if not isinstance(every, int) or every < 1:
            _fail(f"{where}, fase {number}: 'elke_maanden' moet 1 of meer zijn")
        if not isinstance(until, int) or until <= previous_until or until > months:
            _fail(f"{where}, fase {number}: 'tot_maand' moet oplopen en binnen {months} blijven")
        if LEVEL_ORDER.index(level) < previous_level:
            _fail(f"{where}, fase {number}: een schema bouwt af, het niveau gaat niet omhoog")
        stages.append(Stage(level=level, every_months=every, until_month=until))
        previous_until, previous_level = until, LEVEL_ORDER.index(level)
    if previous_until != months:
        _fail(f"{where}: de laatste fase loopt tot maand {months}")
    return Schedule(key=key, title=str(body["titel"]), months=months, stages=tuple(stages))


@cache
def schedules() -> Schedules:
    with SCHEDULE_FILE.open(encoding="utf-8") as handle:
        return schedules_build(yaml.safe_load(handle))


def months_after(start: datetime.date, months: int) -> datetime.date:
    """`start` plus whole months; the end of a shorter month when the day does not exist."""
    return start + relativedelta(months=months)


def plan_dates(
    schedule: Schedule, *, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> list[PlannedDate]:
    """The contacts a schedule plans from `starts_on` up to and including `ends_on` (default: the
    schedule's own end). A plan that runs longer than its schedule keeps the last interval."""
    ends_on = ends_on or months_after(starts_on, schedule.months)
    month = 0
    dates: list[PlannedDate] = []
    stages = list(schedule.stages)
    last = stages[-1]
    while True:
        stage = next((s for s in stages if month < s.until_month), last)
        month += stage.every_months
        if month > MAX_MONTHS:
            break
        due = months_after(starts_on, month)
        if due > ends_on:
            break
        dates.append(PlannedDate(number=len(dates) + 1, level=stage.level, due_on=due))
    return dates


def bring_forward(due_on: datetime.date, *, held_on: datetime.date) -> datetime.date:
    """When the next contact is after worries: within `WORRIES_WITHIN_DAYS` of the contact,
    never later than it was already planned."""
    return min(due_on, held_on + datetime.timedelta(days=WORRIES_WITHIN_DAYS))


def overdue_days(due_on: datetime.date, *, today: datetime.date) -> int:
    """How many days a contact not held is overdue (0: not overdue; due today is not overdue)."""
    return max((today - due_on).days, 0)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week `day` is in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)
