"""The datalab through the API: the same protected aggregates as the dashboard, and imports.

Never a record: every figure is a published cell of the datalab's one protected report."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.datalab import selectors
from meldwijzer.datalab.disclosure import REASONS

import_urlpatterns: list[URLPattern] = []
"""Imports of partners' files (placeholder until the import operations are added here)."""


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

urlpatterns = [*import_urlpatterns, *aggregate_urlpatterns]
