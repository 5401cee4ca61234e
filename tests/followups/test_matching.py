"""A new dossier about a family in follow-up: recognised by the keyed hash, once per plan and
dossier, never for the plan's own dossier, one it re-opened, or a plan that ended."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import services as case_services
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.models import Case, Person
from meldwijzer.coordination.closing import file_close
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.followups import matching
from meldwijzer.followups.models import FollowupPlan, FollowupSignal
from meldwijzer.followups.rules import PlanAccess
from meldwijzer.followups.schedules import months_after
from meldwijzer.followups.services import plan_end
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from tests.coordination.builders import actor_of, coordinator, file_open
from tests.followups.builders import closed_with_plan

CHILD_BSN = "999990019"  # the child of `tests.cases.builders.signals_case`


def _actor(user) -> Actor:
    membership = user.memberships.get()
    return Actor(
        user=user, organisation=membership.organisation, roles=frozenset({membership.role})
    )


@pytest.fixture
def plan(make_member) -> FollowupPlan:
    return closed_with_plan(_actor(make_member(Role.PROFESSIONAL)))


@pytest.fixture
def elsewhere(make_member) -> Actor:
    """A professional of another organisation."""
    return _actor(make_member(Role.PROFESSIONAL))


def _new_case(actor: Actor, *, bsn: str = CHILD_BSN, previous: Case | None = None) -> Case:
    return case_services.case_open(
        actor=actor, title="Kleuter vaak moe", profession="kinderopvang", client="kind",
        name="Kind Voorbeeld", bsn=bsn, previous=previous,
    )  # fmt: skip


def test_the_same_child_in_another_organisations_new_case_signals_the_plan_once(
    plan, elsewhere, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _new_case(elsewhere)
    signal = FollowupSignal.objects.get()
    assert (signal.plan, signal.case, signal.organisation) == (plan, case, elsewhere.organisation)
    row = AccessLogEntry.objects.get(subject_type="vervolgplan", part=f"signaal:{signal.pk}")
    assert row.client_id == plan.client_pseudonym
    # Idempotent: the same person again, or a second person with the same key, adds nothing.
    person = Person.objects.get(case=case)
    matching.person_recorded(person)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_record_person(
            actor=elsewhere, case=case, expected_version=case.version, kind="child",
            name="Kind Voorbeeld", bsn=CHILD_BSN,
        )  # fmt: skip
    assert FollowupSignal.objects.count() == 1


def test_a_key_made_with_another_key_id_is_not_compared(plan, elsewhere):
    case = _new_case(elsewhere)
    Person.objects.filter(case=case).update(identity_key_id="andere-sleutel")
    matching.person_recorded(Person.objects.get(case=case))
    assert not FollowupSignal.objects.exists()


def test_a_different_child_signals_nothing(plan, elsewhere):
    case = _new_case(elsewhere, bsn="999990020")
    matching.person_recorded(Person.objects.get(case=case))
    assert not FollowupSignal.objects.exists()


def test_the_plans_own_case_and_the_case_it_reopened_signal_nothing(plan, elsewhere):
    own = Person.objects.filter(case_id=plan.case_id, bsn=CHILD_BSN).get()
    matching.person_recorded(own)
    reopened = _new_case(elsewhere, previous=plan.case)
    matching.person_recorded(Person.objects.get(case=reopened))
    assert not FollowupSignal.objects.exists()


def test_an_ended_plan_signals_nothing(plan, elsewhere):
    owner = _actor(plan.owner)
    plan_end(
        actor=owner, access=PlanAccess(plan=plan, is_owner=True, is_follower=True),
        expected_version=plan.version, kind="afgerond", note="Het gaat duurzaam goed.",
    )  # fmt: skip
    case = _new_case(elsewhere)
    matching.person_recorded(Person.objects.get(case=case))
    assert not FollowupSignal.objects.exists()


def test_a_family_member_of_a_followed_coordination_file_is_recognised(elsewhere):
    regisseur = coordinator()
    file = file_open(regisseur)  # with 'Kind Testgezin', born 1 May 2016
    actor = actor_of(regisseur)
    file_close(
        actor=actor, access=file_access_for(actor, file), expected_version=file.version,
        followup=FollowupAgreement(
            follower_id=regisseur.pk, organisation_id=actor.organisation.pk, how="Bellen.",
            until=months_after(timezone.localdate(), 12),
        ),
    )  # fmt: skip
    case = case_services.case_open(
        actor=elsewhere, title="Leerling vaak afwezig", profession="onderwijs", client="kind",
        name="Kind Testgezin", date_of_birth=datetime.date(2016, 5, 1),
    )  # fmt: skip
    matching.person_recorded(Person.objects.get(case=case))
    signal = FollowupSignal.objects.get()
    assert signal.plan == FollowupPlan.objects.get(file=file) and signal.case == case
