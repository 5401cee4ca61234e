"""Figures on follow-up for policy: how families fare after their file closed, never one family.

For the plans that started (the file closed) in a chosen period:

- how many plans there are;
- the share of families with new worries — a contact with 'zorgen' or 'niet veilig', a new
  dossier about the family at any organisation (`FollowupSignal`), or the plan re-opened — within
  12 and within 15 months of closing. Only plans old enough to have had the whole window count in
  the denominator (a plan closed ten months ago cannot yet say anything about twelve months);
  months are counted as in the schedules (29 February + 12 months is 28 February);
- the median number of days from closing to the first contact held;
- per organisation that follows: the contacts whose day has passed that are still open, out of all
  contacts whose day has passed (contacts that were moved out of the plan, cancelled, not
  counted).

Disclosure control: a count from 1 to 9 is shown as '<10', every other count rounded to a
multiple of five (as the datalab and CBS do); a percentage is computed from the rounded counts and
given only when every count it is computed from is 10 or more, a median only from ten plans. The
period a page or the API asks for is widened to whole quarters (`period_in_quarters`), so two
periods a day apart cannot be subtracted to single out one family. One family is one plan.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.followups import events
from meldwijzer.followups.models import (
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    FollowupSignal,
    PlanDecision,
    PlannedContact,
    Safety,
)
from meldwijzer.followups.schedules import months_after
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

SMALLEST = 10
"""Counts below this (and above zero) are not shown; percentages need counts of at least this."""

WINDOWS = (12, 15)
"""Months after closing in which new worries are counted."""


BASE = 5
"""Shown counts are rounded to a multiple of this."""


def rounded(value: int) -> int:
    """Round half up to the nearest multiple of BASE."""
    return ((value + BASE // 2) // BASE) * BASE


def count_shown(value: int) -> str:
    """A count as it may be shown: '<10' for 1 to 9, otherwise rounded to five."""
    return f"<{SMALLEST}" if 0 < value < SMALLEST else str(rounded(value))


def share_shown(part: int, whole: int) -> str:
    """A percentage of the rounded counts, only from counts of at least ten; otherwise a dash."""
    if part < SMALLEST or whole < SMALLEST:
        return "–"
    return f"{round(100 * rounded(part) / rounded(whole))}%"


def period_in_quarters(
    started_from: datetime.date | None, started_to: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The period widened to whole calendar quarters: from the first day of the quarter of
    `started_from` to the last day of the quarter of `started_to` (an open end stays open)."""
    start = end = None
    if started_from is not None:
        start = datetime.date(started_from.year, 3 * ((started_from.month - 1) // 3) + 1, 1)
    if started_to is not None:
        next_quarter = 3 * ((started_to.month - 1) // 3) + 4
        year = started_to.year + (next_quarter > 12)
        end = datetime.date(year, (next_quarter - 1) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


@dataclass(frozen=True)
class Window:
    """New worries within `months` of closing, for the plans old enough to have had them all."""

    months: int
    plans: int
    """The denominator: plans whose window has passed."""
    worried: int

    @property
    def plans_shown(self) -> str:
        return count_shown(self.plans)

    @property
    def worried_shown(self) -> str:
        return count_shown(self.worried)

    @property
    def share_shown(self) -> str:
        return share_shown(self.worried, self.plans)


@dataclass(frozen=True)
class OrganisationRow:
    """Overdue contacts of the plans one organisation follows."""

    name: str
    due: int
    overdue: int

    @property
    def due_shown(self) -> str:
        return count_shown(self.due)

    @property
    def overdue_shown(self) -> str:
        return count_shown(self.overdue)

    @property
    def share_shown(self) -> str:
        return share_shown(self.overdue, self.due)


@dataclass(frozen=True)
class Figures:
    started_from: datetime.date | None
    started_to: datetime.date | None
    today: datetime.date
    plans: int
    windows: tuple[Window, ...]
    with_contact: int
    """Plans with at least one contact held: what the median is computed from."""
    median_days: float | None
    organisations: tuple[OrganisationRow, ...]

    @property
    def plans_shown(self) -> str:
        return count_shown(self.plans)

    @property
    def with_contact_shown(self) -> str:
        return count_shown(self.with_contact)

    @property
    def median_shown(self) -> str:
        if self.median_days is None or self.with_contact < SMALLEST:
            return "–"
        return f"{self.median_days:g}"


def _first_worry(plan_ids: list[int]) -> dict[int, datetime.date]:
    """Per plan, the first day new worries showed: a worried or unsafe contact, a new dossier
    about the family, or the plan re-opened (three queries)."""
    first: dict[int, datetime.date] = {}

    def note(plan_id: int, day: datetime.date) -> None:
        if plan_id not in first or day < first[plan_id]:
            first[plan_id] = day

    for plan_id, held_on in FollowupContact.objects.filter(
        plan_id__in=plan_ids, safety__in=[Safety.WORRIES, Safety.UNSAFE]
    ).values_list("plan_id", "held_on"):
        note(plan_id, held_on)
    for plan_id, created_at in FollowupSignal.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "created_at"
    ):
        note(plan_id, timezone.localdate(created_at))
    for plan_id, decided_at in PlanDecision.objects.filter(
        plan_id__in=plan_ids, kind=DecisionKind.REOPENED
    ).values_list("plan_id", "decided_at"):
        note(plan_id, timezone.localdate(decided_at))
    return first


def figures_compute(
    *,
    started_from: datetime.date | None = None,
    started_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Figures:
    """The figures for the plans that started from `started_from` up to and including
    `started_to` (either may be open), as of `today`. A fixed number of queries."""
    today = today or timezone.localdate()
    plans = FollowupPlan.objects.all()
    if started_from is not None:
        plans = plans.filter(starts_on__gte=started_from)
    if started_to is not None:
        plans = plans.filter(starts_on__lte=started_to)
    started = dict(plans.values_list("pk", "starts_on"))
    plan_ids = list(started)
    first_worry = _first_worry(plan_ids)
    windows = []
    for months in WINDOWS:
        ends = {pk: months_after(day, months) for pk, day in started.items()}
        old_enough = [pk for pk, end in ends.items() if end <= today]
        worried = [pk for pk in old_enough if pk in first_worry and first_worry[pk] <= ends[pk]]
        windows.append(Window(months=months, plans=len(old_enough), worried=len(worried)))
    first_contact: dict[int, datetime.date] = {}
    for plan_id, held_on in FollowupContact.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "held_on"
    ):
        if plan_id not in first_contact or held_on < first_contact[plan_id]:
            first_contact[plan_id] = held_on
    days = [(held_on - started[pk]).days for pk, held_on in first_contact.items()]
    due: dict[str, int] = defaultdict(int)
    overdue: dict[str, int] = defaultdict(int)
    for name, contact_id in PlannedContact.objects.filter(
        plan_id__in=plan_ids, cancelled_at__isnull=True, due_on__lt=today
    ).values_list("plan__follower_organisation__name", "contact"):
        due[name] += 1
        overdue[name] += int(contact_id is None)
    return Figures(
        started_from=started_from,
        started_to=started_to,
        today=today,
        plans=len(plan_ids),
        windows=tuple(windows),
        with_contact=len(days),
        median_days=statistics.median(days) if days else None,
        organisations=tuple(
            OrganisationRow(name=name, due=due[name], overdue=overdue[name]) for name in sorted(due)
        ),
    )


def figures_for(
    *,
    actor: Actor,
    started_from: datetime.date | None = None,
    started_to: datetime.date | None = None,
) -> Figures:
    """The figures for a policy adviser or the platform's administrator (logged, with the
    period); anyone else is refused, logged."""
    figures_allowed(actor=actor)
    started_from, started_to = period_in_quarters(started_from, started_to)
    figures = figures_compute(started_from=started_from, started_to=started_to)
    events.figures_read(actor=actor, period=period_label(started_from, started_to))
    return figures


def figures_allowed(*, actor: Actor) -> None:
    """Refuse (403, logged) anyone who may not see aggregates."""
    if not actor.can(Permission.AGGREGATES_VIEW):
        events.figures_refused(actor=actor)


def period_label(started_from: datetime.date | None, started_to: datetime.date | None) -> str:
    """The period in words, as the page and the access log name it."""
    if started_from is None and started_to is None:
        return "alle plannen"
    start = f"{started_from:%d-%m-%Y}" if started_from else "het begin"
    end = f"{started_to:%d-%m-%Y}" if started_to else "nu"
    return f"gestart van {start} tot en met {end}"
