"""The coordination file's own pages: 'Mijn regiedossiers' and the file's overview. Every page of
a file extends `coordination/file_base.html`, which shows the casusregisseur with contact details
at the top; `overview.file_context` gives it what it needs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.coordination import overview, selectors
from meldwijzer.coordination.models import FileState
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.organisations.roles import Permission


@actor_required(Permission.CASE_WORK)
def file_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    closed = request.GET.get("stand") == FileState.CLOSED
    page = selectors.file_list_page(
        actor=actor,
        state=FileState.CLOSED if closed else FileState.OPEN,
        page=page_number(request),
    )
    return render(
        request,
        "coordination/file_list.html",
        {
            "files": page.object_list,
            "page": page,
            "filters_query": query_without_page(request),
            "closed": closed,
            "worklist": overview.worklist(actor),
        },
    )


@actor_required(Permission.CASE_WORK)
def file_detail_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.file_get(actor=actor, file_id=file_id)
    context = overview.file_context(access, sections=overview.sections(actor, access))
    # Whoever places legal holds for the leading organisation finds the file's hold page here.
    context["may_hold"] = (
        actor.can(Permission.RETENTION_HOLD)
        and access.file.lead_organisation_id == actor.organisation.pk
    )
    return render(request, "coordination/file_detail.html", context)
