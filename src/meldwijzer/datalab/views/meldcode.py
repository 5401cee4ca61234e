"""The meldcode in the municipality's organisations, for the policy adviser: which organisations
under the law have no aandachtsfunctionaris or no meldcode, trained professionals per sector, the
worries shared and the self-checks — every count of people protected (`datalab.coverage`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab import events
from meldwijzer.datalab.coverage import ANALYSIS, coverage_csv, coverage_for
from meldwijzer.datalab.disclosure import REASONS
from meldwijzer.datalab.views.dashboard import figure


@require_GET
@actor_required()
def meldcode_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    result = coverage_for(actor=actor)
    events.figures_read(actor=actor, analysis=ANALYSIS, version=f"{result.today:%Y%m%d}")
    return render(
        request,
        "datalab/meldcode.html",
        {
            "coverage": result,
            "figures": [(table, figure(table)) for table in result.tables],
            "reasons": REASONS,
            "report": result,
        },
    )


@require_GET
@actor_required()
def meldcode_csv_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    result = coverage_for(actor=actor)
    events.figures_exported(
        actor=actor, what=ANALYSIS, file_format="csv", version=f"{result.today:%Y%m%d}"
    )
    response = HttpResponse(coverage_csv(result), content_type="text/csv; charset=utf-8")
    name = f"datalab-{slugify(result.municipality)}-meldcode-{result.today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
