"""Sending a report through Meldwijzer and Veilig Thuis' inbox: the meldrecht reaches Veilig
Thuis only, the report is sent once and frozen, the inbox is Veilig Thuis' own, feedback lands in
the reporter's dossier, and a file opened from a report is linked to it, not merged."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Subject
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.coordination import inbox
from meldwijzer.coordination.models import CoordinationFile, IncomingReport
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy.models import GroundKind
from tests.cases.builders import SECRET_SOURCE, signals_case
from tests.coordination.builders import actor_of
from tests.coordination.inbox_builders import (
    case_to_report,
    member,
    reporter,
    send,
    veilig_thuis,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vt():
    return veilig_thuis()


@pytest.fixture
def teacher():
    return reporter()


FEEDBACK = {"date": "2026-12-01", "action": "onderzoek", "text": "Wij gaan op huisbezoek."}


# --- Sending --------------------------------------------------------------------------------------


def test_sending_records_the_meldrecht_towards_that_veilig_thuis_the_entry_and_a_frozen_copy(
    vt, teacher
):
    report = send(teacher, vt)

    assert report.to_organisation == vt
    assert report.ground.kind == GroundKind.MELDRECHT
    assert report.ground.organisation_id == actor_of(teacher).organisation.pk
    assert report.ground.with_whom == vt.name
    assert report.ground.client_pseudonym == report.case.client_pseudonym
    entry = Entry.objects.get(case=report.case, kind=EntryKind.REPORT)
    assert entry.data["channel"] == "meldwijzer"
    assert entry.data["veilig_thuis"] == vt.name
    assert report.content["persons"][0]["name"] == "Kind Voorbeeld"  # Veilig Thuis can find them
    assert report.content["report"]["channel"] == "meldwijzer"
    row = AccessLogEntry.objects.get(subject_type=Subject.INCOMING_REPORT, action="create")
    assert row.client_id == report.case.client_pseudonym
    assert row.ground == f"meldrecht:{report.ground_id}"


def test_the_frozen_copy_keeps_a_confidential_source_out(vt, teacher):
    report = send(teacher, vt)
    assert SECRET_SOURCE not in json.dumps(report.content)


def test_the_copy_does_not_change_when_the_dossier_does(vt, teacher):
    report = send(teacher, vt)
    case = report.case
    case.refresh_from_db()
    case_services.case_record_person(
        actor=actor_of(teacher), case=case, expected_version=case.version, kind="other",
        name="Later Toegevoegd",
    )  # fmt: skip
    report.refresh_from_db()
    assert "Later Toegevoegd" not in json.dumps(report.content)


def test_a_report_is_sent_once(vt, teacher):
    report = send(teacher, vt)
    with pytest.raises(CoordinationError, match="niet twee keer"):
        send(teacher, vt, case=report.case)
    assert IncomingReport.objects.count() == 1
    assert Entry.objects.filter(case=report.case, kind=EntryKind.REPORT).count() == 1


def test_only_a_case_decided_to_report_is_sent(vt, teacher):
    case = signals_case(actor_of(teacher))
    with pytest.raises(CoordinationError, match="besloten te melden"):
        send(teacher, vt, case=case)
    assert not IncomingReport.objects.exists()


def test_the_meldrecht_reaches_veilig_thuis_only(teacher):
    wijkteam = OrganisationFactory(sector="wijkteam")
    with pytest.raises(CoordinationError, match="Veilig Thuis"):
        send(teacher, wijkteam)
    assert not IncomingReport.objects.exists()


def test_a_colleague_who_does_not_hold_the_case_cannot_send_it(vt, teacher):
    case = case_to_report(teacher)
    colleague = member(actor_of(teacher).organisation)
    with pytest.raises(CoordinationError):
        inbox.report_send(
            actor=actor_of(colleague), case=case, expected_version=case.version,
            veilig_thuis=vt, informed="ja",
        )  # fmt: skip
    assert not IncomingReport.objects.exists()


def test_not_telling_the_family_needs_a_reason_and_nothing_is_sent_without(vt, teacher):
    case = case_to_report(teacher)
    with pytest.raises(inbox.ReportInputError) as refused:
        inbox.report_send(
            actor=actor_of(teacher), case=case, expected_version=case.version, veilig_thuis=vt,
            informed="nee",
        )  # fmt: skip
    assert "not_informed_reason" in refused.value.errors
    assert not IncomingReport.objects.exists()
    assert not Entry.objects.filter(case=case, kind=EntryKind.REPORT).exists()


# --- The inbox ------------------------------------------------------------------------------------


def test_the_inbox_holds_only_the_reports_to_ones_own_veilig_thuis(vt, teacher):
    mine = send(teacher, vt)
    other_vt = veilig_thuis("Veilig Thuis Elders")
    send(reporter(), other_vt)
    staff = actor_of(member(vt))
    assert inbox.report_list(actor=staff) == [mine]
    with pytest.raises(Http404):
        inbox.report_get(actor=actor_of(member(other_vt)), report_id=mine.pk)


def test_someone_outside_veilig_thuis_is_refused_the_inbox_and_it_is_logged(vt, teacher):
    report = send(teacher, vt)
    with pytest.raises(Http404):
        inbox.report_list(actor=actor_of(teacher))
    with pytest.raises(Http404):
        inbox.report_get(actor=actor_of(teacher), report_id=report.pk)
    refusal = AccessLogEntry.objects.filter(
        user=teacher, outcome=AccessOutcome.DENIED, subject_type=Subject.INCOMING_REPORT
    ).get()
    assert refusal.client_id == report.client_pseudonym


def test_reading_a_report_is_logged_with_the_client_and_the_meldrecht(vt, teacher):
    report = send(teacher, vt)
    staff = member(vt)
    inbox.report_get(actor=actor_of(staff), report_id=report.pk)
    row = AccessLogEntry.objects.get(user=staff, subject_type=Subject.INCOMING_REPORT)
    assert row.client_id == report.client_pseudonym
    assert row.ground == f"meldrecht:{report.ground_id}"


def test_the_inbox_list_costs_the_same_queries_for_one_report_or_five(vt):
    send(reporter(), vt)
    staff = actor_of(member(vt))
    inbox.report_list(actor=staff)  # the first row of the actor's access-log chain costs more
    with CaptureQueriesContext(connection) as one:
        inbox.report_list(actor=staff)
    for _ in range(4):
        send(reporter(), vt)
    with CaptureQueriesContext(connection) as five:
        reports = inbox.report_list(actor=staff)
    assert len(reports) == 5
    assert len(five) == len(one)


# --- Receipt and feedback -------------------------------------------------------------------------


def test_receipt_is_confirmed_once(vt, teacher):
    report = send(teacher, vt)
    staff = actor_of(member(vt))
    inbox.report_receive(actor=staff, report=report)
    report.refresh_from_db()
    assert report.received_at is not None and report.received_by == staff.user
    with pytest.raises(CoordinationError, match="al bevestigd"):
        inbox.report_receive(actor=staff, report=report)


def test_feedback_is_an_entry_in_the_reporters_dossier_by_veilig_thuis(vt, teacher):
    report = send(teacher, vt)
    staff = actor_of(member(vt))
    entry = inbox.report_feedback_give(actor=staff, report=report, data=FEEDBACK)
    assert entry.case == report.case
    assert entry.kind == EntryKind.REPORT_FEEDBACK
    assert entry.organisation == vt
    assert entry.data["text"] == "Wij gaan op huisbezoek."
    report = inbox.report_for_case(report.case)
    assert report is not None and report.feedback_given and report.received_at is not None
    assert inbox.report_state_label(report) == "Terugkoppeling gegeven"


def test_feedback_with_bad_input_changes_nothing(vt, teacher):
    report = send(teacher, vt)
    with pytest.raises(inbox.ReportInputError) as refused:
        inbox.report_feedback_give(
            actor=actor_of(member(vt)), report=report, data={"date": "2026-12-01"}
        )
    assert "action" in refused.value.errors
    assert not Entry.objects.filter(kind=EntryKind.REPORT_FEEDBACK).exists()


def test_another_veilig_thuis_cannot_write_in_the_dossier(vt, teacher):
    report = send(teacher, vt)
    other = actor_of(member(veilig_thuis("Veilig Thuis Elders")))
    with pytest.raises(CoordinationError):
        inbox.report_feedback_give(actor=other, report=report, data=FEEDBACK)
    # The dossier itself refuses too: it was not reported there.
    with pytest.raises(case_services.CaseError, match="niet bij uw organisatie"):
        case_services.case_report_feedback_receive(actor=other, case=report.case, data=FEEDBACK)
    assert not Entry.objects.filter(kind=EntryKind.REPORT_FEEDBACK).exists()


def test_only_veilig_thuis_writes_feedback_into_a_dossier(vt, teacher):
    report = send(teacher, vt)
    outsider = actor_of(member(OrganisationFactory(name=vt.name + " (niet VT)", sector="wijkteam")))
    with pytest.raises(case_services.CaseError, match="Alleen Veilig Thuis"):
        case_services.case_report_feedback_receive(actor=outsider, case=report.case, data=FEEDBACK)


# --- Opening a file -------------------------------------------------------------------------------


def test_a_casusregisseur_opens_the_family_file_from_the_report_linked_not_merged(vt, teacher):
    report = send(teacher, vt)
    lead = actor_of(member(vt, Role.CASE_COORDINATOR))
    persons = inbox.report_persons(report)
    assert [p.name for p in persons] == ["Kind Voorbeeld", "Ouder Voorbeeld"]
    file = inbox.report_file_open(
        actor=lead, report=report, title="Gezin met een kind", persons=[persons[0].index]
    )
    report.refresh_from_db()
    assert report.file == file
    assert file.coordinator == lead.user and file.lead_organisation == vt
    assert [m.name for m in file.family.all()] == ["Kind Voorbeeld"]
    assert file.client_pseudonym != report.case.client_pseudonym  # its own file, not the dossier
    with pytest.raises(CoordinationError, match="al een regiedossier"):
        inbox.report_file_open(actor=lead, report=report, title="Nog een", persons=[])
    assert CoordinationFile.objects.count() == 1


def test_a_veilig_thuis_professional_without_the_regie_role_cannot_open_a_file(vt, teacher):
    report = send(teacher, vt)
    staff = actor_of(member(vt))
    with pytest.raises(CoordinationError, match="casusregisseur"):
        inbox.report_file_open(actor=staff, report=report, title="Gezin", persons=[])
    with pytest.raises(Http404):
        inbox.report_get(actor=staff, report_id=report.pk, lead=True)
    assert not CoordinationFile.objects.exists()


def test_a_file_is_not_opened_from_another_organisations_report(vt, teacher):
    report = send(teacher, vt)
    elsewhere = actor_of(member(veilig_thuis("Veilig Thuis Elders"), Role.CASE_COORDINATOR))
    with pytest.raises(CoordinationError):
        inbox.report_file_open(actor=elsewhere, report=report, title="Gezin", persons=[])
    assert not CoordinationFile.objects.exists()


def test_the_manual_report_form_does_not_offer_the_meldwijzer_channel():
    from meldwijzer.cases.entries import MELDWIJZER_CHANNEL, ReportForm

    offered = [value for value, _ in ReportForm().fields["channel"].choices]
    assert MELDWIJZER_CHANNEL not in offered and "telefoon" in offered
