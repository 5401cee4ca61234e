from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab.selectors import datalab_for, import_get


@actor_required()
def import_list_view(request: HttpRequest) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")


@actor_required()
def import_new_view(request: HttpRequest) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")


@actor_required()
def import_view(request: HttpRequest, import_id: int) -> HttpResponse:
    organisation = datalab_for(actor=current_actor(request))
    if import_get(organisation=organisation, import_id=import_id) is None:
        raise Http404
    return HttpResponse("")


@actor_required()
def schema_view(request: HttpRequest) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    return HttpResponse("")
