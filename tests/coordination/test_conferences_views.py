"""The conference pages and API as a participant sees them: a pseudonymised item shows nothing that
identifies the family — no name, date of birth, phone number, file reference or title — in the
HTML or the API, until the participant confirms involvement (logged); the uninvited get a logged
404; decisions reach the file; forms refuse bad input without changing anything."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.coordination import conferences
from meldwijzer.coordination.models import (
    Agreement,
    Conference,
    ConferenceItem,
    ConferenceKind,
    InvolvementConfirmation,
    Presentation,
)
from meldwijzer.demo import demo_load
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, coordinator, professional
from tests.coordination.conference_builders import (
    DATES_OF_BIRTH,
    NAMES,
    PHONES,
    date_forms,
    meeting,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _login(client, user):
    force_verified_login(client, user)
    return client


def _detail(m):
    return reverse("coordination:conference_detail", kwargs={"conference_id": m.conference.pk})


def _api(m, suffix=""):
    return f"/api/v1/coordination/conferences/{m.conference.pk}/{suffix}"


def _identifying(m) -> list[str]:
    values = [*NAMES, *PHONES, m.file.reference, m.file.title]
    for day in DATES_OF_BIRTH:
        values.extend(date_forms(day))
    return values


def _assert_nothing_identifying(m, text: str) -> None:
    found = [value for value in _identifying(m) if value.casefold() in text.casefold()]
    assert not found, f"identifying data in the page: {found}"


def test_a_pseudonymised_item_shows_nothing_identifying_in_the_page_or_the_api(client):
    m = meeting()
    _login(client, m.doctor)
    page = client.get(_detail(m))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kind (4–11 jaar)" in html and "Kind (0–3 jaar)" in html
    assert "Ouder of verzorger (18+ jaar)" in html
    _assert_nothing_identifying(m, html)
    for url in (_api(m), _api(m, "items/")):
        response = client.get(url)
        assert response.status_code == 200
        _assert_nothing_identifying(m, json.dumps(response.json(), ensure_ascii=False))
    # The list, too.
    _assert_nothing_identifying(m, client.get(reverse("coordination:conferences")).content.decode())
    _assert_nothing_identifying(
        m, json.dumps(client.get("/api/v1/coordination/conferences/").json())
    )


def test_the_leak_check_itself_finds_the_identity_when_it_is_shown(client):
    """The check above would catch a leak: with consent, the same page shows the names."""
    m = meeting(Presentation.CONSENT)
    _login(client, m.doctor)
    html = client.get(_detail(m)).content.decode()
    assert "Sem Verhoeven" in html and m.file.reference in html and "14-03-2017" in html
    with pytest.raises(AssertionError):
        _assert_nothing_identifying(m, html)


def test_confirming_involvement_on_the_page_reveals_the_identity_logged(client):
    m = meeting()
    _login(client, m.teacher)
    confirm = reverse(
        "coordination:conference_item_confirm",
        kwargs={"conference_id": m.conference.pk, "item_id": m.item.pk},
    )
    assert client.get(confirm).status_code == 200
    empty = client.post(confirm, {"statement": ""})
    assert empty.status_code == 200
    assert "Beschrijf hoe u bij dit gezin betrokken bent." in empty.content.decode()
    assert not InvolvementConfirmation.objects.exists()
    response = client.post(confirm, {"statement": "Ik ben de leerkracht van het oudste kind."})
    assert response.status_code == 302
    html = client.get(_detail(m)).content.decode()
    assert "Sem Verhoeven" in html and m.file.reference in html
    assert "06 1234 5678" not in html  # identity, not contact details
    read = AccessLogEntry.objects.filter(user=m.teacher, subject_type="overlegpunt").latest("id")
    assert (read.part, read.client_id) == ("identiteit", m.file.client_pseudonym)
    body = client.get(_api(m)).json()
    assert body["items"][0]["identified"] is True
    assert "Sem Verhoeven" in [member["name"] for member in body["items"][0]["named"]]
    # Another participant still sees no names.
    other = _login(type(client)(), m.doctor)
    _assert_nothing_identifying(m, other.get(_detail(m)).content.decode())


def test_confirming_through_the_api(client):
    m = meeting()
    _login(client, m.doctor)
    url = _api(m, f"items/{m.item.pk}/confirm/")
    refused = client.post(url, {"statement": ""}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["statement"]
    response = client.post(
        url, {"statement": "Huisarts van moeder"}, content_type="application/json"
    )
    assert response.status_code == 201
    again = client.post(url, {"statement": "Huisarts"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["message"] == "U hebt uw betrokkenheid al bevestigd."


def test_someone_not_invited_gets_a_logged_404_on_the_page_and_the_api(client):
    m = meeting()
    _login(client, m.outsider)
    assert client.get(_detail(m)).status_code == 404
    assert client.get(_api(m)).status_code == 404
    confirm = _api(m, f"items/{m.item.pk}/confirm/")
    assert (
        client.post(confirm, {"statement": "x"}, content_type="application/json").status_code == 404
    )
    refusals = AccessLogEntry.objects.filter(user=m.outsider, outcome=AccessOutcome.DENIED)
    assert refusals.count() == 3
    assert not InvolvementConfirmation.objects.exists()


def test_a_team_colleague_who_is_not_invited_does_not_see_the_conference(client):
    m = meeting()
    stranger_in_team = professional(actor_of(m.chair).organisation)
    _login(client, stranger_in_team)
    assert client.get(_detail(m)).status_code == 404


def test_the_chair_records_decisions_that_appear_in_the_file(client):
    m = meeting()
    _login(client, m.chair)
    url = reverse(
        "coordination:conference_item_decide",
        kwargs={"conference_id": m.conference.pk, "item_id": m.item.pk},
    )
    assert client.get(url).status_code == 200
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    named = client.post(url, {"decisions": "Linda krijgt een vast aanspreekpunt."})
    assert named.status_code == 200
    assert "de naam ‘Linda’" in named.content.decode()
    m.item.refresh_from_db()
    assert m.item.decisions == ""
    response = client.post(
        url,
        {
            "decisions": "De wijkcoach gaat wekelijks langs.",
            "agreement_what": "Wekelijks huisbezoek",
            "agreement_party": "professional",
            "agreement_owner": str(m.colleague.pk),
            "agreement_due_date": due,
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(conference_item=m.item)
    assert agreement.file == m.file and agreement.owner == m.colleague
    overview = client.get(reverse("coordination:detail", kwargs={"file_id": m.file.pk}))
    html = overview.content.decode()
    assert "Besproken in een overleg" in html
    assert "De wijkcoach gaat wekelijks langs." in html
    assert "Wekelijks huisbezoek" in html


def test_a_participant_may_not_record_decisions(client):
    m = meeting()
    _login(client, m.doctor)
    url = _api(m, f"items/{m.item.pk}/decisions/")
    response = client.post(url, {"decisions": "Ja"}, content_type="application/json")
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(user=m.doctor, outcome=AccessOutcome.DENIED).exists()


def test_the_api_refuses_identifying_text_field_by_field(client):
    m = meeting()
    _login(client, m.chair)
    response = client.post(
        _api(m, f"items/{m.item.pk}/decisions/"),
        {"decisions": "Bel oma op 0527-123456"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "telefoonnummer" in error["fields"]["decisions"][0]


def test_planning_on_the_page_with_bad_input_changes_nothing(client):
    lead = coordinator()
    _login(client, lead)
    url = reverse("coordination:conference_new")
    assert client.get(url).status_code == 200
    before = Conference.objects.count()
    response = client.post(url, {"kind": "interventieoverleg", "title": "", "date": "morgen"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Geef het overleg een titel." in html and "Vul een geldige datum in" in html
    response = client.post(
        url,
        {
            "kind": "interventieoverleg",
            "title": "Overleg",
            "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "time": "10:00",
            "participants": "onbekend@example.invalid",
        },
    )
    assert "Geen professional op Meldwijzer gevonden" in response.content.decode()
    assert Conference.objects.count() == before
    teacher = professional()
    response = client.post(
        url,
        {
            "kind": "interventieoverleg",
            "title": "Overleg",
            "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "time": "10:00",
            "participants": teacher.email,
        },
    )
    assert response.status_code == 302
    assert Conference.objects.count() == before + 1


def test_putting_a_file_on_the_agenda_on_the_page(client):
    m = meeting()
    ConferenceItem.objects.all().delete()
    _login(client, m.chair)
    url = reverse("coordination:conference_item_new", kwargs={"conference_id": m.conference.pk})
    page = client.get(url)
    assert m.file.reference in page.content.decode()  # the chair leads it
    refused = client.post(
        url,
        {
            "file": m.file.pk,
            "presentation": "gepseudonimiseerd",
            "question": "Wat doen we?",
            "summary": "Sem is vaak ziek sinds 14 maart.",
        },
    )
    text = refused.content.decode()
    assert "de naam ‘Sem’" in text and "een datum (14 maart)" in text
    assert not ConferenceItem.objects.exists()
    done = client.post(
        url,
        {
            "file": m.file.pk,
            "presentation": "gepseudonimiseerd",
            "question": "Wat doen we?",
            "summary": "Het oudste kind is vaak ziek.",
        },
    )
    assert done.status_code == 302
    assert ConferenceItem.objects.count() == 1


def test_the_signaaloverleg_page_has_topics_and_a_place_for_the_datalab(client):
    lead = coordinator()
    conference = conferences.conference_create(
        actor=actor_of(lead),
        kind=ConferenceKind.SIGNALS,
        title="Signaaloverleg januari",
        starts_at=timezone.now(),
        topics="Hermeldingen in 8302",
    )
    _login(client, lead)
    html = client.get(
        reverse("coordination:conference_detail", kwargs={"conference_id": conference.pk})
    ).content.decode()
    assert "Hermeldingen in 8302" in html
    assert 'id="cijfers-datalab"' in html and "Cijfers uit het datalab" in html
    assert "Een gezin op de agenda zetten" not in html


def test_the_list_page_does_not_query_per_row(client):
    lead = coordinator()
    _login(client, lead)
    url = reverse("coordination:conferences")

    def plan():
        conferences.conference_create(
            actor=actor_of(lead),
            kind=ConferenceKind.INTERVENTION,
            title="Overleg",
            starts_at=timezone.now(),
            participant_emails=[professional().email],
        )

    plan()
    client.get(url)  # the first request after logging in renews the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        plan()
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).content.decode().count("Overleg</a>") == 5
    assert len(five) == len(one)


def test_a_professional_may_not_plan(client):
    user = MembershipFactory().user
    _login(client, user)
    assert client.get(reverse("coordination:conference_new")).status_code == 403
    response = client.post(
        "/api/v1/coordination/conferences/",
        {"kind": "signaaloverleg", "title": "x", "starts_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Conference.objects.exists()


@pytest.mark.demo
def test_the_demo_loads_its_conferences_once():
    demo_load()
    demo_load()
    intervention = Conference.objects.get(kind=ConferenceKind.INTERVENTION)
    assert Conference.objects.filter(kind=ConferenceKind.SIGNALS).count() == 1
    items = list(intervention.items.order_by("position"))
    assert [item.presentation for item in items] == [
        Presentation.PSEUDONYMISED,
        Presentation.CONSENT,
    ]
    assert items[0].confirmations.count() == 1
    assert Agreement.objects.filter(conference_item__in=items).count() == 3
    assert intervention.participants.values("organisation").distinct().count() >= 4


def test_my_files_page_shows_coming_conferences(client):
    m = meeting()
    _login(client, m.doctor)
    html = client.get(reverse("coordination:list")).content.decode()
    assert "Interventieoverleg december" in html
    assert reverse("coordination:conferences") in html


def test_who_confirmed_and_who_keeps_an_agreement_stay_hidden_without_the_identity(client):
    """The teacher's name would tell which school the child attends."""
    m = meeting()
    conferences.involvement_confirm(
        actor=actor_of(m.teacher),
        access=conferences.conference_access(actor_of(m.teacher), m.conference),
        item=m.item,
        statement="Leerkracht",
    )
    conferences.item_decide(
        actor=actor_of(m.chair),
        access=conferences.conference_access(actor_of(m.chair), m.conference),
        item=m.item,
        decisions="Besloten.",
        agreements=[
            conferences.AgreementData(
                what="Verzuim doorgeven",
                party="professional",
                owner=m.teacher,
                due_date=timezone.localdate() + datetime.timedelta(days=5),
            )
        ],
    )
    teacher_name = m.teacher.get_full_name()
    _login(client, m.doctor)
    html = client.get(_detail(m)).content.decode()
    api = json.dumps(client.get(_api(m)).json(), ensure_ascii=False)
    assert "Verzuim doorgeven" in html and "Verzuim doorgeven" in api
    for text in (html.split('id="kop-agenda"')[1], api.split('"items"')[1]):
        assert teacher_name not in text
        assert m.teacher.email not in text


