"""The pages of 'zorgen delen': sharing (refused with the findings, then clean), the inbox, the
answer, the reply, closing and making a case; lists with a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases.models import Case
from meldwijzer.trainings import worries
from meldwijzer.trainings.models import Worry, WorryRecipient, WorryState
from tests.conftest import force_verified_login
from tests.trainings.builders_worries import CLEAN, actor_of, region, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return region()


def client_for(user) -> Client:
    return force_verified_login(Client(), user)


def test_the_form_warns_first_and_names_the_line(world):
    response = client_for(world.teacher).get(reverse("trainings:worry_create"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("geen namen") < page.index('name="question"')
    assert "Veilig Thuis Test" in page
    assert 'value="onderwijs" selected' in page


def test_identifiers_are_refused_with_each_finding_and_nothing_changes(world):
    client = client_for(world.teacher)
    text = "Het BSN van de leerling is 123456782 en moeder Fatima weet het."
    response = client.post(
        reverse("trainings:worry_create"),
        {"recipient": WorryRecipient.OFFICER, "question": text, "profession": "onderwijs"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "U schreef een BSN (12…2)" in page
    assert "U schreef een naam (Fa…a)" in page
    assert not Worry.objects.exists()
    assert not AccessLogEntry.objects.filter(part__contains="1234").exists()


def test_a_clean_worry_is_shared_answered_and_read(world):
    teacher = client_for(world.teacher)
    response = teacher.post(
        reverse("trainings:worry_create"),
        {"recipient": WorryRecipient.OFFICER, "question": CLEAN, "target_group": "kind"},
    )
    worry = Worry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:worry", kwargs={"worry_id": worry.pk})
    officer = client_for(world.officer)
    inbox = officer.get(reverse("trainings:worry_inbox")).content.decode()
    assert worry.reference in inbox
    assert "Wacht op antwoord" in inbox
    page = officer.get(response["Location"]).content.decode()
    assert "Uw antwoord" in page and "blauwe plekken" in page
    assert "Dit wordt een casus" not in page
    response = officer.post(
        reverse("trainings:worry_message", kwargs={"worry_id": worry.pk}),
        {"body": "Leg vast wat u ziet, met de dag erbij."},
    )
    assert response.status_code == 302
    worry.refresh_from_db()
    assert worry.state == WorryState.ANSWERED
    page = teacher.get(reverse("trainings:worry", kwargs={"worry_id": worry.pk})).content.decode()
    assert "Leg vast wat u ziet" in page and "(antwoord)" in page
    assert "Nog een vraag" in page and "Zorg sluiten" in page
    # No row of the access log holds the text.
    for row in AccessLogEntry.objects.all():
        assert "blauwe" not in f"{row.part} {row.subject_id}"


def test_an_answer_with_identifiers_is_refused_on_the_page(world):
    worry = share(world.teacher)
    response = client_for(world.officer).post(
        reverse("trainings:worry_message", kwargs={"worry_id": worry.pk}),
        {"body": "Mail mij op iemand@voorbeeld.nl."},
    )
    assert response.status_code == 400
    assert "U schreef een e-mailadres" in response.content.decode()
    worry.refresh_from_db()
    assert worry.state == WorryState.OPEN


def test_the_asker_closes(world):
    worry = share(world.teacher)
    response = client_for(world.teacher).post(
        reverse("trainings:worry_close", kwargs={"worry_id": worry.pk})
    )
    assert response.status_code == 302
    worry.refresh_from_db()
    assert worry.state == WorryState.CLOSED


def test_the_asker_makes_it_a_case_and_the_worry_links_to_it(world):
    worry = share(world.teacher)
    client = client_for(world.teacher)
    url = reverse("trainings:worry_case", kwargs={"worry_id": worry.pk})
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"client": "kind"})
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    page = client.get(reverse("trainings:worry", kwargs={"worry_id": worry.pk})).content.decode()
    assert f'href="{response["Location"]}"' in page and case.reference in page
    assert "Dit wordt een casus" not in page


def test_the_overview_offers_sharing_to_case_workers_only(world):
    page = client_for(world.teacher).get(reverse("trainings:home")).content.decode()
    assert reverse("trainings:worry_create") in page
    page = client_for(world.admin).get(reverse("trainings:home")).content.decode()
    assert reverse("trainings:worry_create") not in page


def test_the_lists_use_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    officer = client_for(world.officer)
    teacher = client_for(world.teacher)
    first = share(world.teacher)
    worries.worry_message(actor=actor_of(world.officer), worry_id=first.pk, body="Goed.")
    worries.worry_to_case(actor=actor_of(world.teacher), worry_id=first.pk, client="kind")
    officer.get(reverse("trainings:worry_inbox"))  # warm the session
    teacher.get(reverse("trainings:worries"))
    with django_assert_max_num_queries(30) as one:
        officer.get(reverse("trainings:worry_inbox"))
    few = len(one.captured_queries)
    for _ in range(6):
        share(world.teacher)
        share(world.colleague)
    with django_assert_max_num_queries(few):
        inbox = officer.get(reverse("trainings:worry_inbox"))
    assert inbox.content.decode().count("mw-card") >= 13
    with django_assert_max_num_queries(few):
        teacher.get(reverse("trainings:worries"))


def test_the_overview_says_how_many_worries_wait(world):
    share(world.teacher)
    share(world.colleague)
    page = client_for(world.officer).get(reverse("trainings:home")).content.decode()
    assert "2 zorgen wachten op uw antwoord" in page
    page = client_for(world.teacher).get(reverse("trainings:home")).content.decode()
    assert "wacht op uw antwoord" not in page and "wachten op uw antwoord" not in page


def test_the_overview_offers_the_inbox_only_to_those_who_answer(world):
    share(world.teacher)
    inbox = reverse("trainings:worry_inbox")
    teacher_page = client_for(world.teacher).get(reverse("trainings:home")).content.decode()
    officer_page = client_for(world.officer).get(reverse("trainings:home")).content.decode()
    assert inbox not in teacher_page
    assert inbox in officer_page
    assert "1 zorg wacht op uw antwoord" in officer_page


def test_only_the_asker_opens_the_case_form_and_only_once(world):
    worry = share(world.teacher)
    url = reverse("trainings:worry_case", kwargs={"worry_id": worry.pk})
    officer = client_for(world.officer).get(url, follow=True)
    assert officer.redirect_chain[0][0] == reverse("trainings:worry", kwargs={"worry_id": worry.pk})
    assert "Alleen wie de zorg deelde" in officer.content.decode()
    teacher = client_for(world.teacher)
    teacher.post(url, {"client": "kind"})
    again = teacher.get(url, follow=True)
    assert "al een casus gemaakt" in again.content.decode()
    assert Case.objects.count() == 1
