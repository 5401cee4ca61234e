from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab.selectors import datalab_for


@actor_required()
def overview_view(request: HttpRequest) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")


@actor_required()
def analysis_view(request: HttpRequest, analysis: str) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")


@actor_required()
def map_view(request: HttpRequest, table: str) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")
