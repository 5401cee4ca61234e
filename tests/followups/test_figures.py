"""Follow-up figures for policy, on hand-checked data: the 12- and 15-month windows counted as the
schedules count months (29 February + 12 months is 28 February), only plans old enough in the
denominator, the median to the first contact, overdue contacts per organisation, and the rule
that hides small counts."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from meldwijzer.cases.models import Case
from meldwijzer.cases.workflow import Phase
from meldwijzer.followups import figures
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
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user

pytestmark = pytest.mark.django_db

D = datetime.date
_numbers = itertools.count(1)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


class World:
    """Plans made directly as rows (no services): the figures read rows, whatever made them."""

    def __init__(self, make_member: Any) -> None:
        self.user = make_member(Role.PROFESSIONAL)
        self.organisation = self.user.memberships.get().organisation
        self.other = make_member(Role.PROFESSIONAL)
        self.other_organisation = self.other.memberships.get().organisation

    def plan(self, starts_on: datetime.date, *, other: bool = False) -> FollowupPlan:
        user = self.other if other else self.user
        organisation = self.other_organisation if other else self.organisation
        number = next(_numbers)
        now = timezone.now()
        case = Case.objects.create(
            reference=f"T-{number:05d}", title="Afgesloten casus", organisation=organisation,
            responsible=user, profession="onderwijs", phase=Phase.CLOSED,
            phase_entered_at=now, opened_at=now, updated_at=now,
        )  # fmt: skip
        return FollowupPlan.objects.create(
            reference=f"NZ-T-{number:05d}", source_kind="casus", case=case,
            client_pseudonym=case.client_pseudonym, owner=user, owner_organisation=organisation,
            follower=user, follower_organisation=organisation, schedule="standaard_18",
            how="Volgen.", starts_on=starts_on, ends_on=months_after(starts_on, 18),
            created_at=_at(starts_on), updated_at=_at(starts_on),
        )  # fmt: skip

    def contact(
        self, plan: FollowupPlan, held_on: datetime.date, safety: str = Safety.SAFE,
        planned: PlannedContact | None = None,
    ) -> FollowupContact:  # fmt: skip
        return FollowupContact.objects.create(
            plan=plan, planned=planned, held_on=held_on, mode="huisbezoek", summary="Gezien.",
            safety=safety, safety_note="Toelichting.", recorded_by=plan.follower,
            recorded_organisation=plan.follower_organisation, recorded_at=_at(held_on),
        )  # fmt: skip

    def planned(
        self, plan: FollowupPlan, due_on: datetime.date, *, cancelled: bool = False
    ) -> PlannedContact:
        return PlannedContact.objects.create(
            plan=plan, number=next(_numbers), level="monitoring", due_on=due_on,
            scheduled_on=due_on, cancelled_at=timezone.now() if cancelled else None,
        )  # fmt: skip


@pytest.fixture
def world(make_member) -> World:
    return World(make_member)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "<10"), (9, "<10"), (10, "10"), (12, "10"), (13, "15"), (123, "125")],
)
def test_counts_from_one_to_nine_are_hidden_and_the_others_rounded_to_five(count, shown):
    assert figures.count_shown(count) == shown


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(9, 20, "–"), (0, 20, "–"), (10, 9, "–"), (10, 20, "50%"), (10, 10, "100%"), (10, 13, "67%")],
)
def test_percentages_only_from_rounded_counts_of_ten_or_more(part, whole, shown):
    assert figures.share_shown(part, whole) == shown


def test_the_windows_count_months_as_the_schedules_do_from_29_february(world):
    leap_a = world.plan(D(2028, 2, 29))
    world.contact(leap_a, D(2029, 2, 28), Safety.WORRIES)  # the last day of 12 months
    leap_b = world.plan(D(2028, 2, 29))
    world.contact(leap_b, D(2029, 3, 1), Safety.UNSAFE)  # one day past 12 months
    march = world.plan(D(2028, 3, 1))
    world.contact(march, D(2028, 4, 1), Safety.SAFE)  # safe is not a worry
    signalled = world.plan(D(2028, 1, 10))
    FollowupSignal.objects.create(
        plan=signalled, case=Case.objects.exclude(pk=signalled.case_id).first(),
        organisation=world.other_organisation, created_at=_at(D(2028, 6, 1)),
    )  # fmt: skip
    reopened = world.plan(D(2028, 1, 10))
    PlanDecision.objects.create(
        plan=reopened, kind=DecisionKind.REOPENED, note="Niet veilig.",
        decided_by=world.user, decided_organisation=world.organisation,
        decided_at=_at(D(2029, 3, 5)),  # after 12 months (10 January), within 15
    )  # fmt: skip

    def windows() -> dict[int, tuple[int, int]]:
        result = figures.figures_compute()
        return {window.months: (window.plans, window.worried) for window in result.windows}

    # The day before 29 February + 12 months: the leap plans are not old enough yet.
    with time_machine.travel(_at(D(2029, 2, 27)), tick=False):
        assert windows()[12] == (2, 1)  # the January plans: the signal, not yet the re-opening
    with time_machine.travel(_at(D(2029, 2, 28)), tick=False):
        assert windows()[12] == (4, 2)  # + both leap plans; only leap_a within 12 months
    with time_machine.travel(_at(D(2029, 6, 1)), tick=False):
        found = windows()
        assert found[12] == (5, 2)  # + march: safe only
        # 15 months: the January plans (10 April), the leap plans (29 May), march (1 June).
        assert found[15] == (5, 4)
    with time_machine.travel(_at(D(2029, 5, 28)), tick=False):
        assert windows()[15] == (2, 2)


@pytest.fixture
def thirteen(world) -> World:
    """Twelve plans of one organisation, one of another, all closed on 1 January 2027.

    - plans 0–9: a 'zorgen' contact 10, 20, ... 100 days after closing;
    - plan 10: a safe contact after 200 days; plan 11: no contact;
    - each of the twelve: one planned contact due 1 February 2027, held for plans 0 and 10;
      plus a cancelled one and one still to come (neither counts);
    - the other organisation's plan: one planned contact, open, overdue.
    """
    start = D(2027, 1, 1)
    for index in range(12):
        plan = world.plan(start)
        planned = world.planned(plan, D(2027, 2, 1))
        held_on = start + datetime.timedelta(days=10 * (index + 1))
        if index < 10:
            world.contact(plan, held_on, Safety.WORRIES, planned=planned if index == 0 else None)
        elif index == 10:
            world.contact(plan, start + datetime.timedelta(days=200), planned=planned)
        world.planned(plan, D(2027, 3, 1), cancelled=True)
        world.planned(plan, D(2030, 1, 1))
    other = world.plan(D(2027, 6, 1), other=True)
    world.planned(other, D(2027, 7, 1))
    return world


def test_figures_on_hand_checked_plans(thirteen, django_assert_max_num_queries):
    with time_machine.travel(_at(D(2029, 1, 1)), tick=False), django_assert_max_num_queries(6):
        result = figures.figures_compute()
    assert result.plans == 13
    assert [(w.months, w.plans, w.worried, w.share_shown) for w in result.windows] == [
        (12, 13, 10, "67%"),
        (15, 13, 10, "67%"),
    ]
    assert (result.with_contact, result.median_days, result.median_shown) == (11, 60, "60")
    rows = {row.name: (row.due, row.overdue, row.share_shown) for row in result.organisations}
    assert rows == {
        thirteen.organisation.name: (12, 10, "100%"),  # from the rounded 10 and 10
        thirteen.other_organisation.name: (1, 1, "–"),
    }
    other = next(r for r in result.organisations if r.name == thirteen.other_organisation.name)
    assert (other.due_shown, other.overdue_shown) == ("<10", "<10")


def test_a_period_counts_only_the_plans_that_started_in_it(thirteen):
    with time_machine.travel(_at(D(2029, 1, 1)), tick=False):
        result = figures.figures_compute(started_from=D(2027, 3, 1), started_to=D(2027, 12, 31))
    assert (result.plans, result.plans_shown) == (1, "<10")
    assert result.median_days is None and result.median_shown == "–"
    assert [row.name for row in result.organisations] == [thirteen.other_organisation.name]
    assert figures.figures_compute(started_to=D(2026, 12, 31)).plans == 0


@pytest.mark.parametrize(
    ("asked", "used"),
    [
        ((D(2027, 2, 14), D(2027, 5, 2)), (D(2027, 1, 1), D(2027, 6, 30))),
        ((D(2027, 10, 1), D(2027, 12, 31)), (D(2027, 10, 1), D(2027, 12, 31))),
        ((D(2027, 11, 30), D(2027, 11, 30)), (D(2027, 10, 1), D(2027, 12, 31))),
        ((None, D(2028, 2, 29)), (None, D(2028, 3, 31))),
        ((None, None), (None, None)),
    ],
)
def test_a_period_is_widened_to_whole_quarters(asked, used):
    assert figures.period_in_quarters(*asked) == used


def test_two_periods_a_day_apart_cannot_single_out_a_family(thirteen, make_member):
    """The page's periods are widened to quarters: asking up to one day later — the day the other
    organisation's plan started — shows the very same figures, so subtracting them reveals
    nothing about that one family."""
    adviser = make_member(Role.POLICY_ADVISER)
    actor = actor_for_user(user=adviser)
    assert actor is not None
    with time_machine.travel(_at(D(2029, 1, 1)), tick=False):
        before = figures.figures_for(
            actor=actor, started_from=D(2027, 1, 1), started_to=D(2027, 5, 31)
        )
        after = figures.figures_for(
            actor=actor, started_from=D(2027, 1, 1), started_to=D(2027, 6, 1)
        )
        exact = figures.figures_compute(started_from=D(2027, 1, 1), started_to=D(2027, 5, 31))
    assert exact.plans == 12  # without the widening the two periods would differ by one plan
    assert (before.started_from, before.started_to) == (D(2027, 1, 1), D(2027, 6, 30))
    assert before == after and before.plans == 13