def test_a_chair_outside_the_files_team_is_not_shown_the_team(client):
    m = meeting()
    officer = MembershipFactory(role="meldcode_officer").user
    conference = conferences.conference_create(
        actor=actor_of(officer),
        kind=ConferenceKind.INTERVENTION,
        title="Overleg van de aandachtsfunctionaris",
        starts_at=timezone.now(),
        participant_emails=[m.chair.email],
    )
    item = conferences.conference_item_add(
        actor=actor_of(m.chair),
        access=conferences.conference_access(actor_of(m.chair), conference),
        file_id=m.file.pk,
        question="Wat is nodig?",
        summary="Het oudste kind is vaak ziek.",
        presentation=Presentation.PSEUDONYMISED,
    )
    _login(client, officer)
    url = reverse(
        "coordination:conference_item_decide",
        kwargs={"conference_id": conference.pk, "item_id": item.pk},
    )
    html = client.get(url).content.decode()
    assert "de casusregisseur legt de afspraken vast" in html
    assert m.teacher.get_full_name() not in html and m.colleague.get_full_name() not in html
    assert client.post(url, {"decisions": "Besproken."}).status_code == 302


def test_the_meeting_place_may_be_an_office_address(client):
    """The screening is for the family's details, not the organiser's office."""
    lead = coordinator()
    conference = conferences.conference_create(
        actor=actor_of(lead),
        kind=ConferenceKind.INTERVENTION,
        title="Overleg 12-01",
        starts_at=timezone.now(),
        place="Wijkcentrum, Kerkstraat 12",
    )
    assert conference.place == "Wijkcentrum, Kerkstraat 12"
