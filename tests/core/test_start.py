"""The start page: a professional's open work above the link cards, and for the
aandachtsfunctionaris the organisation's waiting requests for consultation."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import services
from meldwijzer.cases.entries import ConsultationForm, ConsultationRequestForm
from meldwijzer.cases.models import Case
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record

pytestmark = pytest.mark.django_db

START = reverse("core:start")
EMPTY = "Er wacht nu niets op u in uw eigen casussen."


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def officer(make_member, organisation):
    return make_member(Role.MELDCODE_OFFICER, organisation)


def open_case(user, title: str, days_ago: int = 0) -> Case:
    actor = actor_for_user(user=user)
    case = services.case_open(actor=actor, title=title, profession="onderwijs", client="kind")
    Case.objects.filter(pk=case.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    case.refresh_from_db()
    return case


def ask(user, case: Case) -> None:
    record(actor_for_user(user=user), case, ConsultationRequestForm, {"question": "Kijkt u mee?"})


def answer(user, case: Case) -> None:
    record(actor_for_user(user=user), case, ConsultationForm, {
        "date": timezone.localdate().isoformat(), "consulted": "aandachtsfunctionaris",
        "advice": "Bespreek het met de ouders.",
    })  # fmt: skip


def page(client) -> str:
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


def test_a_professional_without_open_work_reads_that_in_plain_words(verified, professional):
    content = page(verified(professional))
    assert "Wat nu uw aandacht vraagt" in content
    assert EMPTY in content
    assert "Mijn casussen" in content and "Nieuwe casus openen" in content  # the cards stay


def test_the_start_page_lists_own_cases_that_need_attention(verified, professional, officer):
    late = open_case(professional, "Leerling te laat", days_ago=10)
    soon = open_case(professional, "Leerling binnenkort", days_ago=2)
    asked = open_case(professional, "Leerling met vraag", days_ago=1)
    ask(professional, asked)
    answered = open_case(professional, "Leerling beantwoord", days_ago=1)
    ask(professional, answered)
    answer(officer, answered)
    content = page(verified(professional))
    assert EMPTY not in content
    assert "Over de streefdatum (1)" in content
    assert "3 dagen te laat" in content
    assert "Binnenkort, binnen 7 dagen (3)" in content
    assert "over 5 dagen" in content
    assert "Uw vragen om consultatie (1)" in content
    assert "wacht op antwoord van de aandachtsfunctionaris" in content
    for case in (late, soon, asked):
        assert f'href="{reverse("cases:detail", kwargs={"case_id": case.pk})}"' in content
    assert content.index("Over de streefdatum") < content.index('id="kop-casussen"')
    assert "Vragen om consultatie in uw organisatie" not in content


def test_a_review_date_that_has_come_asks_for_afweging_5(verified, professional):
    case = open_case(professional, "Hulp loopt")
    Case.objects.filter(pk=case.pk).update(
        phase="hulp", review_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    content = page(verified(professional))
    assert "Evaluatie van de hulp (1)" in content
    assert "beantwoord afweging 5" in content
    assert "2 dagen geleden" in content


def test_the_officer_sees_the_organisations_waiting_requests(
    verified, professional, officer, make_member, organisation, other_organisation
):
    asked = open_case(professional, "Leerling met vraag")
    ask(professional, asked)
    answered = open_case(professional, "Leerling beantwoord")
    ask(professional, answered)
    answer(officer, answered)
    elsewhere_user = make_member(Role.PROFESSIONAL, other_organisation)
    elsewhere = open_case(elsewhere_user, "Leerling elders")
    ask(elsewhere_user, elsewhere)
    content = page(verified(officer))
    assert "Vragen om consultatie in uw organisatie (1)" in content
    assert "1 vraag om consultatie wacht op antwoord" in content  # on the card
    assert asked.reference in content
    assert elsewhere.reference not in content and "Leerling elders" not in content
    assert answered.reference not in content
    record_url = reverse("cases:entry_create", kwargs={"case_id": asked.pk, "kind": "consultation"})
    assert f'href="{record_url}"' in content
    assert reverse("cases:organisation_overview") in content
    assert EMPTY in content  # nothing of the officer's own


def test_the_officer_without_waiting_requests_reads_that(verified, officer):
    content = page(verified(officer))
    assert "Vragen om consultatie in uw organisatie (0)" in content
    assert "Er wachten geen vragen om consultatie op antwoord." in content
    assert "Er wachten geen vragen om consultatie." in content  # on the card


def test_colleagues_and_other_organisations_cases_never_appear(
    verified, professional, make_member, organisation, other_organisation
):
    colleague = make_member(Role.PROFESSIONAL, organisation)
    theirs = open_case(colleague, "Van een collega", days_ago=10)
    ask(colleague, theirs)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    elsewhere = open_case(stranger, "Elders", days_ago=10)
    ask(stranger, elsewhere)
    content = page(verified(professional))
    assert EMPTY in content
    for case in (theirs, elsewhere):
        assert case.reference not in content and case.title not in content


def test_the_start_page_logs_the_read_of_the_case_lists(verified, professional, officer):
    client = verified(officer)
    since = AccessLogEntry.objects.order_by("-id").first()
    page(client)
    start = since.id if since else 0
    logged = AccessLogEntry.objects.filter(id__gt=start).order_by("id")
    assert [(r.user_id, r.action, r.subject_type, r.part) for r in logged] == [
        (officer.pk, "search", "casussen", "eigen"),
        (officer.pk, "search", "casussen", "organisatie"),
    ]


@pytest.mark.parametrize("role", [Role.POLICY_ADVISER, Role.FUNCTIONAL_ADMIN])
def test_roles_without_case_work_get_no_work_list_and_no_log_row(
    verified, make_member, organisation, role
):
    user = make_member(role, organisation)
    client = verified(user)
    since = AccessLogEntry.objects.count()
    content = page(client)
    assert "Wat nu uw aandacht vraagt" not in content
    assert AccessLogEntry.objects.count() == since


def _cases(user, count: int) -> None:
    for number in range(count):
        case = open_case(user, f"Casus {number}", days_ago=number % 10)
        if number % 3 == 0:
            ask(user, case)
        if number % 6 == 0:
            answer(user, case)


@pytest.mark.parametrize("reader", ["professional", "officer"])
def test_the_start_page_reads_a_fixed_number_of_queries(verified, reader, request):
    user = request.getfixturevalue(reader)
    client = verified(user)
    _cases(user, 4)  # one of them waits for an answer
    page(client)  # the first request of a session does some one-time work
    with CaptureQueriesContext(connection) as few:
        page(client)
    _cases(user, 16)
    with CaptureQueriesContext(connection) as twenty:
        content = page(client)
    assert content.count('class="mw-worklist__item"') >= 20
    assert len(twenty) == len(few), [q["sql"] for q in twenty.captured_queries]
