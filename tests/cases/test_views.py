"""The pages of the meldcode dossier: access, forms, concurrent edits, corrections."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.audit.models import AccessOutcome as LogOutcome
from meldwijzer.cases import services
from meldwijzer.cases.entries import ConsultationForm, ConversationSkippedForm, SignalForm
from meldwijzer.cases.models import Case, Entry, EntryKind, Person
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def _signal(**extra: str) -> dict[str, str]:
    return {
        "date": today().isoformat(),
        "category": "lichamelijk",
        "source": "eigen",
        "facts": "Blauwe plek op de bovenarm.",
        **extra,
    }


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def actor(professional):
    return actor_for_user(user=professional)


@pytest.fixture
def case(actor) -> Case:
    return services.case_open(
        actor=actor, title="Zorgen over leerling", profession="onderwijs", client="kind"
    )


@pytest.fixture
def client_of(verified):
    return verified


def _record(actor, case, form):
    return services.case_record_entry(
        actor=actor, case=case, expected_version=case.version, kind=form.kind, data=form.data
    )


def _to_weighing(actor, case):
    _record(actor, case, SignalForm(_signal()))
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONSULTATION
    )
    _record(
        actor,
        case,
        ConsultationForm(
            {
                "date": today().isoformat(),
                "consulted": "aandachtsfunctionaris",
                "advice": "Bespreek het.",
            }
        ),
    )
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONVERSATION
    )
    _record(
        actor, case, ConversationSkippedForm({"reason": "veiligheid", "explanation": "Kind bang."})
    )
    services.case_move(actor=actor, case=case, expected_version=case.version, target=Phase.WEIGHING)


def _denied(user) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome=LogOutcome.DENIED).count()


# --- lists -------------------------------------------------------------------------------------


def test_my_cases_lists_own_cases_with_a_text_badge_when_overdue(client_of, professional, case):
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - datetime.timedelta(days=30))
    response = client_of(professional).get(reverse("cases:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert case.reference in content
    assert "Te laat" in content


def test_my_cases_filters_and_ignores_bad_values(client_of, professional, case):
    client = client_of(professional)
    response = client.get(reverse("cases:list"), {"phase": Phase.WEIGHING})
    assert case.reference not in response.content.decode()
    response = client.get(
        reverse("cases:list"), {"phase": "kapot", "overdue": "misschien", "outcome": "<x>"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert case.reference in content
    assert "ongeldig en zijn genegeerd" in content


def test_my_cases_in_pages_of_50_without_a_query_per_case(
    client_of, professional, actor, django_assert_max_num_queries
):
    client = client_of(professional)
    services.case_open(actor=actor, title="Casus 0", profession="onderwijs", client="kind")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("cases:list"))
    for number in range(1, 55):
        services.case_open(
            actor=actor, title=f"Casus {number}", profession="onderwijs", client="kind"
        )
    with django_assert_max_num_queries(len(few.captured_queries) + 1):  # + the count of the pages
        first = client.get(reverse("cases:list"), {"phase": Phase.SIGNALS})
    assert first.content.decode().count(">Casus ") == 50
    assert "Pagina 1 van 2 (55 casussen)" in first.content.decode()
    assert "phase=stap_1&amp;pagina=2" in first.content.decode()
    second = client.get(reverse("cases:list"), {"phase": Phase.SIGNALS, "pagina": "2"}).content
    assert second.decode().count(">Casus ") == 5
    assert ">Casus 0<" in second.decode() and ">Casus 54<" not in second.decode()


def test_my_cases_does_not_show_a_colleagues_case(client_of, make_member, organisation, case):
    colleague = make_member(Role.PROFESSIONAL, organisation)
    response = client_of(colleague).get(reverse("cases:list"))
    assert case.reference not in response.content.decode()


def test_overview_shows_open_cases_with_consultation_requests(
    client_of, make_member, organisation, actor, case
):
    from meldwijzer.cases.entries import ConsultationRequestForm

    _record(actor, case, ConsultationRequestForm({"question": "Kijk je mee?"}))
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    response = client_of(officer).get(reverse("cases:organisation_overview"))
    content = response.content.decode()
    assert response.status_code == 200
    assert case.reference in content
    assert "Ja, vraag open" in content


def test_overview_is_refused_to_a_professional(client_of, professional):
    response = client_of(professional).get(reverse("cases:organisation_overview"))
    assert response.status_code == 403
    assert _denied(professional) == 1


# --- opening a case ----------------------------------------------------------------------------


def test_open_a_case_records_the_child_with_a_keyed_hash_for_matching(client_of, professional):
    response = client_of(professional).post(
        reverse("cases:create"),
        {
            "title": "Zorgen over kind",
            "profession": "onderwijs",
            "client": "kind",
            "name": "Sam Voorbeeld",
            "bsn": "999990019",
            "date_of_birth": "2018-05-01",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    assert case.identity_key and "999990019" not in case.identity_key
    assert case.responsible == professional
    child = Person.objects.get(case=case)
    assert (child.kind, child.name, child.bsn) == ("child", "Sam Voorbeeld", "999990019")
    assert child.identity_key == case.identity_key


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "Jan", "bsn": "123456789"}, "geen geldig BSN"),
        ({"bsn": "999990019"}, "Vul ook de naam in"),
        ({"name": "Jan", "date_of_birth": "31-02-2020"}, "geldige datum"),
        ({"name": "Jan", "date_of_birth": "2999-01-01"}, "toekomst"),
        ({"profession": "bestaat-niet"}, "geldige keuze"),
        ({"profession": ""}, "Kies uw beroepsgroep"),
        ({"client": ""}, "Kies of uw zorg over een kind of een volwassene gaat"),
    ],
)
def test_open_a_case_with_bad_input_shows_errors(client_of, professional, data, error):
    payload = {"title": "Zorgen", "profession": "algemeen", "client": "kind", **data}
    response = client_of(professional).post(reverse("cases:create"), payload)
    assert response.status_code == 200
    assert "Controleer het formulier" in response.content.decode()
    assert error in response.content.decode()
    assert not Case.objects.exists()


# --- the case page -----------------------------------------------------------------------------


def test_case_page_shows_the_step_missing_items_and_a_disabled_next_step(
    client_of, professional, case
):
    response = client_of(professional).get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in content
    assert "Wat ontbreekt voor de volgende stap" in content
    assert "Minstens één signaal vastgelegd" in content
    assert "disabled" in content
    assert reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"}) in content


CASE_PAGES = [
    ("cases:detail", {}),
    ("cases:entry_create", {"kind": "signal"}),
    ("cases:person_create", {}),
    ("cases:conversation_prepare", {}),
    ("cases:weighing", {}),
    ("cases:decide", {}),
    ("cases:close", {}),
]


@pytest.mark.parametrize(("name", "extra"), CASE_PAGES)
def test_case_pages_of_another_organisation_are_not_found_and_logged(
    client_of, make_member, other_organisation, case, name, extra
):
    stranger = make_member(Role.MELDCODE_OFFICER, other_organisation)
    url = reverse(name, kwargs={"case_id": case.pk, **extra})
    assert client_of(stranger).get(url).status_code == 404
    entry = AccessLogEntry.objects.get(user=stranger, outcome=LogOutcome.DENIED)
    assert (entry.subject_type, entry.subject_id) == ("casus", str(case.pk))


@pytest.mark.parametrize(("name", "extra"), CASE_PAGES)
def test_case_pages_of_a_colleague_are_not_found_for_a_professional(
    client_of, make_member, organisation, case, name, extra
):
    colleague = make_member(Role.PROFESSIONAL, organisation)
    url = reverse(name, kwargs={"case_id": case.pk, **extra})
    assert client_of(colleague).get(url).status_code == 404
    assert _denied(colleague) == 1


@pytest.mark.parametrize(("name", "extra"), CASE_PAGES)
def test_the_aandachtsfunctionaris_opens_a_colleagues_case(
    client_of, make_member, organisation, case, name, extra
):
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    url = reverse(name, kwargs={"case_id": case.pk, **extra})
    assert client_of(officer).get(url).status_code == 200
    assert _denied(officer) == 0


def test_unknown_entry_kind_is_not_found(client_of, professional, case):
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "weighing"})
    assert client_of(professional).get(url).status_code == 404
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "onzin"})
    assert client_of(professional).get(url).status_code == 404


def test_unknown_case_is_not_found(client_of, professional):
    url = reverse("cases:detail", kwargs={"case_id": 999999})
    assert client_of(professional).get(url).status_code == 404


# --- entries -----------------------------------------------------------------------------------


def test_record_a_signal(client_of, professional, case):
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"})
    response = client_of(professional).post(url, {**_signal(), "version": case.version})
    assert response.status_code == 302
    entry = Entry.objects.get(case=case)
    assert entry.kind == EntryKind.SIGNAL
    assert entry.data["facts"] == "Blauwe plek op de bovenarm."
    assert "version" not in entry.data
    page = client_of(professional).get(response["Location"]).content.decode()
    assert "Blauwe plek op de bovenarm." in page


def test_a_confidential_source_is_marked(client_of, professional, actor, case):
    _record(
        actor,
        case,
        SignalForm(_signal(source="derde", source_name="Buurvrouw", source_confidential="on")),
    )
    page = client_of(professional).get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert "Vertrouwelijke bron" in page.content.decode()


def test_counter_signals_are_labelled(client_of, professional, actor, case):
    from meldwijzer.cases.entries import CounterSignalForm

    _record(
        actor,
        case,
        CounterSignalForm(
            {"date": today().isoformat(), "source": "ouder", "facts": "Viel van de fiets."}
        ),
    )
    page = client_of(professional).get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    content = page.content.decode()
    assert "Contra-indicatie" in content
    assert "Viel van de fiets." in content


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"date": "2999-01-01"}, "toekomst"),
        ({"date": "gisteren"}, "geldige datum"),
        ({"category": "verzonnen"}, "Soort signaal"),
    ],
)
def test_bad_entry_input_shows_form_errors(client_of, professional, case, data, error):
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"})
    response = client_of(professional).post(url, {**_signal(**data), "version": case.version})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("version", "status"),
    [("", 400), ("abc", 400), ("-1", 400), ("99999999999999999999999", 409)],
)
def test_missing_or_bad_version_is_a_clear_error(client_of, professional, case, version, status):
    """A malformed version is a bad request; a version that is not the case's is a conflict."""
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"})
    response = client_of(professional).post(url, {**_signal(), "version": version})
    assert response.status_code == status
    assert not Entry.objects.exists()


