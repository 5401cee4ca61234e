"""The datalab through the API: the same protected aggregates as the dashboard, and imports.

Never a record: every figure is a published cell of the datalab's one protected report."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.datalab import selectors
from meldwijzer.datalab.imports import MAX_BYTES, ImportRefused, import_file
from meldwijzer.datalab.models import Import, ImportState, SourceKind

MAX_ID = 2**31 - 1

# === Imports: a source's shared file into the datalab (/api/v1/datalab/imports/) ===================
#
# - `imports/` (POST, multipart: `file`, `source`, `source_kind`): read a shared file, all or nothing —
#   201 with the import, or 400 with the row-numbered Dutch errors (nothing stored);
# - `imports/` (GET): the datalab's imports, newest first; `imports/<id>/` (GET): one import with
#   its state, progress and errors. Another datalab's import is 404.
# Same access rule as the pages (`selectors.datalab_for`). No record's contents, only counts.


class DatalabImportErrorSerializer(serializers.Serializer):
    rij = serializers.IntegerField(
        allow_null=True, help_text="Rijnummer zoals in een spreadsheet (kolomnamen: rij 1)."
    )
    kolom = serializers.CharField(allow_blank=True)
    melding = serializers.CharField()


class DatalabImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField(source="source.name")  # type: ignore[assignment]
    source_kind = serializers.ChoiceField(source="source.kind", choices=SourceKind.choices)
    filename = serializers.CharField()
    file_format = serializers.CharField()
    state = serializers.ChoiceField(choices=ImportState.choices)
    rows_total = serializers.IntegerField()
    rows_done = serializers.IntegerField()
    records_added = serializers.IntegerField()
    key_id = serializers.CharField(help_text="Het id van de regionale sleutel, niet de sleutel.")
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    errors = DatalabImportErrorSerializer(many=True)  # type: ignore[assignment]


class DatalabImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"Het gedeelde bestand (.csv of .xlsx), hoogstens {MAX_BYTES // 2**20} MB.",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
    )
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=200,
        help_text="De naam van de bron; een nieuwe naam maakt een nieuwe bron.",
        error_messages={
            "required": "Vul de naam van de bron in.",
            "blank": "Vul de naam van de bron in.",
        },
    )
    source_kind = serializers.ChoiceField(
        choices=SourceKind.choices,
        default=SourceKind.PARTNER,
        help_text="De soort bron (alleen voor een nieuwe bron).",
        error_messages={"invalid_choice": "Kies veilig_thuis, partner of platform."},
    )


def _import_body(imported: Import) -> dict[str, Any]:
    return dict(DatalabImportSerializer(imported).data)


class DatalabImportListView(MethodFirstMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        responses={200: DatalabImportSerializer(many=True)},
        summary="De leveringen aan mijn datalab, nieuwste eerst",
        description="Voor wie cijfers van het datalab mag zien (beleid, platformbeheer).",
    )
    def get(self, request: Request) -> Response:
        organisation = selectors.datalab_for(actor=request_actor(request))
        rows = selectors.imports(organisation=organisation)
        return Response(DatalabImportSerializer(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DatalabImportCreateSerializer},
        responses={201: DatalabImportSerializer},
        summary="Een gedeeld bestand inlezen",
        description="Elke rij wordt gecontroleerd; bij één fout wordt niets opgeslagen en is het "
        "antwoord 400 met per rij de melding (in `fields.file`). Een bestand gemaakt met een "
        "andere sleutel dan de eerdere leveringen wordt geweigerd.",
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        selectors.datalab_for(actor=actor)
        payload = DatalabImportCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            imported = import_file(
                actor=actor,
                source_name=values["source"],
                source_kind=values["source_kind"],
                uploaded=values["file"],
                filename=values["file"].name,
            )
        except ImportRefused as refusal:
            raise serializers.ValidationError({"file": [str(refusal)]}) from refusal
        if imported.state != ImportState.DONE:
            messages = [str(error["melding"]) for error in imported.errors]
            raise serializers.ValidationError({"file": messages, "import_id": [str(imported.pk)]})
        return Response(_import_body(imported), status=status.HTTP_201_CREATED)


class DatalabImportView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: DatalabImportSerializer},
        summary="Eén levering: stand, voortgang en fouten",
        description="Een levering van een ander datalab is 404.",
    )
    def get(self, request: Request, import_id: int) -> Response:
        organisation = selectors.datalab_for(actor=request_actor(request))
        imported = None
        if import_id <= MAX_ID:
            imported = selectors.import_get(organisation=organisation, import_id=import_id)
        if imported is None:
            raise Http404
        return Response(_import_body(imported))


import_urlpatterns: list[URLPattern] = [
    path("datalab/imports/", DatalabImportListView.as_view(), name="datalab-import-list"),
    path(
        "datalab/imports/<int:import_id>/",
        DatalabImportView.as_view(),
        name="datalab-import-detail",
    ),
]

# === End of imports ================================================================================

urlpatterns: list[URLPattern] = [*import_urlpatterns]
