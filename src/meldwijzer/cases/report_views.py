"""The report to Veilig Thuis as a print page, a PDF and a JSON download.

All three read `cases.report.case_report`, which logs the print or export in the access log and
withholds confidential sources. The middleware keeps every answer out of caches (no-store).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from meldwijzer.audit.models import Action
from meldwijzer.cases.report import case_report
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from weasyprint.document import Document


@require_GET
@actor_required(Permission.CASE_WORK)
def report_print_view(request: HttpRequest, case_id: int) -> HttpResponse:
    report = case_report(actor=current_actor(request), case_id=case_id, action=Action.PRINT)
    return render(request, "cases/report/report.html", {"report": report, "case_id": case_id})


def report_pdf_document(report: dict[str, Any], request: HttpRequest | None = None) -> Document:
    """The report laid out on A4 pages (WeasyPrint), ready to be written as PDF."""
    from weasyprint import HTML  # heavy import, only needed here
    from weasyprint.urls import URLFetcher

    html = render_to_string("cases/report/report_pdf.html", {"report": report}, request=request)
    # The document is self-contained: it may not fetch anything from the network or disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).render()


@require_GET
@actor_required(Permission.CASE_WORK)
def report_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    report = case_report(actor=current_actor(request), case_id=case_id, action=Action.EXPORT)
    pdf = report_pdf_document(report, request).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"melding-{report['case']['reference']}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@actor_required(Permission.CASE_WORK)
def report_json_view(request: HttpRequest, case_id: int) -> HttpResponse:
    report = case_report(actor=current_actor(request), case_id=case_id, action=Action.EXPORT)
    body = json.dumps(report, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"melding-{report['case']['reference']}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