def test_stale_version_is_refused_with_409_and_nothing_written(
    client_of, professional, actor, case
):
    stale = case.version
    _record(actor, case, SignalForm(_signal(facts="Eerste signaal.")))  # someone else, meanwhile
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"})
    response = client_of(professional).post(
        url, {**_signal(facts="Mijn signaal."), "version": stale}
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft deze casus intussen gewijzigd" in content
    assert "Mijn signaal." in content  # the form is kept
    assert Entry.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert f'name="version" value="{case.version}"' in content


def test_a_correction_shows_both_the_original_and_the_correction(
    client_of, professional, actor, case
):
    original = _record(actor, case, SignalForm(_signal(facts="Blauwe plek links.")))
    client = client_of(professional)
    url = reverse("cases:entry_correct", kwargs={"case_id": case.pk, "entry_id": original.pk})
    form_page = client.get(url).content.decode()
    assert "Blauwe plek links." in form_page  # pre-filled
    case.refresh_from_db()
    response = client.post(url, {**_signal(facts="Blauwe plek rechts."), "version": case.version})
    assert response.status_code == 302
    correction = Entry.objects.get(corrects=original)
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    # The case page shows the entry once, as it stands now; the history holds both versions.
    assert "Blauwe plek links." not in page
    assert "Blauwe plek rechts." in page
    original_at = timezone.localtime(original.created_at).strftime("%d-%m-%Y %H:%M")
    assert f"Correctie van de regel van {original_at}." in page
    history_url = reverse("cases:history", kwargs={"case_id": case.pk})
    assert f"{history_url}#regel-{original.pk}-h" in page
    history = client.get(history_url).content.decode()
    assert "Blauwe plek links." in history
    assert "Blauwe plek rechts." in history
    corrected_at = timezone.localtime(correction.created_at).strftime("%d-%m-%Y %H:%M")
    author = professional.get_full_name() or professional.username
    assert f"Gecorrigeerd op {corrected_at} door {author}." in history
    # Only the correction can be corrected again.
    again = client.get(url)
    assert again.status_code == 302
    assert correction.pk


def test_correcting_an_entry_of_another_case_is_not_found(client_of, professional, actor, case):
    other = services.case_open(actor=actor, title="Ander", profession="algemeen", client="kind")
    entry = _record(actor, other, SignalForm(_signal()))
    url = reverse("cases:entry_correct", kwargs={"case_id": case.pk, "entry_id": entry.pk})
    assert client_of(professional).get(url).status_code == 404


# --- people ------------------------------------------------------------------------------------


def test_add_and_replace_a_person(client_of, professional, case):
    client = client_of(professional)
    response = client.post(
        reverse("cases:person_create", kwargs={"case_id": case.pk}),
        {"kind": "child", "name": "Kind A", "age": "7", "version": case.version},
    )
    assert response.status_code == 302
    person = Person.objects.get()
    case.refresh_from_db()
    url = reverse("cases:person_replace", kwargs={"case_id": case.pk, "person_id": person.pk})
    assert "Kind A" in client.get(url).content.decode()
    response = client.post(
        url, {"kind": "child", "name": "Kind B", "age": "8", "version": case.version}
    )
    assert response.status_code == 302
    assert Person.objects.get(replaces=person).name == "Kind B"
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Kind B" in page
    assert client.get(url).status_code == 404  # the old version can no longer be replaced


# --- conversation, weighing, deciding, moving --------------------------------------------------


def test_conversation_preparation(client_of, professional, case):
    response = client_of(professional).get(
        reverse("cases:conversation_prepare", kwargs={"case_id": case.pk})
    )
    content = response.content.decode()
    assert "Luister eerst" in content
    assert "persoonlijk" in content
    assert "face to face" not in content
    assert "Er zijn goede redenen om aan te nemen dat de cliënt door het gesprek" in content
    assert "zal het contact" not in content
    # Reporting is the professional's decision, not one taken together with the parents.
    assert "Of u meldt bij Veilig Thuis, beslist u zelf" in content


def test_move_forward_and_back(client_of, professional, actor, case):
    client = client_of(professional)
    url = reverse("cases:move", kwargs={"case_id": case.pk})
    response = client.post(url, {"target": Phase.CONSULTATION, "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.SIGNALS  # nothing recorded yet
    _record(actor, case, SignalForm(_signal()))
    client.post(url, {"target": Phase.CONSULTATION, "version": case.version})
    case.refresh_from_db()
    assert case.phase == Phase.CONSULTATION
    response = client.post(url, {"target": Phase.SIGNALS, "version": case.version, "reason": ""})
    case.refresh_from_db()
    assert case.phase == Phase.CONSULTATION
    assert "Geef aan waarom" in client.get(response["Location"]).content.decode()
    client.post(url, {"target": Phase.SIGNALS, "version": case.version, "reason": "Nieuw signaal"})
    case.refresh_from_db()
    assert case.phase == Phase.SIGNALS


def test_move_with_a_stale_version_is_refused_with_409(client_of, professional, actor, case):
    stale = case.version
    _record(actor, case, SignalForm(_signal()))
    response = client_of(professional).post(
        reverse("cases:move", kwargs={"case_id": case.pk}),
        {"target": Phase.CONSULTATION, "version": stale},
    )
    assert response.status_code == 409
    assert "Iemand anders heeft deze casus intussen gewijzigd" in response.content.decode()
    case.refresh_from_db()
    assert case.phase == Phase.SIGNALS


def test_move_refuses_get(client_of, professional, case):
    url = reverse("cases:move", kwargs={"case_id": case.pk})
    assert client_of(professional).get(url).status_code == 405


def test_weighing_then_decide_to_report(client_of, professional, actor, case):
    _to_weighing(actor, case)
    client = client_of(professional)
    url = reverse("cases:weighing", kwargs={"case_id": case.pk})
    page = client.get(url).content.decode()
    assert "Professionele norm" in page
    assert "vertrouwensinspecteur" in page  # the extra rule for education
    assert "Acute onveiligheid" in page
    case.refresh_from_db()
    data = {"question": "afweging_1", "answer": "ja", "reasoning": "Vermoeden.", "version": 0}
    data["version"] = case.version
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    page = client.get(url).content.decode()
    assert "Is er sprake van acute en/of structurele onveiligheid?" in page
    assert "Vermoeden." in page
    response = client.post(
        url,
        {
            "question": "afweging_2",
            "answer": "ja",
            "kinds": ["acuut", "structureel"],
            "reasoning": "Herhaald.",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Melden bij Veilig Thuis" in page
    assert reverse("cases:decide", kwargs={"case_id": case.pk}) in page

    decide = reverse("cases:decide", kwargs={"case_id": case.pk})
    page = client.get(decide).content.decode()
    assert "U beslist, niet Meldwijzer" in page
    case.refresh_from_db()
    response = client.post(decide, {"outcome": "close", "version": case.version})
    assert response.status_code == 400
    assert "wijkt af" in response.content.decode()
    # Nobody identified yet: the page asks why, and refuses a report without a reason.
    assert "Waarom kunt u het kind of de cliënt niet identificeren?" in page
    response = client.post(decide, {"outcome": "report", "version": case.version})
    assert response.status_code == 400
    assert "over wie de melding gaat" in response.content.decode()
    assert Case.objects.get(pk=case.pk).phase == Phase.WEIGHING
    person = reverse("cases:person_create", kwargs={"case_id": case.pk})
    response = client.post(
        person,
        {"kind": "child", "name": "Sam Voorbeeld", "date_of_birth": "2018-05-01",
         "version": case.version},
    )  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    page = client.get(decide).content.decode()
    assert "niet identificeren" not in page
    response = client.post(decide, {"outcome": "report", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.REPORTED
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert reverse("cases:report_print", kwargs={"case_id": case.pk}) in page

    close = reverse("cases:close", kwargs={"case_id": case.pk})
    response = client.post(close, {"reason": "Veilig Thuis neemt over.", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED


def test_weighing_refuses_a_question_out_of_turn(client_of, professional, actor, case):
    _to_weighing(actor, case)
    case.refresh_from_db()
    response = client_of(professional).post(
        reverse("cases:weighing", kwargs={"case_id": case.pk}),
        {"question": "afweging_4", "answer": "ja", "reasoning": "x", "version": case.version},
    )
    assert response.status_code == 200
    assert not Entry.objects.filter(case=case, kind=EntryKind.WEIGHING).exists()


def test_weighing_with_a_stale_version_is_refused(client_of, professional, actor, case):
    _to_weighing(actor, case)
    case.refresh_from_db()
    response = client_of(professional).post(
        reverse("cases:weighing", kwargs={"case_id": case.pk}),
        {"question": "afweging_1", "answer": "ja", "reasoning": "x", "version": case.version - 1},
    )
    assert response.status_code == 409
    assert not Entry.objects.filter(case=case, kind=EntryKind.WEIGHING).exists()


def test_help_with_review_date_and_the_review_alert(client_of, professional, actor, case):
    _to_weighing(actor, case)
    for question, answer in (("afweging_1", "ja"), ("afweging_2", "nee")):
        services.case_record_weighing(
            actor=actor,
            case=case,
            expected_version=case.version,
            question=question,
            answer=answer,
            reasoning="r",
        )
    services.case_move(actor=actor, case=case, expected_version=case.version, target=Phase.DECIDING)
    for question in ("afweging_3", "afweging_4"):
        services.case_record_weighing(
            actor=actor,
            case=case,
            expected_version=case.version,
            question=question,
            answer="ja",
            reasoning="r",
        )
    client = client_of(professional)
    decide = reverse("cases:decide", kwargs={"case_id": case.pk})
    response = client.post(decide, {"outcome": "help", "version": case.version})
    assert response.status_code == 200
    assert "Kies een evaluatiedatum" in response.content.decode()
    review = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        decide,
        {
            "outcome": "help",
            "agreements": "Wekelijks contact.",
            "review_date": review,
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == Phase.HELP
    detail = reverse("cases:detail", kwargs={"case_id": case.pk})
    assert "De evaluatiedatum is bereikt" not in client.get(detail).content.decode()
    Case.objects.filter(pk=case.pk).update(review_date=timezone.localdate())
    assert "De evaluatiedatum is bereikt" in client.get(detail).content.decode()
    page = client.get(reverse("cases:weighing", kwargs={"case_id": case.pk})).content.decode()
    assert "Leidt de hulp binnen de gewenste tijd" in page
