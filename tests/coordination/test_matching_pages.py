"""'Samenloop' on the pages and in the API: each professional sees only who the other is, how to
reach them and whether the family has a casusregisseur — no title, no names of the family, no
dates of birth, no signals — reads are logged with their own client, and a signal is theirs
alone."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.cases import services as case_services
from meldwijzer.coordination import matching
from meldwijzer.coordination.models import MatchSignal
from meldwijzer.organisations.models import Sector
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, coordinator, file_open, professional
from tests.coordination.test_matching_signals import BORN, CHILD, case_about, match

pytestmark = pytest.mark.django_db

FILE_TITLE = "Gezin met twee kinderen, Urk"
CASE_TITLE = "Blauwe plekken bij leerling groep 6"
FACTS = "Zichtbare plekken op beide bovenarmen."
CATEGORY = "lichamelijk"
LIST = reverse("coordination:match_list")
API_LIST = reverse("api:coordination-match-signals")


@pytest.fixture
def pair():
    """A wijkteam file with the child and its mother, and a school case about the same child."""
    lead = coordinator()
    lead.phone = "0527 111 222"
    lead.save()
    file = file_open(lead, title=FILE_TITLE)
    teacher = professional(sector=Sector.EDUCATION)
    teacher.phone = "0527 333 444"
    teacher.save()
    case = case_about(teacher, title=CASE_TITLE)
    case_services.case_record_entry(
        actor=actor_of(teacher),
        case=case,
        expected_version=case.version,
        kind="signal",
        data={"date": "2026-11-02", "category": CATEGORY, "source": "eigen", "facts": FACTS},
    )
    (signal,) = match(case)
    return {"lead": lead, "file": file, "teacher": teacher, "case": case, "signal": signal}


CONTENT = (
    FACTS,
    "Lichamelijk geweld",
    FILE_TITLE,
    CASE_TITLE,
    CHILD,
    "Ouder Testgezin",
    BORN.strftime("%d-%m-%Y"),
    BORN.isoformat(),
    "06 0000 0000",  # the mother's phone in the file
)


def _without_content(text: str) -> None:
    for secret in CONTENT:
        assert secret not in text, f"{secret!r} leaked"


def test_the_teacher_sees_the_casusregisseur_and_nothing_of_the_file(client, pair):
    force_verified_login(client, pair["teacher"])
    page = client.get(LIST).content.decode()
    lead = pair["lead"]
    assert lead.get_full_name() in page
    assert "0527 111 222" in page
    assert lead.email in page
    assert "Ja: " in page
    assert pair["case"].reference in page  # the teacher's own case, to know which one
    assert pair["file"].reference not in page
    _without_content(page)


def test_the_casusregisseur_sees_the_teacher_and_nothing_of_the_case(client, pair):
    force_verified_login(client, pair["lead"])
    page = client.get(LIST).content.decode()
    teacher = pair["teacher"]
    assert teacher.get_full_name() in page
    assert "0527 333 444" in page
    assert actor_of(teacher).organisation.name in page
    assert pair["case"].reference not in page
    _without_content(page)


def test_the_api_says_as_little_as_the_page(client, pair):
    force_verified_login(client, pair["teacher"])
    response = client.get(API_LIST)
    assert response.status_code == 200
    (body,) = response.json()
    assert body["other_name"] == pair["lead"].get_full_name()
    assert body["other_phone"] == "0527 111 222"
    assert body["coordinator_exists"] is True
    assert body["my_record_reference"] == pair["case"].reference
    _without_content(response.content.decode())
    assert set(body) == {
        "id",
        "my_record_kind",
        "my_record_reference",
        "other_name",
        "other_organisation",
        "other_phone",
        "other_email",
        "coordinator_exists",
        "coordinator",
        "seen",
        "created_at",
        "expires_at",
    }


def test_every_read_is_logged_with_the_readers_own_client(client, pair):
    force_verified_login(client, pair["lead"])
    client.get(LIST)
    row = AccessLogEntry.objects.get(user=pair["lead"], subject_type="samenloop")
    assert row.client_id == pair["file"].client_pseudonym
    assert row.subject_id == str(pair["signal"].pk)
    assert row.action == "read"


def test_the_list_takes_the_same_queries_for_one_signal_or_three(client, pair):
    teacher = pair["teacher"]
    force_verified_login(client, teacher)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for sector in (Sector.CHILDCARE, Sector.YOUTH_CARE):
        match(case_about(professional(sector=sector)))
    with CaptureQueriesContext(connection) as three:
        page = client.get(LIST).content.decode()
    assert page.count("Casusregisseur voor het gezin") == 3
    assert len(three) == len(one)


def test_marking_seen_moves_the_signal_for_that_side_only(client, pair):
    force_verified_login(client, pair["teacher"])
    response = client.post(reverse("coordination:match_seen", args=[pair["signal"].pk]))
    assert response.status_code == 302
    signal = MatchSignal.objects.get()
    seen = signal.first_seen_at if signal.first_user == pair["teacher"] else signal.second_seen_at
    other = signal.second_seen_at if signal.first_user == pair["teacher"] else signal.first_seen_at
    assert seen is not None
    assert other is None
    assert matching.unseen_count(actor=actor_of(pair["teacher"])) == 0
    assert matching.unseen_count(actor=actor_of(pair["lead"])) == 1


def test_the_worklist_tells_of_unseen_signals(client, pair):
    force_verified_login(client, pair["lead"])
    page = client.get(reverse("coordination:list")).content.decode()
    assert "U bent niet de enige die bij dit gezin betrokken is" in page
    client.post(reverse("coordination:match_seen", args=[pair["signal"].pk]))
    page = client.get(reverse("coordination:list")).content.decode()
    assert "U bent niet de enige" not in page


def test_the_case_page_and_the_file_point_to_samenloop(client, pair):
    force_verified_login(client, pair["teacher"])
    page = client.get(reverse("cases:detail", args=[pair["case"].pk])).content.decode()
    assert "Samenloop: ook een andere organisatie is betrokken" in page
    force_verified_login(client, pair["lead"])
    page = client.get(reverse("coordination:detail", args=[pair["file"].pk])).content.decode()
    assert f'href="{LIST}"' in page


def test_a_colleague_of_either_side_cannot_touch_the_signal(client, pair):
    signal = pair["signal"]
    for colleague in (
        professional(actor_of(pair["teacher"]).organisation),
        professional(actor_of(pair["lead"]).organisation),
    ):
        force_verified_login(client, colleague)
        assert client.get(LIST).content.decode().count("Casusregisseur voor het gezin") == 0
        response = client.post(reverse("coordination:match_seen", args=[signal.pk]))
        assert response.status_code == 404
        api = client.post(reverse("api:coordination-match-signal-seen", args=[signal.pk]))
        assert api.status_code == 404
        assert api.json()["error"]["code"]
        refusals = AccessLogEntry.objects.filter(
            user=colleague, outcome=AccessOutcome.DENIED, subject_type="samenloop"
        )
        assert refusals.count() == 2
    signal.refresh_from_db()
    assert signal.first_seen_at is None and signal.second_seen_at is None


def test_the_api_marks_seen(client, pair):
    force_verified_login(client, pair["lead"])
    response = client.post(reverse("api:coordination-match-signal-seen", args=[pair["signal"].pk]))
    assert response.status_code == 200
    assert response.json()["seen"] is True
    assert response.json()["other_name"] == pair["teacher"].get_full_name()


def test_a_signal_whose_registration_is_older_than_two_years_is_not_made():
    teacher = professional(sector=Sector.EDUCATION)
    old = case_about(teacher)
    old.persons.update(created_at=old.opened_at - datetime.timedelta(days=800))
    assert match(case_about(professional(sector=Sector.CHILDCARE))) == []


def test_the_case_form_says_what_matching_shares_and_what_it_does_not(client):
    force_verified_login(client, professional(sector=Sector.EDUCATION))
    page = client.get(reverse("cases:create")).content.decode()
    assert "of een andere organisatie dezelfde persoon heeft vastgelegd" in page
    assert "nooit de inhoud van het dossier" in page
