"""The datalab's dashboard: an overview of the report and one page per question, each table as a
chart (or map) above its data table. Every page reads the one protected report through
`selectors.report_for`, which logs the read; nothing here is a record."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab import charts, maps
from meldwijzer.datalab.disclosure import REASONS
from meldwijzer.datalab.report import Analysis, Report, Table
from meldwijzer.datalab.selectors import report_for


@dataclass(frozen=True)
class Figure:
    table: Table
    svg: SafeString


def figure(table: Table) -> SafeString:
    """The chart or map a table asks for, as inline SVG ('' when it asks for none)."""
    chart_id = f"grafiek-{table.key}"
    if table.chart == "map":
        return maps.choropleth(table, chart_id=chart_id)
    return charts.chart(table, chart_id=chart_id)


def figures(analysis: Analysis) -> list[Figure]:
    return [Figure(table, figure(table)) for table in analysis.tables]


def last_import(report: Report) -> object:
    return max((s.last_import for s in report.sources if s.last_import), default=None)


@require_GET
@actor_required()
def overview_view(request: HttpRequest) -> HttpResponse:
    report = report_for(actor=current_actor(request))
    return render(
        request,
        "datalab/overview.html",
        {"report": report, "last_import": last_import(report), "reasons": REASONS},
    )


@require_GET
@actor_required()
def analysis_view(request: HttpRequest, analysis: str) -> HttpResponse:
    report = report_for(actor=current_actor(request), analysis=analysis)
    found = report.analysis(analysis)
    if found is None:
        raise Http404
    return render(
        request,
        "datalab/analysis.html",
        {
            "report": report,
            "analysis": found,
            "figures": figures(found),
            "reasons": REASONS,
        },
    )


@require_GET
@actor_required()
def map_view(request: HttpRequest, table: str) -> HttpResponse:
    report = report_for(actor=current_actor(request), analysis=f"kaart-{table}")
    found = next(
        (t for a in report.analyses for t in a.tables if t.key == table and t.chart == "map"),
        None,
    )
    if found is None:
        raise Http404
    svg = maps.choropleth(found, chart_id=f"kaart-{found.key}", standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
