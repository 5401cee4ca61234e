"""The report to Veilig Thuis: content, confidential sources, formats, access and the access log."""

from __future__ import annotations

import datetime
import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.cases import report_pdf
from meldwijzer.cases.entries import NoteForm, SignalForm
from meldwijzer.cases.models import ReportPdf
from meldwijzer.cases.report import WITHHELD, case_report
from meldwijzer.cases.report_pdf import report_pdf_document
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import SECRET_SOURCE, record, reported_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def case(professional):
    return reported_case(actor_for_user(user=professional))


def _log_rows(case, action):
    return AccessLogEntry.objects.filter(
        subject_type="casus",
        subject_id=str(case.pk),
        action=action,
        part="melding",
        outcome=AccessOutcome.ALLOWED,
    )


def test_report_holds_what_veilig_thuis_needs(professional, case):
    report = case_report(
        actor=actor_for_user(user=professional), case_id=case.pk, action=Action.EXPORT
    )
    assert report["schema_version"]
    assert report["reporter"]["organisation"] == case.organisation.name
    assert report["reporter"]["sector_label"]
    assert report["case"]["reference"] == case.reference
    assert report["case"]["profession"] == "onderwijs"
    assert [p["kind"] for p in report["persons"]] == ["child", "parent"]
    child, parent = report["persons"]
    assert (child["name"], child["bsn"], child["date_of_birth"]) == (
        "Kind Voorbeeld", "999990019", datetime.date(2019, 3, 14),
    )  # fmt: skip
    assert (child["street_address"], child["postcode"], child["place"]) == (
        "Verzonnenlaan 4", "8302 ZZ", "Emmeloord",
    )  # fmt: skip
    assert (parent["authority"], parent["authority_label"]) == ("ja", "Heeft gezag")
    assert parent["phone"] == "06-00000000"
    assert report["identified"] is True
    assert report["urgency"] == [{"code": "structureel", "label": "Structurele onveiligheid"}]
    assert {s["category_label"] for s in report["signals"]} == {
        "Lichamelijk geweld of mishandeling", "Getuige van partnergeweld",
    }  # fmt: skip
    assert report["counter_signals"][0]["facts"] == "Kind is vrolijk in de klas."
    assert "Anoniem advies van Veilig Thuis" in report["consultations"][0]["note"]
    skipped = report["conversation"]["skipped"][0]
    assert skipped["reason_label"].startswith("Door het gesprek komt de veiligheid")
    assert report["instruments"] == []
    answers = report["weighing"]["answers"]
    assert [a["question"] for a in answers] == ["afweging_1", "afweging_2"]
    assert answers[0]["reasoning"] == "Vermoeden."
    assert report["weighing"]["framework"] == "onderwijs"
    assert report["weighing"]["framework_version"]
    assert report["decision"]["outcome"] == "report_and_help"
    assert report["decision"]["indicated"] == "report"
    assert report["help_in_place"][0]["agreements"] == "Wekelijks contact met moeder."
    assert report["generated_at"]


def test_confidential_source_is_withheld(professional, case):
    report = case_report(
        actor=actor_for_user(user=professional), case_id=case.pk, action=Action.EXPORT
    )
    confidential = next(s for s in report["signals"] if s["source_confidential"])
    assert confidential["source_name"] == WITHHELD
    assert confidential["interpretation_by"] == WITHHELD
    assert SECRET_SOURCE not in json.dumps(report, default=str)


def test_corrected_entry_shows_only_the_latest_version_with_a_note(professional, organisation):
    actor = actor_for_user(user=professional)
    case = reported_case(actor)
    first = case.entries.filter(kind="signal").first()
    record(actor, case, SignalForm, {
        "date": timezone.localdate().isoformat(), "category": "lichamelijk", "source": "eigen",
        "facts": "Blauwe plek op de bovenarm (gecorrigeerd).",
    }, corrects=first)  # fmt: skip
    report = case_report(actor=actor, case_id=case.pk, action=Action.PRINT)
    facts = [s["facts"] for s in report["signals"]]
    assert "Blauwe plek op de arm." not in facts
    corrected = next(s for s in report["signals"] if s["corrected"])
    assert corrected["facts"] == "Blauwe plek op de bovenarm (gecorrigeerd)."
    assert "Gecorrigeerd" in corrected["correction_note"]


