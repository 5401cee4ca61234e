"""The datalab's figures as files: one analysis as CSV or XLSX, the whole report as a PDF for
the signaaloverleg. Each file holds published cells only and is logged as an export."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab import events, exports
from meldwijzer.datalab.disclosure import REASONS
from meldwijzer.datalab.report import Report
from meldwijzer.datalab.selectors import CACHE_SECONDS, datalab_for, report_get
from meldwijzer.datalab.views.dashboard import figures, last_import


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@actor_required()
def analysis_export_view(request: HttpRequest, analysis: str, file_format: str) -> HttpResponse:
    actor = current_actor(request)
    organisation = datalab_for(actor=actor)
    if file_format not in exports.FORMATS:
        raise Http404
    report = report_get(organisation=organisation)
    found = report.analysis(analysis)
    if found is None:
        raise Http404
    body = exports.analysis_file(report, found, file_format)
    events.figures_exported(
        actor=actor, what=found.key, file_format=file_format, version=report.version
    )
    name = exports.filename(report, found.key, file_format, timezone.localdate())
    return _attachment(body, exports.FORMATS[file_format], name)


def report_pdf(report: Report) -> bytes:
    """The whole report on A4 pages (WeasyPrint), charts and maps as inline SVG."""
    from weasyprint import HTML  # heavy import, only needed here
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "datalab/report_pdf.html",
        {
            "report": report,
            "sections": [(a, figures(a)) for a in report.analyses],
            "last_import": last_import(report),
            "reasons": REASONS,
            "period": exports.period(report),
        },
    )
    # Self-contained: the document may not fetch anything from the network or disk.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"]))
    return bytes(document.write_pdf())


@require_GET
@actor_required()
def report_pdf_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    organisation = datalab_for(actor=actor)
    report = report_get(organisation=organisation)
    # Laying out the whole report takes seconds: one PDF per state of the records.
    key = f"datalab:pdf:{organisation.pk}:{report.version}"
    body = cache.get(key)
    if body is None:
        body = report_pdf(report)
        cache.set(key, body, CACHE_SECONDS)
    events.figures_exported(actor=actor, what="rapport", file_format="pdf", version=report.version)
    name = exports.filename(report, "rapport", "pdf", timezone.localdate())
    return _attachment(body, "application/pdf", name)
