from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab.selectors import datalab_for


@actor_required()
def analysis_export_view(request: HttpRequest, analysis: str, file_format: str) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")


@actor_required()
def report_pdf_view(request: HttpRequest) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")
