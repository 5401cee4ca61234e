"""The report to Veilig Thuis as PDF, laid out once per version of the case.

Laying out the report with WeasyPrint takes most of a second; the report changes only when the
case does (every write raises `Case.version`) and, through ages and the report's date, with the
day. So the first download of a version on a day lays it out and keeps the bytes
(`models.ReportPdf`); every later download of that version that day is served from them. Each
download still goes through `case_get`: the access check and one access-log row per download are
unchanged (ADR 0037).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases.models import ReportPdf
from meldwijzer.cases.report import report_for
from meldwijzer.cases.selectors import case_get
from meldwijzer.organisations.actor import Actor

if TYPE_CHECKING:
    from weasyprint.document import Document


def report_pdf_document(report: dict[str, Any], request: HttpRequest | None = None) -> Document:
    """The report laid out on A4 pages (WeasyPrint), ready to be written as PDF."""
    from weasyprint import HTML  # heavy import, only needed here
    from weasyprint.urls import URLFetcher

    html = render_to_string("cases/report/report_pdf.html", {"report": report}, request=request)
    # The document is self-contained: it may not fetch anything from the network or disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).render()


def case_report_pdf(*, actor: Actor, case_id: int) -> tuple[str, bytes]:
    """The file name and bytes of a case's report as PDF, logged as an export on every download;
    laid out only when this version of the case has none yet today."""
    case = case_get(actor=actor, case_id=case_id, part="melding", action=Action.EXPORT)
    filename = f"melding-{case.reference}.pdf"
    day = timezone.localdate()
    kept = ReportPdf.objects.filter(case=case, version=case.version, day=day)
    stored = kept.values_list("pdf", flat=True).first()
    if stored is not None:
        return filename, bytes(stored)
    pdf = bytes(report_pdf_document(report_for(case)).write_pdf())
    try:
        with transaction.atomic():
            ReportPdf.objects.filter(case=case).delete()  # only the latest is kept
            ReportPdf.objects.create(case=case, version=case.version, day=day, pdf=pdf)
    except IntegrityError:
        pass  # laid out at the same moment by another download: theirs is the same
    return filename, pdf
