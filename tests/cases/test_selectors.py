"""Reading cases: who may see what, the access log of every read, due dates and lists."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import selectors, services
from meldwijzer.cases.entries import NoteForm
from meldwijzer.cases.models import Case, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, reported_case, signals_case, weighing_case

pytestmark = pytest.mark.django_db

DEADLINES = yaml.safe_load(
    (Path(selectors.__file__).resolve().parent / "deadlines.yaml").read_text(encoding="utf-8")
)
START = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def member(make_member, organisation) -> Callable[..., Actor]:
    def make(role: Role = Role.PROFESSIONAL, org: Any = None) -> Actor:
        found = actor_for_user(user=make_member(role, org or organisation))
        assert found is not None
        return found

    return make


@pytest.fixture
def actor(member) -> Actor:
    return member()


def last_row() -> AccessLogEntry:
    row = AccessLogEntry.objects.order_by("-id").first()
    assert row is not None
    return row


def rows_since(sequence: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(id__gt=sequence).order_by("id"))


# --- case_get ---------------------------------------------------------------------------------


def test_the_responsible_professional_reads_and_the_read_is_logged(actor):
    case = signals_case(actor)
    since = last_row().id
    found = selectors.case_get(actor=actor, case_id=case.pk, part="signalen")
    assert found == case
    rows = rows_since(since)
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.subject_type, row.subject_id, row.part, row.outcome) == (
        "read",
        "casus",
        str(case.pk),
        "signalen",
        "allowed",
    )
    assert (row.user_id, row.organisation_id, row.role, row.purpose) == (
        actor.user.pk,
        actor.organisation.pk,
        Role.PROFESSIONAL,
        "zorgverlening",
    )


@pytest.mark.parametrize(
    ("role", "elsewhere"),
    [
        (Role.PROFESSIONAL, True),
        (Role.MELDCODE_OFFICER, True),
        (Role.PROFESSIONAL, False),
        (Role.CASE_COORDINATOR, False),
        (Role.POLICY_ADVISER, False),
        (Role.FUNCTIONAL_ADMIN, False),
    ],
)
def test_others_get_not_found_and_the_refusal_is_logged(
    actor, member, other_organisation, role, elsewhere
):
    case = signals_case(actor)
    outsider = member(role, other_organisation if elsewhere else None)
    since = last_row().id
    with pytest.raises(Http404):
        selectors.case_get(actor=outsider, case_id=case.pk, part="dossier")
    rows = rows_since(since)
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.subject_type, row.subject_id, row.part, row.outcome) == (
        "read",
        "casus",
        str(case.pk),
        "dossier",
        "denied",
    )
    assert row.user_id == outsider.user.pk


def test_a_missing_case_is_not_found_and_logged(actor):
    since = last_row().id if AccessLogEntry.objects.exists() else 0
    with pytest.raises(Http404):
        selectors.case_get(actor=actor, case_id=987654, part="dossier")
    rows = rows_since(since)
    assert [(r.subject_type, r.subject_id, r.outcome) for r in rows] == [
        ("casus", "987654", "denied")
    ]


def test_the_meldcode_officer_reads_own_organisation_cases(actor, member, other_organisation):
    officer = member(Role.MELDCODE_OFFICER)
    case = signals_case(actor)
    since = last_row().id
    assert selectors.case_get(actor=officer, case_id=case.pk) == case
    row = rows_since(since)[0]
    assert (row.role, row.purpose, row.outcome) == (
        Role.MELDCODE_OFFICER,
        "consultatie",
        "allowed",
    )
    elsewhere = member(Role.MELDCODE_OFFICER, other_organisation)
    with pytest.raises(Http404):
        selectors.case_get(actor=elsewhere, case_id=case.pk)


def test_reads_log_no_content(actor, member):
    case = signals_case(actor)
    secret = "Geheime-notitie-5521"
    record(actor, case, NoteForm, {"text": secret})
    officer = member(Role.MELDCODE_OFFICER)
    selectors.case_get(actor=officer, case_id=case.pk, part="dossier")
    selectors.case_get(actor=actor, case_id=case.pk, part="afweging")
    selectors.case_list(actor=officer, whole_organisation=True)
    for row in AccessLogEntry.objects.all():
        for field in AccessLogEntry._meta.concrete_fields:
            value = str(getattr(row, field.attname))
            for fragment in (secret, "Blauwe plek", "Buurvrouw", case.title):
                assert fragment not in value, (field.name, value)


# --- case_list --------------------------------------------------------------------------------


def test_my_cases_are_mine(actor, member, other_organisation):
    mine = signals_case(actor, "Mijn casus")
    colleague = member()
    signals_case(colleague, "Van een collega")
    signals_case(member(Role.PROFESSIONAL, other_organisation), "Elders")
    assert selectors.case_list(actor=actor) == [mine]
    row = last_row()
    assert (row.action, row.subject_type, row.part, row.outcome) == (
        "search",
        "casussen",
        "eigen",
        "allowed",
    )


def test_the_officer_lists_the_open_cases_of_the_organisation(actor, member, other_organisation):
    officer = member(Role.MELDCODE_OFFICER)
    colleague = member()
    first = signals_case(actor, "Eerste")
    second = weighing_case(colleague, "Tweede")
    signals_case(member(Role.PROFESSIONAL, other_organisation), "Elders")
    closed = weighing_case(actor, "Afgesloten")
    services.case_record_weighing(
        actor=actor, case=closed, expected_version=closed.version, question="afweging_1",
        answer="nee", reasoning="Geen vermoeden.",
    )  # fmt: skip
    services.case_decide(
        actor=actor, case=closed, expected_version=closed.version, outcome=Outcome.CLOSE
    )
    listed = selectors.case_list(actor=officer, whole_organisation=True)
    assert {case.pk for case in listed} == {first.pk, second.pk}
    row = last_row()
    assert (row.part, row.role, row.purpose) == (
        "organisatie",
        Role.MELDCODE_OFFICER,
        "consultatie",
    )
    assert selectors.case_list(actor=officer) == []
    assert [c.pk for c in selectors.case_list(actor=officer, whole_organisation=True,
                                               phase=Phase.WEIGHING)] == [second.pk]  # fmt: skip


def test_a_professional_cannot_list_the_whole_organisation(actor):
    signals_case(actor)
    with pytest.raises(PermissionDenied):
        selectors.case_list(actor=actor, whole_organisation=True)
    assert last_row().outcome == "denied"


@pytest.mark.parametrize("role", [Role.POLICY_ADVISER, Role.FUNCTIONAL_ADMIN])
@pytest.mark.parametrize("whole", [True, False])
def test_advisers_and_admins_cannot_list_cases(actor, member, role, whole):
    signals_case(actor)
    other = member(role)
    with pytest.raises(PermissionDenied):
        selectors.case_list(actor=other, whole_organisation=whole)
    row = last_row()
    assert (row.user_id, row.outcome, row.subject_type) == (other.user.pk, "denied", "casussen")


def test_lists_filter_by_phase_and_outcome(actor):
    step_1 = signals_case(actor, "Stap 1")
    reported = reported_case(actor, "Gemeld")
    assert selectors.case_list(actor=actor, phase=Phase.SIGNALS) == [step_1]
    assert selectors.case_list(actor=actor, phase=Phase.REPORTED) == [reported]
    assert selectors.case_list(actor=actor, outcome=Outcome.REPORT_AND_HELP) == [reported]
    assert selectors.case_list(actor=actor, outcome=Outcome.CLOSE) == []


def test_lists_show_open_consultation_requests(actor):
    asked = signals_case(actor, "Met vraag")
    signals_case(actor, "Zonder vraag")
    from meldwijzer.cases.entries import ConsultationRequestForm

    record(actor, asked, ConsultationRequestForm, {"question": "Kunnen we overleggen?"})
    flags = {case.title: case.consultation_requested for case in selectors.case_list(actor=actor)}
    assert flags == {"Met vraag": True, "Zonder vraag": False}


# --- Due dates --------------------------------------------------------------------------------


def opened_at(when: datetime.datetime, make: Callable[[], Case]) -> Case:
    with time_machine.travel(when, tick=False):
        return make()


def test_the_due_dates_come_from_deadlines_yaml():
    assert selectors.target_days() == {
        "stap_1": 7,
        "stap_2": 10,
        "stap_3": 14,
        "stap_4": 21,
        "stap_5": 28,
    }
    assert selectors.target_days() == DEADLINES


def test_due_date_per_phase_relative_to_opening(actor):
    case = opened_at(START, lambda: signals_case(actor))
    opened = timezone.localdate(case.opened_at)
    assert opened == datetime.date(2025, 3, 3)
    for phase, days in DEADLINES.items():
        case.phase = phase
        assert selectors.case_due_date(case) == opened + datetime.timedelta(days=days)
    for phase in (Phase.REPORTED, Phase.CLOSED):
        case.phase = phase
        assert selectors.case_due_date(case) is None
        assert not selectors.case_is_overdue(case)


def test_overdue_only_after_the_due_date(actor):
    case = opened_at(START, lambda: signals_case(actor))
    due = datetime.date(2025, 3, 10)
    assert selectors.case_due_date(case) == due
    for day, overdue in ((due - datetime.timedelta(days=1), False), (due, False),
                         (due + datetime.timedelta(days=1), True)):  # fmt: skip
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(12), datetime.UTC)):
            assert selectors.case_is_overdue(case) is overdue, day
            assert selectors.case_dossier(case).overdue is overdue
            # The lists ask the same in SQL.
            assert selectors.case_list(actor=actor, overdue=overdue) == [case], day


def test_during_help_the_review_date_is_due(actor):
    answers = {"afweging_1": "ja", "afweging_2": "nee", "afweging_3": "ja", "afweging_4": "ja"}
    with time_machine.travel(START, tick=False):
        case = weighing_case(actor)
        for question, answer in answers.items():
            if question == "afweging_3":
                services.case_move(
                    actor=actor, case=case, expected_version=case.version, target=Phase.DECIDING
                )
            services.case_record_weighing(
                actor=actor, case=case, expected_version=case.version, question=question,
                answer=answer, reasoning="Toelichting.",
            )  # fmt: skip
        review = datetime.date(2025, 6, 1)
        services.case_decide(
            actor=actor, case=case, expected_version=case.version, outcome=Outcome.HELP,
            agreements="Wekelijks contact.", review_date=review,
        )  # fmt: skip
    case.refresh_from_db()
    assert selectors.case_due_date(case) == review
    with time_machine.travel(datetime.datetime(2025, 5, 1, 12, tzinfo=datetime.UTC)):
        assert not selectors.case_is_overdue(case)  # step 5's 28 days have passed long ago
        assert selectors.case_list(actor=actor, overdue=False) == [case]
    with time_machine.travel(datetime.datetime(2025, 6, 2, 12, tzinfo=datetime.UTC)):
        assert selectors.case_is_overdue(case)
        assert selectors.case_list(actor=actor, overdue=True) == [case]


def test_lists_filter_on_overdue(actor):
    late = opened_at(START, lambda: signals_case(actor, "Te laat"))
    timely = opened_at(START + datetime.timedelta(days=6), lambda: signals_case(actor, "Op tijd"))
    reported = opened_at(START, lambda: reported_case(actor, "Gemeld"))
    with time_machine.travel(datetime.datetime(2025, 3, 12, 12, tzinfo=datetime.UTC)):
        assert selectors.case_list(actor=actor, overdue=True) == [late]
        assert {c.pk for c in selectors.case_list(actor=actor, overdue=False)} == {
            timely.pk,
            reported.pk,
        }
        assert len(selectors.case_list(actor=actor)) == 3


# --- Dossier reads ----------------------------------------------------------------------------


def test_weighing_answers_are_the_latest_per_question(actor):
    case = weighing_case(actor)
    for answer in ("ja", "nee", "ja"):
        services.case_record_weighing(
            actor=actor, case=case, expected_version=case.version, question="afweging_1",
            answer=answer, reasoning="Opnieuw gewogen.",
        )  # fmt: skip
    assert selectors.case_weighing_answers(case) == {"afweging_1": "ja"}
    dossier = selectors.case_dossier(case)
    assert dossier.walk.next_question is not None
    assert dossier.walk.next_question.id == "afweging_2"
    assert dossier.missing == ["Afweging 2 beantwoord (als er een vermoeden is)"]
    assert [c.target for c in dossier.phase_changes] == [
        Phase.SIGNALS,
        Phase.CONSULTATION,
        Phase.CONVERSATION,
        Phase.WEIGHING,
    ]
