"""Open work: when a request for consultation is answered, the aandachtsfunctionaris' overview,
and a professional's open work on the start page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import services, worklist
from meldwijzer.cases.entries import ConsultationForm, ConsultationRequestForm
from meldwijzer.cases.models import Case, Entry, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.cases.worklist import RequestState, request_state
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, signals_case, weighing_case

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=datetime.UTC)
QUESTION = "Kunnen we de blauwe plek van Kind Voorbeeld samen bespreken?"


def at(hours: int) -> datetime.datetime:
    return T0 + datetime.timedelta(hours=hours)


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


@pytest.fixture
def officer(member) -> Actor:
    return member(Role.MELDCODE_OFFICER)


def ask(actor: Actor, case: Case, question: str = QUESTION) -> Entry:
    return record(actor, case, ConsultationRequestForm, {"question": question})


def answer(actor: Actor, case: Case) -> Entry:
    return record(actor, case, ConsultationForm, {
        "date": timezone.localdate().isoformat(), "consulted": "aandachtsfunctionaris",
        "advice": "Bespreek het met de ouders.",
    })  # fmt: skip


def backdate(case: Case, days: int) -> None:
    """Let the case have been opened `days` days ago (its target dates move with it)."""
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - datetime.timedelta(days=days))


def count_queries(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


# --- When is a request answered? ----------------------------------------------------------------


def test_without_a_request_there_is_no_state():
    assert request_state([]) is None
    assert request_state([("consultation", at(1))]) is None


def test_a_request_waits_until_a_consultation_is_recorded_after_it():
    assert request_state([("consultation_request", at(1))]) == RequestState(at(1))
    state = request_state([("consultation", at(2)), ("consultation_request", at(1))])
    assert state == RequestState(requested_at=at(1), answered_at=at(2))
    assert state is not None and not state.is_open


def test_a_consultation_before_the_request_or_at_the_same_moment_does_not_answer_it():
    assert request_state([("consultation", at(1)), ("consultation_request", at(2))]) == (
        RequestState(at(2))
    )
    assert request_state([("consultation_request", at(1)), ("consultation", at(1))]) == (
        RequestState(at(1))
    )


def test_a_new_request_after_the_answer_waits_again_and_waits_since_the_first_unanswered():
    moments = [
        ("consultation_request", at(1)),
        ("consultation", at(2)),
        ("consultation_request", at(3)),
        ("consultation_request", at(4)),
    ]
    assert request_state(moments) == RequestState(at(3))
    assert request_state([*moments, ("consultation", at(5))]) == RequestState(at(3), at(5))


def test_states_are_read_from_the_dossier(actor, officer):
    waiting = signals_case(actor, "Wacht")
    answered = signals_case(actor, "Beantwoord")
    asked_again = signals_case(actor, "Opnieuw gevraagd")
    silent = signals_case(actor, "Geen vraag")
    with time_machine.travel(T0, tick=False):
        ask(actor, waiting)
        ask(actor, answered)
        ask(actor, asked_again)
    with time_machine.travel(at(1), tick=False):
        answer(officer, answered)
        answer(officer, asked_again)
    with time_machine.travel(at(2), tick=False):
        ask(actor, asked_again)
    states = worklist.request_states([waiting, answered, asked_again, silent])
    assert states == {
        waiting.pk: RequestState(T0),
        answered.pk: RequestState(T0, at(1)),
        asked_again.pk: RequestState(at(2)),
    }


def test_corrections_are_neither_new_requests_nor_new_answers(actor, officer):
    case = signals_case(actor)
    with time_machine.travel(T0, tick=False):
        request = ask(actor, case)
    with time_machine.travel(at(1), tick=False):
        consultation = answer(officer, case)
    with time_machine.travel(at(2), tick=False):
        form = ConsultationRequestForm({"question": "Kunnen we deze week overleggen?"})
        assert form.is_valid()
        services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=case.version,
            kind=form.kind,
            data=form.data,
            corrects=request,
        )
    assert worklist.request_states([case]) == {case.pk: RequestState(T0, at(1))}
    with time_machine.travel(at(3), tick=False):
        ask(actor, case)
        form = ConsultationForm({
            "date": "2025-03-03", "consulted": "collega", "advice": "Aangevuld advies.",
        })  # fmt: skip
        assert form.is_valid()
        services.case_record_entry(
            actor=officer, case=case, expected_version=case.version, kind=form.kind, data=form.data,
            corrects=consultation,
        )  # fmt: skip
    assert worklist.request_states([case]) == {case.pk: RequestState(at(3))}


# --- The aandachtsfunctionaris' overview ----------------------------------------------------------


def test_the_overview_puts_waiting_requests_first_longest_waiting_on_top(actor, member, officer):
    colleague = member()
    with time_machine.travel(T0, tick=False):
        answered = signals_case(actor, "Beantwoord")
        ask(actor, answered)
        older = signals_case(colleague, "Wacht het langst")
        ask(colleague, older)
    with time_machine.travel(at(1), tick=False):
        answer(officer, answered)
        newer = signals_case(actor, "Wacht korter")
        ask(actor, newer)
    with time_machine.travel(at(2), tick=False):
        silent = signals_case(actor, "Geen vraag")
    rows = worklist.organisation_overview(actor=officer)
    assert [row.case.pk for row in rows] == [older.pk, newer.pk, silent.pk, answered.pk]
    assert [row.request_open for row in rows] == [True, True, False, False]
    assert rows[3].request == RequestState(T0, at(1))
    assert [row.case.pk for row in worklist.open_requests(rows)] == [older.pk, newer.pk]


def test_the_overview_is_the_organisation_and_is_logged_as_its_search(
    actor, member, officer, other_organisation
):
    mine = signals_case(actor, "Hier")
    elsewhere = signals_case(member(Role.PROFESSIONAL, other_organisation), "Elders")
    ask(actor, mine)
    since = AccessLogEntry.objects.order_by("-id").first().id
    rows = worklist.organisation_overview(actor=officer)
    assert [row.case.pk for row in rows] == [mine.pk]
    assert elsewhere.pk not in {row.case.pk for row in rows}
    logged = AccessLogEntry.objects.filter(id__gt=since)
    assert [(r.action, r.subject_type, r.part, r.user_id) for r in logged] == [
        ("search", "casussen", "organisatie", officer.user.pk)
    ]


def test_a_professional_cannot_read_the_overview(actor):
    with pytest.raises(PermissionDenied):
        worklist.organisation_overview(actor=actor)
    assert AccessLogEntry.objects.order_by("-id").first().outcome == "denied"


def _cases_with_requests(actor: Actor, officer: Actor, count: int) -> None:
    for number in range(count):
        case = services.case_open(
            actor=actor, title=f"Casus {number}", profession="onderwijs", client="kind"
        )
        ask(actor, case)
        if number % 2:
            answer(officer, case)


def test_the_overview_reads_a_fixed_number_of_queries(actor, officer, verified):
    _cases_with_requests(actor, officer, 1)
    client = verified(officer.user)
    url = reverse("cases:organisation_overview")
    client.get(url)  # the first request of a session does some one-time work
    one = count_queries(lambda: worklist.organisation_overview(actor=officer))
    one_page = count_queries(lambda: client.get(url))
    _cases_with_requests(actor, officer, 19)
    assert len(worklist.organisation_overview(actor=officer)) == 20
    assert count_queries(lambda: worklist.organisation_overview(actor=officer)) == one
    assert count_queries(lambda: client.get(url)) == one_page


def test_the_overview_page_shows_open_and_answered_requests_with_their_dates(
    actor, officer, verified
):
    with time_machine.travel(datetime.datetime(2025, 3, 3, 10, tzinfo=datetime.UTC)):
        answered = signals_case(actor, "Eerder gevraagd")
        ask(actor, answered)
    with time_machine.travel(datetime.datetime(2025, 3, 5, 10, tzinfo=datetime.UTC)):
        answer(officer, answered)
        waiting = signals_case(actor, "Wacht")
        ask(actor, waiting)
    signals_case(actor, "Geen vraag")
    content = verified(officer.user).get(reverse("cases:organisation_overview")).content.decode()
    assert "1 vraag om consultatie wacht op antwoord." in content
    assert content.index(waiting.reference) < content.index(answered.reference)
    assert content.count("Ja, vraag open") == 1
    assert "sinds 05-03-2025" in content
    record_url = reverse(
        "cases:entry_create", kwargs={"case_id": waiting.pk, "kind": "consultation"}
    )
    assert f'href="{record_url}"' in content
    assert "Consultatie vastleggen" in content
    assert "Beantwoord" in content and "op 05-03-2025" in content
    assert "(vraag van 03-03-2025)" in content
    assert QUESTION not in content


def test_the_officer_answers_by_recording_a_consultation_in_the_case(actor, officer, verified):
    case = signals_case(actor)
    ask(actor, case)
    client = verified(officer.user)
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "consultation"})
    assert client.get(url).status_code == 200
    case.refresh_from_db()
    response = client.post(url, {
        "version": case.version, "date": timezone.localdate().isoformat(),
        "consulted": "aandachtsfunctionaris", "advice": "Bespreek het met de ouders.",
    })  # fmt: skip
    assert response.status_code == 302
    [row] = worklist.organisation_overview(actor=officer)
    assert row.request is not None and not row.request.is_open
    content = client.get(reverse("cases:organisation_overview")).content.decode()
    assert "Er wachten geen vragen om consultatie op antwoord." in content
    assert "Ja, vraag open" not in content


# --- A professional's open work -------------------------------------------------------------------


def help_case(actor: Actor, title: str, review_in_days: int) -> Case:
    """A case with help under way whose review date is `review_in_days` from today."""
    case = weighing_case(actor, title)
    for question, value in (("afweging_1", "ja"), ("afweging_2", "nee")):
        services.case_record_weighing(
            actor=actor, case=case, expected_version=case.version, question=question,
            answer=value, reasoning="Toelichting.",
        )  # fmt: skip
    services.case_move(actor=actor, case=case, expected_version=case.version, target=Phase.DECIDING)
    for question in ("afweging_3", "afweging_4"):
        services.case_record_weighing(
            actor=actor, case=case, expected_version=case.version, question=question,
            answer="ja", reasoning="Toelichting.",
        )  # fmt: skip
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.HELP,
        agreements="Hulp via het wijkteam.",
        review_date=timezone.localdate() + datetime.timedelta(days=28),
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(
        review_date=timezone.localdate() + datetime.timedelta(days=review_in_days)
    )
    case.refresh_from_db()
    return case


def titles(items: list[worklist.WorkItem]) -> list[str]:
    return [item.case.title for item in items]


def test_open_work_sorts_own_cases_by_what_they_need(actor, officer):
    late = signals_case(actor, "Te laat")  # step 1: 7 days
    backdate(late, 9)
    later = signals_case(actor, "Nog later")
    backdate(later, 12)
    soon = signals_case(actor, "Binnenkort")
    backdate(soon, 3)  # due in 4 days
    today = signals_case(actor, "Vandaag")
    backdate(today, 7)
    signals_case(actor, "Nog tijd")  # due in 7 days: counts as soon
    fresh = weighing_case(actor, "Ruim op tijd")  # step 4: 21 days
    review = help_case(actor, "Evaluatie", review_in_days=0)
    help_case(actor, "Evaluatie later", review_in_days=20)
    review_past = help_case(actor, "Evaluatie gemist", review_in_days=-2)
    asked = signals_case(actor, "Met vraag")
    ask(actor, asked)
    answered = signals_case(actor, "Beantwoord")
    ask(actor, answered)
    answer(officer, answered)

    work = worklist.open_work(actor=actor)
    assert titles(work.overdue) == ["Nog later", "Te laat"]
    assert [item.days_late for item in work.overdue] == [5, 2]
    assert titles(work.review_due) == ["Evaluatie gemist", "Evaluatie"]
    assert review.pk in {item.case.pk for item in work.review_due}
    assert review_past.pk not in {item.case.pk for item in work.overdue}
    assert titles(work.due_soon)[:2] == ["Vandaag", "Binnenkort"]
    assert set(titles(work.due_soon)) == {"Vandaag", "Binnenkort", "Nog tijd", "Met vraag",
                                          "Beantwoord"}  # fmt: skip
    assert fresh.pk not in {item.case.pk for item in work.due_soon + work.overdue}
    assert titles(work.waiting) == ["Met vraag"]
    assert work.organisation_requests is None
    assert not work.own_is_empty


def test_closed_cases_need_nothing(actor):
    case = weighing_case(actor, "Afgesloten")
    ask(actor, case)
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_1",
        answer="nee", reasoning="Geen vermoeden.",
    )  # fmt: skip
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE
    )
    backdate(case, 60)
    assert worklist.open_work(actor=actor).own_is_empty


def test_open_work_never_shows_a_colleagues_or_another_organisations_case(
    actor, member, officer, other_organisation
):
    colleague = member()
    theirs = signals_case(colleague, "Van een collega")
    backdate(theirs, 20)
    ask(colleague, theirs)
    stranger = member(Role.PROFESSIONAL, other_organisation)
    elsewhere = signals_case(stranger, "Elders")
    backdate(elsewhere, 20)
    ask(stranger, elsewhere)
    other_officer = member(Role.MELDCODE_OFFICER, other_organisation)

    work = worklist.open_work(actor=actor)
    assert work.own_is_empty and work.organisation_requests is None
    officer_work = worklist.open_work(actor=officer)
    assert officer_work.own_is_empty
    assert titles(officer_work.organisation_requests or []) == ["Van een collega"]
    assert titles(worklist.open_work(actor=other_officer).organisation_requests or []) == ["Elders"]


def test_reading_open_work_is_logged_like_the_case_lists(actor, officer):
    since = AccessLogEntry.objects.order_by("-id").first()
    start = since.id if since else 0
    worklist.open_work(actor=actor)
    worklist.open_work(actor=officer)
    logged = AccessLogEntry.objects.filter(id__gt=start).order_by("id")
    assert [(r.user_id, r.action, r.subject_type, r.part, r.purpose) for r in logged] == [
        (actor.user.pk, "search", "casussen", "eigen", "zorgverlening"),
        (officer.user.pk, "search", "casussen", "eigen", "zorgverlening"),
        (officer.user.pk, "search", "casussen", "organisatie", "consultatie"),
    ]


@pytest.mark.parametrize("role", [Role.POLICY_ADVISER, Role.FUNCTIONAL_ADMIN])
def test_roles_without_case_work_are_refused_and_logged(member, role):
    other = member(role)
    with pytest.raises(PermissionDenied):
        worklist.open_work(actor=other)
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.user_id, row.outcome) == (other.user.pk, "denied")


def _own_cases(actor: Actor, officer: Actor, count: int) -> None:
    for number in range(count):
        case = services.case_open(
            actor=actor, title=f"Eigen {number}", profession="onderwijs", client="kind"
        )
        backdate(case, number % 10)
        if number % 3 == 0:
            ask(actor, case)
        if number % 6 == 0:
            answer(officer, case)


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.MELDCODE_OFFICER])
def test_open_work_reads_a_fixed_number_of_queries(member, officer, role):
    reader = member(role)
    _own_cases(reader, officer, 4)  # one of them waits for an answer
    few = count_queries(lambda: worklist.open_work(actor=reader))
    _own_cases(reader, officer, 16)
    work = worklist.open_work(actor=reader)
    assert len(work.overdue) + len(work.due_soon) == 20
    assert count_queries(lambda: worklist.open_work(actor=reader)) == few


# --- The demo -------------------------------------------------------------------------------------


@pytest.mark.demo
def test_the_demo_school_shows_every_state():
    from meldwijzer.demo import demo_load

    demo_load()
    officer = actor_for_user(user=User.objects.get(username="aandacht.school"))
    assert officer is not None
    assert officer.organisation.name == "Basisschool De Polderpionier"
    rows = worklist.organisation_overview(actor=officer)
    states = {row.case.title: row.request for row in rows if row.request}
    assert states["Leerling groep 7 teruggetrokken"].is_open
    assert not states["Blauwe plekken leerling groep 4"].is_open
    docent = actor_for_user(user=User.objects.get(username="docent"))
    assert docent is not None
    work = worklist.open_work(actor=docent)
    assert work.overdue and work.review_due and work.due_soon and work.waiting


def test_the_overview_in_pages_of_50_waiting_requests_first_sorted_in_the_database(
    actor, officer, verified
):
    def opened(title: str) -> Case:
        return services.case_open(actor=actor, title=title, profession="onderwijs", client="kind")

    waiting = opened("Wacht op de aandachtsfunctionaris")
    ask(actor, waiting)
    for number in range(2):
        opened(f"Casus {number:02d}")
    client = verified(officer.user)
    url = reverse("cases:organisation_overview")
    client.get(url)  # the first request of a session does some one-time work
    few = count_queries(lambda: client.get(url))
    for number in range(2, 58):
        opened(f"Casus {number:02d}")
    answered = opened("Beantwoord")
    ask(actor, answered)
    answer(officer, answered)

    many = count_queries(lambda: client.get(url))
    first = client.get(url).content.decode()
    second = client.get(url, {"pagina": "2"}).content.decode()

    assert many == few
    assert "Pagina 1 van 2 (60 casussen)" in first
    assert "1 vraag om consultatie wacht op antwoord" in first
    # The oldest case waits, so it comes first; the rest newest first, the answered one on top.
    assert first.index(waiting.reference) < first.index(answered.reference)
    assert first.index(answered.reference) < first.index(">Casus 57<")
    assert second.count('<tr class="utrecht-table__row">') == 1 + 10
    assert ">Casus 00<" in second and waiting.reference not in second
