"""The datalab through the API: the same protected aggregates as the dashboard, and imports.

Never a record: every figure is a published cell of the datalab's one protected report."""

from __future__ import annotations

from dataclasses import fields
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
from meldwijzer.datalab.disclosure import REASONS
from meldwijzer.datalab.imports import MAX_BYTES, ImportRefused, import_file
from meldwijzer.datalab.models import Import, ImportState, SourceKind
from meldwijzer.organisations.actor import Actor

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
    rows_total = serializers.IntegerField(
        allow_null=True, help_text="Alleen voor wie het bestand inlas; anders null."
    )
    rows_done = serializers.IntegerField(allow_null=True)
    records_added = serializers.IntegerField(allow_null=True)
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


COUNTS = ("rows_total", "rows_done", "records_added")


def _import_body(imported: Import, actor: Actor) -> dict[str, Any]:
    """One import; its raw counts only for who uploaded it (`selectors.counts_shown`)."""
    body = dict(DatalabImportSerializer(imported).data)
    if not selectors.counts_shown(actor=actor, imported=imported):
        body |= dict.fromkeys(COUNTS)
    return body


class DatalabImportListView(MethodFirstMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        responses={200: DatalabImportSerializer(many=True)},
        summary="De leveringen aan mijn datalab, nieuwste eerst",
        description="Voor wie cijfers van het datalab mag zien (beleid, platformbeheer).",
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        organisation = selectors.datalab_for(actor=actor)
        rows = selectors.imports(organisation=organisation)
        return Response([_import_body(row, actor) for row in rows])

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
        return Response(_import_body(imported, actor), status=status.HTTP_201_CREATED)


class DatalabImportView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: DatalabImportSerializer},
        summary="Eén levering: stand, voortgang en fouten",
        description="Een levering van een ander datalab is 404.",
    )
    def get(self, request: Request, import_id: int) -> Response:
        actor = request_actor(request)
        organisation = selectors.datalab_for(actor=actor)
        imported = None
        if import_id <= MAX_ID:
            imported = selectors.import_get(organisation=organisation, import_id=import_id)
        if imported is None:
            raise Http404
        return Response(_import_body(imported, actor))


import_urlpatterns: list[URLPattern] = [
    path("datalab/imports/", DatalabImportListView.as_view(), name="datalab-import-list"),
    path(
        "datalab/imports/<int:import_id>/",
        DatalabImportView.as_view(),
        name="datalab-import-detail",
    ),
]

# === End of imports ================================================================================


# --- Aggregates: the protected report --------------------------------------------------------------


class DatalabCellSerializer(serializers.Serializer):
    shown = serializers.CharField(help_text="Zoals getoond: het afgeronde getal, of '.'.")
    value = serializers.FloatField(
        allow_null=True, help_text="Het gepubliceerde getal; null wanneer het verborgen is."
    )
    reason = serializers.CharField(
        allow_blank=True, help_text="Waarom verborgen: P (minder dan 10) of S (afgeschermd)."
    )


class DatalabRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    cells = DatalabCellSerializer(many=True)


class DatalabTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    row_heading = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    chart = serializers.CharField(allow_blank=True)
    notes = serializers.ListField(child=serializers.CharField())
    rows = DatalabRowSerializer(many=True)


class DatalabAnalysisSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    question = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    has_data = serializers.BooleanField()


class DatalabAnalysisSerializer(DatalabAnalysisSummarySerializer):
    notes = serializers.ListField(child=serializers.CharField())
    tables = DatalabTableSerializer(many=True)
    version = serializers.CharField()
    rule = serializers.CharField()


class DatalabSourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    records = DatalabCellSerializer(help_text="Aantal meldingen van deze bron, beveiligd.")
    last_import = serializers.DateTimeField(allow_null=True)


class DatalabReportSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    municipality = serializers.CharField()
    version = serializers.CharField()
    built_at = serializers.DateTimeField()
    first_day = serializers.DateField(allow_null=True)
    last_day = serializers.DateField(allow_null=True)
    sources = DatalabSourceSerializer(many=True)
    analyses = DatalabAnalysisSummarySerializer(many=True)
    rule = serializers.CharField()
    reasons = serializers.DictField(child=serializers.CharField())


def _fields(obj: Any, **extra: Any) -> dict[str, Any]:
    """A report dataclass's own fields (not deep-copied: cells keep their `shown`), plus extra."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)} | extra


class DatalabReportView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: DatalabReportSerializer},
        summary="Het beveiligde rapport van mijn datalab: periode, bronnen en vragen",
        description="Alleen beveiligde totalen, zoals op het dashboard; nooit een melding.",
    )
    def get(self, request: Request) -> Response:
        report = selectors.report_for(actor=request_actor(request))
        return Response(DatalabReportSerializer(_fields(report, reasons=REASONS)).data)


class DatalabAnalysisView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: DatalabAnalysisSerializer},
        summary="Eén vraag van het datalab met haar beveiligde tabellen",
        description="Een verborgen cel heeft `value` null, `shown` '.' en een `reason`.",
    )
    def get(self, request: Request, key: str) -> Response:
        report = selectors.report_for(actor=request_actor(request), analysis=key)
        analysis = report.analysis(key)
        if analysis is None:
            raise Http404
        data = _fields(
            analysis, has_data=analysis.has_data, version=report.version, rule=report.rule
        )
        return Response(DatalabAnalysisSerializer(data).data)


aggregate_urlpatterns: list[URLPattern] = [
    path("datalab/", DatalabReportView.as_view(), name="datalab-report"),
    path("datalab/analyses/<slug:key>/", DatalabAnalysisView.as_view(), name="datalab-analysis"),
]

urlpatterns: list[URLPattern] = [*import_urlpatterns, *aggregate_urlpatterns]
