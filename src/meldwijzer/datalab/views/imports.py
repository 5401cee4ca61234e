"""The datalab's deliveries: the sources and their imports, a new import, one import's progress
and errors, and the record schema. Never a record's contents: only counts and messages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.datalab import schema
from meldwijzer.datalab.forms import ImportForm
from meldwijzer.datalab.imports import ImportRefused, import_file, in_background
from meldwijzer.datalab.models import ImportState
from meldwijzer.datalab.selectors import (
    counts_shown,
    datalab_for,
    import_get,
    imports,
    sources,
)

REFRESH_SECONDS = 2


@actor_required()
def import_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    organisation = datalab_for(actor=actor)
    rows = imports(organisation=organisation)
    return render(
        request,
        "datalab/imports/list.html",
        {
            "organisation": organisation,
            "sources": sources(organisation=organisation),
            "imports": rows,
            "own": {i.pk for i in rows if counts_shown(actor=actor, imported=i)},
        },
    )


@actor_required()
def import_new_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    organisation = datalab_for(actor=actor)
    names = [source.name for source in sources(organisation=organisation)]
    form = ImportForm(request.POST or None, request.FILES or None, sources=names)
    if request.method == "POST" and form.is_valid():
        try:
            imported = import_file(
                actor=actor,
                source_name=form.cleaned_data["source"],
                source_kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
                filename=form.cleaned_data["file"].name,
                background=in_background(),
            )
        except ImportRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            return redirect("datalab:import", import_id=imported.pk)
    return render(
        request,
        "datalab/imports/new.html",
        {"form": form, "sources": names},
        status=400 if form.errors else 200,
    )


@actor_required()
def import_view(request: HttpRequest, import_id: int) -> HttpResponse:
    actor = current_actor(request)
    organisation = datalab_for(actor=actor)
    imported = import_get(organisation=organisation, import_id=import_id)
    if imported is None:
        raise Http404
    running = imported.state == ImportState.RUNNING
    response = render(
        request,
        "datalab/imports/detail.html",
        {
            "imported": imported,
            "running": running,
            "refresh": REFRESH_SECONDS,
            "counts": counts_shown(actor=actor, imported=imported),
        },
    )
    if running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@actor_required()
def schema_view(request: HttpRequest) -> HttpResponse:
    datalab_for(actor=current_actor(request))
    persons = f"Per persoon: persoon_1_… tot en met persoon_{schema.PERSONS}_…."
    parts = [
        {
            "id": "melding",
            "title": "De melding",
            "caption": "Kolommen van de melding (in beide bestanden)",
            "columns": schema.REPORT_COLUMNS,
        },
        {
            "id": "gedeeld",
            "title": "Alleen in het gedeelde bestand",
            "caption": "Kolommen die alleen het gedeelde bestand heeft",
            "intro": persons,
            "columns": schema.SHARED_ONLY
            + tuple(schema.replace_prefix(c) for c in schema.person_columns(shared=True)[:3]),
        },
        {
            "id": "export",
            "title": "Alleen in de eigen export (verlaat de partner nooit)",
            "caption": "Kolommen die alleen de eigen export heeft",
            "intro": persons,
            "columns": schema.EXPORT_ONLY
            + tuple(schema.replace_prefix(c) for c in schema.person_columns(shared=False)[:4]),
        },
    ]
    return render(
        request,
        "datalab/schema.html",
        {"parts": parts, "privacy": schema.PRIVACY, "command": schema.COMMAND},
    )