def test_print_page_is_logged_as_print_and_withholds_the_source(verified, professional, case):
    client = verified(professional)
    response = client.get(reverse("cases:report_print", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Melding bij Veilig Thuis" in content
    assert WITHHELD in content
    assert SECRET_SOURCE not in content
    assert "no-store" in response["Cache-Control"]
    assert _log_rows(case, Action.PRINT).count() == 1


def test_pdf_is_a_document_with_pages_logged_as_export(verified, professional, case):
    client = verified(professional)
    response = client.get(reverse("cases:report_pdf", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="melding-{case.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert SECRET_SOURCE.encode() not in pdf
    assert _log_rows(case, Action.EXPORT).count() == 1


def test_pdf_is_laid_out_once_per_version_and_logged_on_every_download(
    verified, professional, case, monkeypatch
):
    laid_out: list[str] = []
    real = report_pdf.report_pdf_document

    def counting(report, request=None):
        laid_out.append(report["case"]["reference"])
        return real(report, request)

    monkeypatch.setattr(report_pdf, "report_pdf_document", counting)
    client = verified(professional)
    url = reverse("cases:report_pdf", kwargs={"case_id": case.pk})
    first = client.get(url).content
    assert client.get(url).content == first
    assert laid_out == [case.reference]
    record(actor_for_user(user=professional), case, NoteForm, {"text": "Nagekomen."})
    newer = client.get(url)
    assert newer.status_code == 200 and newer.content.startswith(b"%PDF")
    assert laid_out == [case.reference] * 2
    assert _log_rows(case, Action.EXPORT).count() == 3
    assert ReportPdf.objects.filter(case=case).count() == 1  # only the latest is kept


def test_pdf_layout_has_pages_and_withholds_the_source(professional, case):
    report = case_report(
        actor=actor_for_user(user=professional), case_id=case.pk, action=Action.EXPORT
    )
    document = report_pdf_document(report)
    assert len(document.pages) >= 2  # a full case does not fit on the first page
    html = render_to_string("cases/report/report_pdf.html", {"report": report})
    assert SECRET_SOURCE not in html
    assert WITHHELD in html
    assert "Melding Veilig Thuis – vertrouwelijk" in html


def test_json_download_is_logged_as_export(verified, professional, case):
    client = verified(professional)
    response = client.get(reverse("cases:report_json", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["schema_version"]
    assert body["case"]["reference"] == case.reference
    assert SECRET_SOURCE not in response.content.decode()
    assert WITHHELD in response.content.decode()
    assert _log_rows(case, Action.EXPORT).count() == 1


@pytest.mark.parametrize("name", ["cases:report_print", "cases:report_pdf", "cases:report_json"])
def test_another_organisation_gets_404_and_a_denied_row(
    verified, make_member, other_organisation, case, name
):
    stranger = make_member(Role.MELDCODE_OFFICER, other_organisation)
    client = verified(stranger)
    response = client.get(reverse(name, kwargs={"case_id": case.pk}))
    assert response.status_code == 404
    denied = AccessLogEntry.objects.get(user=stranger, outcome=AccessOutcome.DENIED)
    assert (denied.subject_type, denied.subject_id) == ("casus", str(case.pk))
    assert not _log_rows(case, Action.PRINT).exists()
    assert not _log_rows(case, Action.EXPORT).exists()


def test_colleague_without_case_work_is_refused(verified, make_member, organisation, case):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    client = verified(admin)
    response = client.get(reverse("cases:report_json", kwargs={"case_id": case.pk}))
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(user=admin, outcome=AccessOutcome.DENIED).count() == 1


def test_meldcode_officer_of_the_organisation_may_print(verified, make_member, organisation, case):
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    response = verified(officer).get(reverse("cases:report_print", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    assert _log_rows(case, Action.PRINT).get().user == officer


def test_report_only_for_print_or_export(professional, case):
    with pytest.raises(ValueError):
        case_report(actor=actor_for_user(user=professional), case_id=case.pk, action=Action.READ)
