"""Many people change one case or one safety plan at the same moment: edits made from the same
version leave exactly one change and refuse the others with the Dutch conflict message (409 in
the API); appends from many writers all arrive, and the case's version counts them. Each writer
runs in its own thread on its own database connection, released together."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.cases import services
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.coordination import safety_plan, selectors
from meldwijzer.coordination.models import SafetyPlanRevision
from meldwijzer.coordination.safety_plan import PlanConflictError
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.coordination.access_plan import plan_content
from tests.coordination.builders import actor_of, team
from tests.factories import allow_api_keys_for
from tests.faults.conftest import THREADS, all_at_once

pytestmark = pytest.mark.django_db(transaction=True)

CONFLICT = "Iemand anders heeft deze casus intussen gewijzigd."


def signal(facts: str) -> dict[str, str]:
    return {
        "date": timezone.localdate().isoformat(),
        "category": "lichamelijk",
        "source": "eigen",
        "facts": facts,
    }


@pytest.fixture
def actor(shared_database, make_member, organisation):
    return actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))


@pytest.fixture
def case(actor) -> Case:
    return services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")


def entries_written(case: Case) -> int:
    return AccessLogEntry.objects.filter(
        subject_id=str(case.pk), action=Action.CREATE, part=EntryKind.SIGNAL.label.lower()
    ).count()


def test_edits_from_the_same_version_leave_one_change_and_refuse_the_rest(actor, case):
    """Fifty edits from one version through the service, then fifty from the next version
    through the API (201 once, 409 for the rest)."""
    seen = case.version

    def edit(number: int) -> int:
        mine = Case.objects.get(pk=case.pk)
        services.case_record_entry(
            actor=actor, case=mine, expected_version=seen, kind=EntryKind.SIGNAL,
            data=signal(f"Waarneming {number}"),
        )  # fmt: skip
        return number

    outcome = all_at_once(THREADS, edit)

    assert len(outcome.results) == 1, {repr(e) for e in outcome.errors}
    assert len(outcome.errors) == THREADS - 1
    assert all(isinstance(e, services.ConcurrentEditError) for e in outcome.errors), {
        repr(e) for e in outcome.errors
    }
    assert all(str(e).startswith(CONFLICT) for e in outcome.errors)
    [entry] = Entry.objects.filter(case=case)
    assert entry.data["facts"] == f"Waarneming {outcome.results[0]}"
    assert Case.objects.get(pk=case.pk).version == seen + 1
    assert entries_written(case) == 1

    allow_api_keys_for(actor.user)
    _, secret = api_token_create(actor=actor, name="koppeling")
    seen += 1

    def edit_through_the_api(number: int) -> tuple[int, dict[str, Any]]:
        response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
            f"/api/v1/cases/{case.pk}/entries/",
            {"version": seen, "kind": "signal", "data": signal(f"Via de API {number}")},
            content_type="application/json",
        )
        return response.status_code, response.json()

    outcome = all_at_once(THREADS, edit_through_the_api)

    assert not outcome.errors, {repr(e) for e in outcome.errors}
    statuses = sorted(status for status, _ in outcome.results)
    assert statuses == [201] + [409] * (THREADS - 1)
    refusals = [body["error"] for status, body in outcome.results if status == 409]
    assert {error["code"] for error in refusals} == {"gelijktijdige_wijziging"}
    assert all(error["message"].startswith(CONFLICT) for error in refusals)
    [created] = [body for status, body in outcome.results if status == 201]
    assert created["version"] == seen + 1
    assert Entry.objects.filter(case=case).count() == 2
    assert entries_written(case) == 2


def test_appends_from_many_writers_all_arrive(actor, case):
    """Every writer adds its own signal, as a client does: with the version it just read, and on
    the conflict message reading again and sending again. None is lost, none is doubled."""
    base = case.version

    def append(number: int) -> int:
        conflicts = 0
        while True:
            mine = Case.objects.get(pk=case.pk)
            try:
                services.case_record_entry(
                    actor=actor, case=mine, expected_version=mine.version, kind=EntryKind.SIGNAL,
                    data=signal(f"Eigen waarneming {number}"),
                )  # fmt: skip
            except services.ConcurrentEditError:
                conflicts += 1
                continue
            return conflicts

    outcome = all_at_once(THREADS, append)

    assert not outcome.errors, {repr(e) for e in outcome.errors}
    facts = sorted(Entry.objects.filter(case=case).values_list("data__facts", flat=True))
    assert facts == sorted(f"Eigen waarneming {number}" for number in range(THREADS))
    assert Case.objects.get(pk=case.pk).version == base + THREADS
    assert entries_written(case) == THREADS


def test_revisions_of_one_safety_plan_from_the_same_base_leave_one_new_revision(
    shared_database,
):
    family = team()
    actor = actor_of(family.coordinator)
    later = timezone.localdate() + datetime.timedelta(days=30)
    safety_plan.safety_plan_revise(
        actor=actor, access=selectors.file_access_for(actor, family.file),
        content=plan_content(), review_date=later, based_on=0,
    )  # fmt: skip

    def revise(number: int) -> int:
        safety_plan.safety_plan_revise(
            actor=actor, access=selectors.file_access_for(actor, family.file),
            content=plan_content(child_view=f"Versie {number}"), review_date=later, based_on=1,
        )  # fmt: skip
        return number

    outcome = all_at_once(THREADS, revise)

    assert len(outcome.results) == 1, {repr(e) for e in outcome.errors}
    assert all(isinstance(e, PlanConflictError) for e in outcome.errors), {
        repr(e) for e in outcome.errors
    }
    assert all("heeft intussen versie 2 opgeslagen" in str(e) for e in outcome.errors)
    revisions = SafetyPlanRevision.objects.filter(file=family.file).order_by("number")
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].content["child_view"] == f"Versie {outcome.results[0]}"
