"""The follow-up demo: plans in every state, built through the services and moved back in time,
so that every demo professional sees something sensible — loaded once, and only once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.models import Case
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination.models import FileState
from meldwijzer.demo import demo_load
from meldwijzer.followups import demo, selectors
from meldwijzer.followups.models import (
    Alert,
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    FollowupSignal,
    PlanDecision,
    PlannedContact,
    PlanState,
    Safety,
    SourceKind,
)
from meldwijzer.followups.schedules import months_after, week_of
from meldwijzer.privacy.models import GroundKind
from tests.coordination.builders import actor_of

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _actor(username: str):
    return actor_of(User.objects.get(username=username))


def _plan(title: str) -> FollowupPlan:
    return FollowupPlan.objects.select_related("grant__ground").get(case__title=title)


def _counts() -> tuple[int, ...]:
    return (
        FollowupPlan.objects.count(),
        FollowupContact.objects.count(),
        PlanDecision.objects.count(),
        Alert.objects.count(),
        FollowupSignal.objects.count(),
    )


def test_the_followup_demo_has_every_state_and_loads_once():
    demo_load()
    today = timezone.localdate()
    first = _counts()
    ours = FollowupPlan.objects.filter(case__title__in=demo.DEMO_TITLES)
    assert ours.count() == len(demo.DEMO_TITLES)
    assert FollowupPlan.objects.filter(file__title=demo.FILE_TITLE).count() == 1

    # (a) The JGZ nurse follows a pupil of the school, on the mother's consent.
    jgz = _plan(demo.SCHOOL_JGZ)
    assert (jgz.follower.username, jgz.owner.username) == ("jgz", "docent")
    assert jgz.grant is not None and jgz.grant.ground.kind == GroundKind.CONSENT
    assert jgz.contacts.filter(safety=Safety.SAFE).count() == 2
    week = selectors.week_page(actor=_actor("jgz")).object_list
    assert {row.plan.pk for row in week} == {jgz.pk}
    due_now, overdue = sorted(row.overdue_days for row in week)
    # Ten days, give or take the ends of months (counted back from today, then forward).
    assert due_now == 0 and 10 <= overdue <= 13
    assert all(row.planned.due_on <= week_of(today)[1] for row in week)
    # (h) ... and the kinderopvang has since opened a dossier about his little sister.
    signal = FollowupSignal.objects.select_related("organisation", "case").get()
    assert signal.plan == jgz and signal.organisation.name == "Kinderopvang Kleine Klaproos"
    assert signal.case.title == demo.SIGNAL_CASE

    # (b) Worries brought the next contact forward.
    worries = _plan(demo.SCHOOL_WORRIES)
    held = worries.contacts.get(safety=Safety.WORRIES)
    forward = PlannedContact.objects.get(plan=worries, moved_reason__startswith="Eerder")
    assert forward.due_on == held.held_on + datetime.timedelta(days=14) < forward.scheduled_on

    # (c) A coordination file closed by its casusregisseur, followed by the wijkcoach.
    followed_file = FollowupPlan.objects.select_related("file").get(source_kind=SourceKind.FILE)
    assert followed_file.file.state == FileState.CLOSED
    assert (followed_file.owner.username, followed_file.follower.username) == (
        "regisseur",
        "wijkcoach",
    )
    assert followed_file.state == PlanState.ACTIVE and followed_file.contacts.exists()

    # (d) Completed after eighteen months; (e) extended.
    done = _plan(demo.COMPLETED)
    assert done.state == PlanState.ENDED and done.decisions.get().kind == DecisionKind.COMPLETED
    assert done.ends_on == months_after(done.starts_on, 18) < today
    assert done.contacts.count() == 9
    extended = _plan(demo.EXTENDED)
    assert extended.state == PlanState.ACTIVE
    assert extended.decisions.get().kind == DecisionKind.EXTENDED
    assert extended.ends_on == months_after(extended.starts_on, 18)

    # (f) Not safe: a new dossier at the GGD names the old one; Veilig Thuis has an open alert.
    unsafe = _plan(demo.UNSAFE_OPEN)
    assert unsafe.state == PlanState.ENDED
    assert unsafe.decisions.get().kind == DecisionKind.REOPENED
    contact = unsafe.contacts.get(safety=Safety.UNSAFE)
    assert contact.reopened_case.previous_id == unsafe.case_id
    assert contact.reopened_case.phase == Phase.SIGNALS
    (alert,) = selectors.alerts_open(_actor("veiligthuis"))
    assert alert.plan == unsafe
    # (g) ... and an alert the huisarts acknowledged.
    acknowledged = Alert.objects.get(plan=_plan(demo.UNSAFE_DONE))
    assert acknowledged.acknowledged_at is not None and acknowledged.acknowledgement
    assert acknowledged.to_user.username == "huisarts"

    # Every professional in the demo sees something of follow-up.
    for username in ("docent", "wijkcoach", "huisarts", "jgz", "regisseur"):
        assert selectors.my_plans(actor=_actor(username)), username
    assert selectors.organisation_plans(actor=_actor("aandacht.school"))

    demo_load()
    assert _counts() == first
    assert Case.objects.filter(title=demo.SIGNAL_CASE).count() == 1
