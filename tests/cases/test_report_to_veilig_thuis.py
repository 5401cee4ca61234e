"""The report Veilig Thuis can act on: who it is about, how urgent, the report act and the feedback,
direct melden, and the justification in the report."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.cases import services
from meldwijzer.cases.entries import ReportFeedbackForm, ReportForm, SignalForm
from meldwijzer.cases.models import Case, Entry, EntryKind, Outcome, Person, PhaseChange
from meldwijzer.cases.report import case_report
from meldwijzer.cases.report_pdf import report_pdf_document
from meldwijzer.cases.selectors import case_list, case_urgency
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, reported_case, weigh_unsafe, weighing_case

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def actor(professional):
    return actor_for_user(user=professional)


def _open(actor, client: str = "kind") -> Case:
    return services.case_open(actor=actor, title="Zorgen", profession="algemeen", client=client)


def _signal(actor, case: Case) -> Entry:
    return record(actor, case, SignalForm, {
        "date": today().isoformat(), "category": "seksueel", "source": "kind",
        "facts": "Het kind vertelt dat een volwassene thuis aan haar zit.",
    })  # fmt: skip


def _person(actor, case: Case, **fields) -> Person:
    return services.case_record_person(
        actor=actor, case=case, expected_version=case.version, **fields
    )


def _report_act(informed: str = "ja", **extra) -> ReportForm:
    return ReportForm({
        "date": today().isoformat(), "time": "09:15", "channel": "telefoon",
        "veilig_thuis": "Veilig Thuis Flevoland", "contact": "mevrouw Bakker",
        "vt_reference": "VTF-123", "informed": informed, **extra,
    })  # fmt: skip


# --- Who the report is about --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "identified"),
    [
        ({"kind": "child", "name": "Sam"}, False),
        ({"kind": "child", "name": "Sam", "date_of_birth": datetime.date(2018, 1, 2)}, True),
        ({"kind": "child", "name": "Sam", "bsn": "999990019"}, True),
        ({"kind": "client", "name": "Anna", "street_address": "Proefweg 1", "place": "Urk"}, True),
        ({"kind": "child", "name": "Sam", "street_address": "Proefweg 1"}, False),
        # A parent with all details does not identify the child the report is about.
        ({"kind": "parent", "name": "Ria", "bsn": "999990019"}, False),
    ],
)
def test_reporting_needs_an_identified_child_or_client_or_a_reason(actor, fields, identified):
    case = weighing_case(actor)
    Person.objects.filter(case=case).update(date_of_birth=None, bsn="", street_address="")
    case.refresh_from_db()
    _person(actor, case, **fields)
    weigh_unsafe(actor, case)
    before = (Entry.objects.count(), PhaseChange.objects.count())
    if not identified:
        with pytest.raises(services.CaseError, match="over wie de melding gaat"):
            services.case_decide(
                actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT,
                unidentified_reason="   ",
            )  # fmt: skip
        assert (Entry.objects.count(), PhaseChange.objects.count()) == before
        assert Case.objects.get(pk=case.pk).phase == Phase.WEIGHING
    entry = services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT,
        unidentified_reason="" if identified else "Alleen de voornaam is bekend.",
    )  # fmt: skip
    assert entry.data["unidentified_reason"] == (
        "" if identified else "Alleen de voornaam is bekend."
    )


def test_an_invalid_bsn_is_refused_by_the_service_and_the_page(actor, verified, professional):
    case = _open(actor)
    with pytest.raises(services.CaseError, match="geen geldig BSN"):
        _person(actor, case, kind="child", name="Sam", bsn="123456789")
    assert not Person.objects.exists()
    response = verified(professional).post(
        reverse("cases:person_create", kwargs={"case_id": case.pk}),
        {"kind": "child", "name": "Sam", "bsn": "123456789", "version": case.version},
    )
    assert response.status_code == 200
    assert "geen geldig BSN" in response.content.decode()
    assert not Person.objects.exists()


def test_the_bsn_is_masked_on_the_case_page_and_shown_on_a_logged_request(
    actor, verified, professional
):
    case = _open(actor)
    person = _person(actor, case, kind="child", name="Sam Voorbeeld", bsn="999990019")
    client = verified(professional)
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "999990019" not in page
    assert "•••••0019" in page
    url = reverse("cases:person_bsn", kwargs={"case_id": case.pk, "person_id": person.pk})
    shown = client.get(url)
    assert shown.status_code == 200
    assert "999990019" in shown.content.decode()
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.action, row.subject_id, row.part) == (Action.READ, str(case.pk), "bsn")


def test_the_report_identifies_child_parents_and_address(actor):
    case = reported_case(actor)
    report = case_report(actor=actor, case_id=case.pk, action=Action.EXPORT)
    child = report["persons"][0]
    assert child["bsn"] == "999990019"  # where it is needed, in full
    html = report_pdf_html(report)
    for text in ("Kind Voorbeeld", "999990019", "Verzonnenlaan 4", "8302 ZZ Emmeloord",
                 "Ouder Voorbeeld", "Heeft gezag", "06-00000000"):  # fmt: skip
        assert text in html, text


def report_pdf_html(report) -> str:
    """The document the PDF is laid out from (what Veilig Thuis reads), as one line of text."""
    report_pdf_document(report)  # it lays out without errors
    html = render_to_string("cases/report/report_pdf.html", {"report": report})
    return " ".join(html.split())


# --- How urgent: afweging 2 -----------------------------------------------------------------------


def test_afweging_2_records_acute_and_structural_apart(actor):
    case = weighing_case(actor)
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_1",
        answer="ja", reasoning="Vermoeden.",
    )  # fmt: skip
    for kinds, answer, message in (
        ([], "ja", "acute onveiligheid en/of structurele onveiligheid"),
        (["acuut"], "nee", "Bij ‘nee’ kiest u geen soort"),
        (["morgen"], "ja", "Onbekende soort"),
    ):
        with pytest.raises(services.CaseError, match=message):
            services.case_record_weighing(
                actor=actor, case=case, expected_version=case.version, question="afweging_2",
                answer=answer, reasoning="Toelichting.", kinds=kinds,
            )  # fmt: skip
    assert case_urgency(case) == frozenset()
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_2",
        answer="ja", reasoning="Onthulling en herhaling.", kinds=["structureel", "acuut"],
    )  # fmt: skip
    assert case_urgency(case) == {"acuut", "structureel"}
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_2",
        answer="nee", reasoning="Toch niet.",
    )  # fmt: skip
    assert case_urgency(case) == {"geen"}


def test_the_case_list_shows_urgency_with_a_fixed_number_of_queries(
    actor, django_assert_num_queries
):
    first = weighing_case(actor, "Eerste")
    weigh_unsafe(actor, first, kinds=("acuut",))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            cases = case_list(actor=actor)
        assert {case.title: case.urgency for case in cases}["Eerste"] == {"acuut"}
        return len(queries)

    one = count()
    for number in range(4):
        other = weighing_case(actor, f"Nog een {number}")
        weigh_unsafe(actor, other)
    assert count() == one


# --- Direct melden --------------------------------------------------------------------------------


def test_report_now_from_step_1_records_what_is_missing(actor):
    case = _open(actor)
    _signal(actor, case)
    _person(actor, case, kind="child", name="Lisa", date_of_birth=datetime.date(2015, 5, 5))
    with pytest.raises(services.CaseError, match="acute gevaar"):
        services.case_report_now(actor=actor, case=case, expected_version=case.version, danger="  ")
    assert Case.objects.get(pk=case.pk).phase == Phase.SIGNALS
    entry = services.case_report_now(
        actor=actor, case=case, expected_version=case.version,
        danger="Lisa gaat vanmiddag weer naar huis.",
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.phase, case.outcome) == (Phase.REPORTED, Outcome.REPORT)
    assert entry.data["fast_path"] is True
    assert entry.data["urgency"] == ["acuut"]
    assert entry.data["skipped_steps"] == [2, 3, 4]
    assert entry.data["missing"] == [
        "Stap 2: Een collegiale consultatie vastgelegd",
        "Stap 3: Het gesprek vastgelegd, of met een wettelijke reden overgeslagen",
        "Stap 4: Afweging 1 beantwoord",
        "Stap 4: Afweging 2 beantwoord (als er een vermoeden is)",
    ]
    assert case_urgency(case) == {"acuut"}
    report = case_report(actor=actor, case_id=case.pk, action=Action.PRINT)
    assert report["decision"]["fast_path"] is True
    assert report["urgency"] == [{"code": "acuut", "label": "Acute onveiligheid"}]
    assert report["decision"]["justification"] == "Lisa gaat vanmiddag weer naar huis."


def test_report_now_needs_identification_and_an_open_phase(actor):
    case = _open(actor)
    _signal(actor, case)
    with pytest.raises(services.CaseError, match="over wie de melding gaat"):
        services.case_report_now(
            actor=actor, case=case, expected_version=case.version, danger="Gevaar."
        )
    services.case_report_now(
        actor=actor, case=case, expected_version=case.version, danger="Gevaar.",
        structural=True, unidentified_reason="Het kind noemde alleen een voornaam.",
    )  # fmt: skip
    assert case_urgency(case) == {"acuut", "structureel"}
    with pytest.raises(services.CaseError, match="Direct melden kan"):
        services.case_report_now(
            actor=actor, case=case, expected_version=case.version, danger="Opnieuw."
        )


def test_the_report_now_page_calls_112_first_and_reports(actor, verified, professional):
    case = _open(actor)
    _signal(actor, case)
    _person(actor, case, kind="child", name="Lisa", date_of_birth=datetime.date(2015, 5, 5))
    client = verified(professional)
    url = reverse("cases:report_now", kwargs={"case_id": case.pk})
    page = client.get(url).content.decode()
    assert "Is iemand nu in gevaar? Bel eerst" in page
    assert "tel:112" in page
    assert "Stap 2: Een collegiale consultatie vastgelegd" in page  # shown as missing
    response = client.post(url, {"danger": "", "version": case.version})
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).phase == Phase.SIGNALS
    response = client.post(url, {"danger": "Acuut gevaar thuis.", "version": case.version})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).phase == Phase.REPORTED
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    # Steps 2 to 4 were not done: the step indicator says so, and the decision names them.
    assert page.count("(niet gedaan)") == 3
    assert "Nog niet gedaan (direct gemeld)" in page
    assert "Acute onveiligheid" in page
    for raw in ("fast_path", "skipped_steps", ">missing<", ">urgency<"):
        assert raw not in page


# --- The report act and what comes back ---------------------------------------------------------


def test_the_report_act_is_recorded_only_after_deciding_to_report(actor):
    case = weighing_case(actor)
    with pytest.raises(services.CaseError, match="nadat u hebt besloten te melden"):
        services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=case.version,
            kind="report",
            data=_report_act().data,
        )
    weigh_unsafe(actor, case)
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT
    )
    feedback = ReportFeedbackForm({"date": today().isoformat(), "action": "onderzoek"})
    with pytest.raises(services.CaseError, match="Leg eerst de melding zelf vast"):
        services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=case.version,
            kind=feedback.kind,
            data=feedback.data,
        )
    services.case_record_entry(
        actor=actor,
        case=case,
        expected_version=case.version,
        kind="report",
        data=_report_act().data,
    )
    services.case_record_entry(
        actor=actor, case=case, expected_version=case.version,
        kind=ReportFeedbackForm.kind, data={"date": today().isoformat(), "action": "onderzoek", "vt_reference": "VTF-9"},
    )  # fmt: skip
    assert set(case.entries.values_list("kind", flat=True)) >= {
        EntryKind.REPORT,
        EntryKind.REPORT_FEEDBACK,
    }


def test_not_telling_the_family_needs_a_reason_and_an_explanation():
    form = _report_act(informed="nee")
    assert not form.is_valid()
    assert set(form.errors) == {"not_informed_reason", "not_informed_explanation"}
    form = _report_act(
        informed="nee", not_informed_reason="veiligheid", not_informed_explanation="Gevaar."
    )
    assert form.is_valid(), form.errors
    assert not _report_act(informed="").is_valid()  # no default: the reporter answers


def test_the_report_says_when_how_and_whether_the_parents_knew(actor):
    case = reported_case(actor)
    services.case_record_entry(
        actor=actor, case=case, expected_version=case.version,
        kind="report", data=_report_act(
            informed="nee", not_informed_reason="veiligheid",
            not_informed_explanation="Het kind is bang voor de reactie.", reporter_unknown="on",
        ).data,
    )  # fmt: skip
    services.case_record_entry(
        actor=actor, case=case, expected_version=case.version,
        kind=ReportFeedbackForm.kind, data={
            "date": today().isoformat(), "action": "overdracht", "asked_of_me": "Het kind blijven volgen.",
        },
    )  # fmt: skip
    report = case_report(actor=actor, case_id=case.pk, action=Action.EXPORT)
    act = report["report"]
    assert (act["channel"], act["time"], act["vt_reference"]) == ("telefoon", "09:15", "VTF-123")
    assert act["informed"] is False
    assert act["reporter_unknown"] is True
    assert report["feedback"][0]["asked_of_me"] == "Het kind blijven volgen."
    html = report_pdf_html(report)
    for text in ("Telefonisch (0800-2000)", "Veilig Thuis Flevoland", "09:15 uur",
                 "Het kind is bang voor de reactie.", "niet aan de familie te noemen",
                 "Terugkoppeling van Veilig Thuis", "Het kind blijven volgen."):  # fmt: skip
        assert text in html, text


def test_the_justification_is_in_the_report_also_when_following_the_kader(actor):
    case = weighing_case(actor)
    weigh_unsafe(actor, case)
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT,
        justification="Herhaald letsel, en het kind is bang om naar huis te gaan.",
    )  # fmt: skip
    report = case_report(actor=actor, case_id=case.pk, action=Action.EXPORT)
    assert report["decision"]["follows_framework"] is True
    assert report["decision"]["justification"] == (
        "Herhaald letsel, en het kind is bang om naar huis te gaan."
    )
    assert "het kind is bang om naar huis te gaan" in report_pdf_html(report)


def test_after_a_report_the_case_page_keeps_the_reporter_involved(actor, verified, professional):
    case = reported_case(actor)
    page = (
        verified(professional)
        .get(reverse("cases:detail", kwargs={"case_id": case.pk}))
        .content.decode()
    )
    assert "Sluit de casus af zodra Veilig Thuis" not in page
    assert "Na de melding" in page
    assert "U blijft betrokken" in page or "blijft betrokken" in page
    assert reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "report"}) in page
