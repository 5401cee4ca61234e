"""API v1 for the retention table: how long the organisation keeps each kind of file and on what
legal basis (anyone of the organisation), and its own periods (the functioneel beheerder)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import CaseRefused, MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import events, selectors, services
from meldwijzer.privacy.models import FileKind
from meldwijzer.privacy.retention import MAX_YEARS
from meldwijzer.privacy.services import SharingError


class RetentionPeriodSerializer(serializers.Serializer):
    file_kind = serializers.ChoiceField(choices=FileKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    years = serializers.IntegerField()
    counted_from = serializers.CharField()
    basis = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    as_of = serializers.DateField()
    overridden = serializers.BooleanField(help_text="Een eigen termijn van de organisatie.")


class RetentionSetSerializer(serializers.Serializer):
    file_kind = serializers.ChoiceField(choices=FileKind.choices)
    years = serializers.IntegerField(
        min_value=1, max_value=MAX_YEARS, allow_null=True, help_text="null: terug naar standaard."
    )
    basis = serializers.CharField(required=False, allow_blank=True, max_length=300)


class RetentionView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: RetentionPeriodSerializer(many=True)},
        summary="Bewaartermijnen van uw organisatie per soort dossier, met wettelijke grondslag",
    )
    def get(self, request: Request) -> Response:
        periods = selectors.retention_table(organisation=request_actor(request).organisation)
        return Response(RetentionPeriodSerializer(periods, many=True).data)

    @extend_schema(
        request=RetentionSetSerializer,
        responses={200: RetentionPeriodSerializer(many=True)},
        summary="Een eigen bewaartermijn vaststellen (functioneel beheer)",
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        if not actor.can(Permission.RETENTION_MANAGE):
            events.retention_change_refused(actor=actor)
        payload = RetentionSetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            services.retention_override_set(
                actor=actor,
                file_kind=values["file_kind"],
                years=values["years"],
                basis=values.get("basis", ""),
            )
        except SharingError as error:
            raise CaseRefused(str(error)) from error
        periods = selectors.retention_table(organisation=actor.organisation)
        return Response(RetentionPeriodSerializer(periods, many=True).data)
