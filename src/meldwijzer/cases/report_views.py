"""The report to Veilig Thuis as a print page, a PDF and a JSON download.

All three read the report of `cases.report`, which withholds confidential sources; each request
is logged as a print or export in the access log. The PDF is laid out once per version of the
case and day (`cases.report_pdf`). The middleware keeps every answer out of caches (no-store).
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meldwijzer.audit.models import Action
from meldwijzer.cases.report import case_report
from meldwijzer.cases.report_pdf import case_report_pdf
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission


@require_GET
@actor_required(Permission.CASE_WORK)
def report_print_view(request: HttpRequest, case_id: int) -> HttpResponse:
    report = case_report(actor=current_actor(request), case_id=case_id, action=Action.PRINT)
    return render(request, "cases/report/report.html", {"report": report, "case_id": case_id})


@require_GET
@actor_required(Permission.CASE_WORK)
def report_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    filename, pdf = case_report_pdf(actor=current_actor(request), case_id=case_id)
    response = HttpResponse(pdf, content_type="application/pdf")
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
