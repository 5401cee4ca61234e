"""Recording follow-up contacts and changing plans: what 'zorgen' and 'niet veilig' set in motion,
and the refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from meldwijzer.cases.models import Case
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination import closing
from meldwijzer.coordination import selectors as coordination_selectors
from meldwijzer.coordination.models import CoordinationFile, FileState
from meldwijzer.followups import selectors, services
from meldwijzer.followups.models import (
    Alert,
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    PlanDecision,
    PlannedContact,
    PlanState,
    Safety,
)
from meldwijzer.followups.services import ConflictError, ContactData, FollowupInputError
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.coordination.builders import actor_of, coordinator, file_open
from tests.factories import MembershipFactory, OrganisationFactory
from tests.followups.builders import agreement, closed_followed_elsewhere, closed_with_plan


@pytest.fixture
def owner(db):
    school = OrganisationFactory(name="Basisschool De Regenboog", sector=Sector.EDUCATION)
    return actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user)


@pytest.fixture
def nurse(db):
    ggd = OrganisationFactory(name="GGD JGZ", sector=Sector.PUBLIC_HEALTH)
    return actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=ggd).user)


def contact(safety: str, **changes: object) -> ContactData:
    fields: dict[str, object] = {
        "held_on": timezone.localdate(),
        "mode": "huisbezoek",
        "summary": "Huisbezoek, moeder en kind thuis.",
        "safety": safety,
        "safety_note": "Afspraken besproken.",
    }
    fields.update(changes)
    return ContactData(**fields)  # type: ignore[arg-type]


def record(actor, plan: FollowupPlan, safety: str, **changes: object) -> FollowupContact:
    access = selectors.plan_get(actor=actor, plan_id=plan.pk)
    with services.alerts_muted():
        return services.contact_record(
            actor=actor,
            access=access,
            data=contact(safety, **changes),
            expected_version=access.plan.version,
        )


def test_worries_bring_the_next_contact_forward(owner):
    plan = closed_with_plan(owner)
    first = PlannedContact.objects.filter(plan=plan).order_by("due_on").first()
    assert first.due_on > timezone.localdate() + datetime.timedelta(days=14)

    record(owner, plan, Safety.WORRIES)

    first.refresh_from_db()
    assert first.due_on <= timezone.localdate() + datetime.timedelta(days=14)
    assert first.scheduled_on > first.due_on
    assert "zorgen" in first.moved_reason
    assert FollowupPlan.objects.get(pk=plan.pk).state == PlanState.ACTIVE


def test_worries_plan_an_extra_contact_when_none_is_left(owner):
    plan = closed_with_plan(owner)
    PlannedContact.objects.filter(plan=plan).update(cancelled_at=timezone.now())

    record(owner, plan, Safety.WORRIES)

    extra = PlannedContact.objects.get(plan=plan, cancelled_at__isnull=True)
    assert extra.due_on <= timezone.localdate() + datetime.timedelta(days=14)
    assert extra.moved_reason


def test_unsafe_reopens_the_closed_case_the_follower_holds(owner):
    plan = closed_with_plan(owner)

    held = record(owner, plan, Safety.UNSAFE)

    case = Case.objects.get(pk=plan.case_id)
    assert case.phase == Phase.SIGNALS
    held.refresh_from_db()
    assert held.reopened_case_id == case.pk
    plan.refresh_from_db()
    assert plan.state == PlanState.ENDED
    assert PlanDecision.objects.filter(plan=plan, kind=DecisionKind.REOPENED).exists()
    assert not PlannedContact.objects.filter(plan=plan, cancelled_at__isnull=True).exclude(
        contact__isnull=False
    )
    alert = Alert.objects.get(plan=plan)
    assert alert.to_user == owner.user  # no casusregisseur: who closed the case


def test_unsafe_from_another_organisation_starts_a_new_case_there(owner, nurse):
    plan = closed_followed_elsewhere(owner, nurse)

    held = record(nurse, plan, Safety.UNSAFE)

    held.refresh_from_db()
    new = held.reopened_case
    assert new is not None and new.pk != plan.case_id
    assert new.organisation == nurse.organisation
    assert new.responsible == nurse.user
    assert new.previous_id == plan.case_id
    assert Case.objects.get(pk=plan.case_id).phase == Phase.CLOSED
    assert Alert.objects.get(plan=plan).to_user == owner.user
    assert FollowupPlan.objects.get(pk=plan.pk).state == PlanState.ENDED


def test_unsafe_in_a_file_plan_reopens_the_file_and_alerts_its_casusregisseur(db):
    leader = coordinator()
    file = file_open(leader)
    actor = actor_of(leader)
    access = coordination_selectors.file_access_for(actor, file)
    closing.file_close(
        actor=actor, access=access, expected_version=file.version, followup=agreement(actor)
    )
    plan = FollowupPlan.objects.get(file=file)

    held = record(actor, plan, Safety.UNSAFE)

    assert CoordinationFile.objects.get(pk=file.pk).state == FileState.OPEN
    held.refresh_from_db()
    assert held.reopened_file_id == file.pk
    assert Alert.objects.get(plan=plan).to_user == leader
    assert PlanDecision.objects.filter(plan=plan, kind=DecisionKind.REOPENED).exists()


def test_a_revoked_grant_ends_the_followers_access(owner, nurse):
    plan = closed_followed_elsewhere(owner, nurse)
    PlannedContact.objects.filter(plan=plan).update(due_on=timezone.localdate())
    assert selectors.plan_get(actor=nurse, plan_id=plan.pk).may_record
    assert selectors.week_page(actor=nurse).object_list

    privacy_services.access_grant_revoke(actor=owner, grant=plan.grant)

    with pytest.raises(Http404):
        selectors.plan_get(actor=nurse, plan_id=plan.pk)
    assert list(selectors.week_page(actor=nurse).object_list) == []
    assert selectors.week_count(actor=nurse) == 0
    assert selectors.my_plans(actor=nurse) == []


def test_a_contact_without_a_safety_answer_is_refused_and_changes_nothing(owner):
    plan = closed_with_plan(owner)
    before = list(PlannedContact.objects.filter(plan=plan).values_list("due_on", flat=True))

    with pytest.raises(FollowupInputError) as refused:
        record(owner, plan, "")

    assert set(refused.value.errors) == {"safety"}
    assert not FollowupContact.objects.filter(plan=plan).exists()
    assert FollowupPlan.objects.get(pk=plan.pk).version == plan.version
    after = list(PlannedContact.objects.filter(plan=plan).values_list("due_on", flat=True))
    assert after == before


def test_a_change_from_an_older_version_is_refused_and_changes_nothing(owner):
    plan = closed_with_plan(owner)
    access = selectors.plan_get(actor=owner, plan_id=plan.pk)
    stale = access.plan.version
    record(owner, plan, Safety.SAFE)  # someone else recorded a contact meanwhile

    with pytest.raises(ConflictError):
        services.plan_change(
            actor=owner,
            access=access,
            expected_version=stale,
            change=services.PlanChange(note="Andere afspraken.", how="Elke week bellen."),
        )
    with pytest.raises(ConflictError):
        services.contact_record(
            actor=owner, access=access, data=contact(Safety.SAFE), expected_version=stale
        )

    plan.refresh_from_db()
    assert plan.how != "Elke week bellen."
    assert not PlanDecision.objects.filter(plan=plan).exists()
    assert FollowupContact.objects.filter(plan=plan).count() == 1


def test_a_signal_is_seen_once(owner):
    from meldwijzer.followups.models import FollowupSignal
    from tests.cases.builders import signals_case

    plan = closed_with_plan(owner)
    other = signals_case(owner, "Nieuwe zorgen")
    signal = FollowupSignal.objects.create(
        plan=plan, case=other, organisation=owner.organisation, created_at=timezone.now()
    )
    access = selectors.plan_get(actor=owner, plan_id=plan.pk)

    services.signal_seen(actor=owner, access=access, signal_id=signal.pk)
    services.signal_seen(actor=owner, access=access, signal_id=signal.pk)

    signal.refresh_from_db()
    assert signal.seen_by == owner.user and signal.seen_at is not None
    assert selectors.signals_open(plan) == []


def test_over_long_text_is_refused_not_cut_off_and_changes_nothing(owner):
    plan = closed_with_plan(owner)
    too_long = "x" * (services.TEXT_LIMIT + 1)

    with pytest.raises(FollowupInputError) as refused:
        record(owner, plan, Safety.SAFE, summary=too_long, safety_note=too_long)
    assert set(refused.value.errors) == {"summary", "safety_note"}
    assert "hoogstens 4000 tekens" in refused.value.errors["summary"][0]
    access = selectors.plan_get(actor=owner, plan_id=plan.pk)
    with pytest.raises(FollowupInputError) as refused_change:
        services.plan_change(
            actor=owner,
            access=access,
            expected_version=access.plan.version,
            change=services.PlanChange(note="Andere afspraken.", how=too_long),
        )
    assert set(refused_change.value.errors) == {"how"}

    assert not FollowupContact.objects.filter(plan=plan).exists()
    assert not PlanDecision.objects.filter(plan=plan).exists()
    assert FollowupPlan.objects.get(pk=plan.pk).version == plan.version
