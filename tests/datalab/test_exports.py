"""Files with the datalab's figures: CSV and XLSX of one analysis, the PDF of the whole report.
Only published cells leave: a hidden cell is '.', with its reason; a text that would run as a
formula is prefixed; the rule, version and period travel with the file; every export is logged."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meldwijzer.audit.models import AccessLogEntry, Subject
from meldwijzer.datalab import exports
from meldwijzer.datalab.disclosure import RULE
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.datalab.sample_report import HIDDEN_QUARTER, TRICKY_LABEL, sample, sample_report  # noqa: F401
from tests.factories import MembershipFactory


@pytest.fixture
def adviser(db, client, sample):  # noqa: F811
    membership = MembershipFactory(role=Role.POLICY_ADVISER)
    force_verified_login(client, membership.user)
    return client


def _csv(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_holds_published_cells_and_the_rule():
    report = sample_report()
    lines = _csv(exports.analysis_csv(report, report.analysis("meldingen")))
    head = {line[0]: line[1] for line in lines if len(line) > 1 and line[0].startswith("# ")}
    assert head["# Beveiliging"] == RULE
    assert head["# Versie van het rapport"] == "abc123def456"
    assert head["# Periode"] == "01-01-2021 tot en met 30-06-2022"
    rows = {line[0]: line[1:] for line in lines if line and line[0].startswith("20")}
    assert rows[HIDDEN_QUARTER] == [".", "Meldingen: P"]
    assert rows["2021-K4"] == [".", "Meldingen: S"]
    assert rows["2021-K1"] == ["115", ""]
    # No number at all in the line of a hidden cell: nothing to recover.
    assert not any(ch.isdigit() for ch in "".join(rows[HIDDEN_QUARTER]))


def test_csv_guards_against_formulas():
    report = sample_report()
    lines = _csv(exports.analysis_csv(report, report.analysis("melders")))
    labels = [line[0] for line in lines if line]
    assert "'" + TRICKY_LABEL in labels
    assert TRICKY_LABEL not in labels
    assert (
        exports.safe("+1") == "'+1" and exports.safe("-x") == "'-x" and exports.safe("@a") == "'@a"
    )
    assert exports.safe("Politie") == "Politie"


def test_xlsx_holds_published_cells_and_a_note_sheet():
    report = sample_report()
    book = load_workbook(io.BytesIO(exports.analysis_xlsx(report, report.analysis("meldingen"))))
    about = book["Toelichting"]
    notes = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert notes["Beveiliging"] == RULE and notes["Versie van het rapport"] == "abc123def456"
    sheet = book.worksheets[1]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows[HIDDEN_QUARTER] == (".", "Meldingen: P")
    assert rows["2021-K1"] == (115, None)


def test_export_view_names_the_file_and_logs(adviser):
    url = reverse("datalab:export", kwargs={"analysis": "meldingen", "file_format": "csv"})
    response = adviser.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert 'filename="datalab-noordoostpolder-meldingen-' in disposition
    assert disposition.endswith('.csv"')
    logged = AccessLogEntry.objects.filter(subject_type=Subject.DATALAB_EXPORT)
    assert list(logged.values_list("subject_id", flat=True)) == ["meldingen.csv@abc123def456"]
    xlsx = adviser.get(
        reverse("datalab:export", kwargs={"analysis": "meldingen", "file_format": "xlsx"})
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(
    ("analysis", "file_format"), [("meldingen", "pdf"), ("meldingen", "exe"), ("niets", "csv")]
)
def test_export_refuses_other_formats_and_analyses(adviser, analysis, file_format):
    url = reverse("datalab:export", kwargs={"analysis": analysis, "file_format": file_format})
    assert adviser.get(url).status_code == 404
    assert not AccessLogEntry.objects.filter(subject_type=Subject.DATALAB_EXPORT).exists()


def test_report_pdf_has_the_rule_and_title_on_several_pages(adviser):
    from pypdf import PdfReader

    response = adviser.get(reverse("datalab:report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) > 1
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "Datalab Noordoostpolder" in text
    assert "aantallen van 1 tot en met 9 worden niet getoond" in text
    for page in pdf.pages:
        words = " ".join((page.extract_text() or "").split())
        assert "Beveiliging tegen onthulling" in words, "the rule is in the footer of every page"
    again = adviser.get(reverse("datalab:report_pdf"))
    assert again.content == response.content, "one PDF per state of the records"
    logged = AccessLogEntry.objects.filter(subject_type=Subject.DATALAB_EXPORT)
    assert list(logged.values_list("subject_id", flat=True)) == ["rapport.pdf@abc123def456"] * 2
