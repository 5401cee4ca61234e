"""/api/v1/ for the meldcode registry: the same selectors, services and access log as the pages.

- `trainings/registry/` (GET): the organisation's registry — meldcode, aandachtsfunctionarissen,
  every professional with their latest training and status; for its functioneel beheerder;
- `trainings/registry/trainings/` (GET, POST): the trainings recorded, and recording one;
- `trainings/registry/officers/` (GET, POST): the aandachtsfunctionarissen, and registering one;
- `trainings/me/` (GET): the caller's own trainings and status (everyone);
- `trainings/coverage/` (GET): the municipality's coverage, protected as on the datalab page (for
  the roles that see aggregates).
A person of another organisation is 404 (logged); a role without the right is 403 (logged).
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.api.schema import errors
from meldwijzer.audit.models import Subject
from meldwijzer.core import events as door_events
from meldwijzer.datalab import events as datalab_events
from meldwijzer.datalab.coverage import ANALYSIS, coverage_for
from meldwijzer.datalab.disclosure import REASONS, Cell
from meldwijzer.datalab.report import Derived
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.trainings import registry
from meldwijzer.trainings.models import DEFAULT_REFRESH_MONTHS, TrainingKind, TrainingRecord

MAX_ID = 2**31 - 1


def _manager(request: Request) -> Actor:
    actor = request_actor(request)
    if not actor.can(Permission.TRAININGS_MANAGE):
        door_events.request_refused(
            actor=actor, subject=Subject.MELDCODE_REGISTRY, subject_id=request.path[:64]
        )
    return actor


def _service(action: Any, **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
    except registry.RegistryInputError as error:
        raise serializers.ValidationError(error.errors) from error


# --- Serializers ------------------------------------------------------------------------------------


class RegistryTrainingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    completed_on = serializers.DateField()
    provider = serializers.CharField()
    refresh_months = serializers.IntegerField()
    due_on = serializers.DateField()

    def get_name(self, record: TrainingRecord) -> str:
        return registry.user_label(record.user)


class RegistryTrainingCreateSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    completed_on = serializers.DateField()
    provider = serializers.CharField(max_length=200)
    refresh_months = serializers.IntegerField(
        min_value=1, max_value=60, required=False, default=DEFAULT_REFRESH_MONTHS
    )


class RegistryOfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    training = serializers.CharField(allow_blank=True)
    trained_on = serializers.DateField(allow_null=True)
    register = serializers.CharField(allow_blank=True)
    register_number = serializers.CharField(allow_blank=True)
    vog_on = serializers.DateField(allow_null=True)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)

    def get_name(self, officer: Any) -> str:
        return registry.user_label(officer.user)


class RegistryOfficerCreateSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    started_on = serializers.DateField()
    training = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    trained_on = serializers.DateField(required=False, allow_null=True, default=None)
    register = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    register_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    vog_on = serializers.DateField(required=False, allow_null=True, default=None)


class RegistryMeldcodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    adopted_on = serializers.DateField()
    has_document = serializers.SerializerMethodField()

    def get_has_document(self, adoption: Any) -> bool:
        return bool(adoption.document)


class RegistryProfessionalSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in registry.Status])
    due_on = serializers.DateField(source="record.due_on", allow_null=True, default=None)
    days_left = serializers.IntegerField(allow_null=True)


class RegistrySerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.name")
    meldcode = RegistryMeldcodeSerializer(source="adoption", allow_null=True)
    officers = RegistryOfficerSerializer(many=True)
    professionals = RegistryProfessionalSerializer(many=True, source="lines")


class TrainingOwnStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in registry.Status])
    due_on = serializers.DateField(source="current.due_on", allow_null=True, default=None)
    days_left = serializers.IntegerField(allow_null=True)
    trainings = RegistryTrainingSerializer(many=True, source="records")


class CoverageCellSerializer(serializers.Serializer):
    shown = serializers.CharField(help_text="Zoals getoond: het afgeronde getal, of '.'.")
    value = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class CoverageOrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    sector = serializers.CharField()
    has_officer = serializers.BooleanField()
    adopted_on = serializers.DateField(allow_null=True)
    professionals = CoverageCellSerializer()
    trained = CoverageCellSerializer()
    overdue = CoverageCellSerializer()


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    cells = CoverageCellSerializer(many=True)


class CoverageTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = CoverageRowSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    today = serializers.DateField()
    organisations = CoverageOrganisationSerializer(many=True)
    without_officer = serializers.ListField(child=serializers.CharField())
    tables = CoverageTableSerializer(many=True)
    rule = serializers.CharField()
    reasons = serializers.DictField(child=serializers.CharField())


def _cell(cell: Cell | Derived) -> dict[str, Any]:
    return {"shown": cell.shown, "value": cell.value, "reason": cell.reason}


# --- Views --------------------------------------------------------------------------------------------


class RegistryView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: RegistrySerializer},
        summary="Het meldcoderegister van mijn organisatie",
        description="Voor de functioneel beheerder: meldcode, aandachtsfunctionarissen en per "
        "professional de laatste training en de stand (geldig, binnenkort, verlopen, geen).",
    )
    def get(self, request: Request) -> Response:
        found = registry.registry_get(actor=_manager(request))
        return Response(RegistrySerializer(found).data)


class TrainingListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: RegistryTrainingSerializer(many=True)},
        summary="De vastgelegde meldcodetrainingen van mijn organisatie",
    )
    def get(self, request: Request) -> Response:
        records = registry.training_list(actor=_manager(request))
        return Response(RegistryTrainingSerializer(records, many=True).data)

    @extend_schema(
        request=RegistryTrainingCreateSerializer,
        responses={201: RegistryTrainingSerializer, **errors(404)},
        summary="Een gevolgde meldcodetraining vastleggen",
        description="Een medewerker van een andere organisatie is 404. Een datum in de "
        "toekomst is 400.",
    )
    def post(self, request: Request) -> Response:
        actor = _manager(request)
        payload = RegistryTrainingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        record = _service(
            registry.training_record,
            actor=actor,
            user_id=values["user_id"],
            kind=values["kind"],
            completed_on=values["completed_on"],
            provider=values["provider"],
            refresh_months=values["refresh_months"],
        )
        return Response(RegistryTrainingSerializer(record).data, status=status.HTTP_201_CREATED)


class OfficerListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: RegistryOfficerSerializer(many=True)},
        summary="De aandachtsfunctionarissen van mijn organisatie (ook wie stopte)",
    )
    def get(self, request: Request) -> Response:
        found = registry.registry_get(actor=_manager(request))
        return Response(RegistryOfficerSerializer(found.officers, many=True).data)

    @extend_schema(
        request=RegistryOfficerCreateSerializer,
        responses={201: RegistryOfficerSerializer, **errors(404)},
        summary="Een aandachtsfunctionaris registreren",
        description="Een medewerker van een andere organisatie is 404.",
    )
    def post(self, request: Request) -> Response:
        actor = _manager(request)
        payload = RegistryOfficerCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        officer = _service(registry.officer_register, actor=actor, **payload.validated_data)
        return Response(RegistryOfficerSerializer(officer).data, status=status.HTTP_201_CREATED)


class OwnStatusView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: TrainingOwnStatusSerializer},
        summary="Mijn meldcodetraining: wat ik volgde en wanneer opfrissen nodig is",
    )
    def get(self, request: Request) -> Response:
        own = registry.own_status(actor=request_actor(request))
        return Response(TrainingOwnStatusSerializer(own).data)


class CoverageView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: CoverageSerializer},
        summary="De meldcode in de organisaties van mijn gemeente (beveiligd)",
        description="Zoals op de datalabpagina: per organisatie of er een aandachtsfunctionaris "
        "en een meldcode is; aantallen professionals beveiligd (een verborgen cel heeft `value` "
        "null, `shown` '.' en een `reason`).",
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        result = coverage_for(actor=actor)
        datalab_events.figures_read(
            actor=actor, analysis=f"api-{ANALYSIS}", version=f"{result.today:%Y%m%d}"
        )
        body = {
            "municipality": result.municipality,
            "today": result.today,
            "organisations": [
                {
                    "name": line.name,
                    "sector": line.sector,
                    "has_officer": line.has_officer,
                    "adopted_on": line.adopted_on,
                    "professionals": _cell(line.professionals),
                    "trained": _cell(line.trained),
                    "overdue": _cell(line.overdue),
                }
                for line in result.organisations
            ],
            "without_officer": [line.name for line in result.without_officer],
            "tables": [
                {
                    "key": table.key,
                    "title": table.title,
                    "columns": list(table.columns),
                    "rows": [
                        {"key": row.key, "label": row.label, "cells": [_cell(c) for c in row.cells]}
                        for row in table.rows
                    ],
                }
                for table in result.tables
            ],
            "rule": result.rule,
            "reasons": REASONS,
        }
        return Response(CoverageSerializer(body).data)


urlpatterns: list[URLPattern] = [
    path("trainings/registry/", RegistryView.as_view(), name="trainings-registry"),
    path(
        "trainings/registry/trainings/",
        TrainingListView.as_view(),
        name="trainings-registry-trainings",
    ),
    path(
        "trainings/registry/officers/",
        OfficerListView.as_view(),
        name="trainings-registry-officers",
    ),
    path("trainings/me/", OwnStatusView.as_view(), name="trainings-me"),
    path("trainings/coverage/", CoverageView.as_view(), name="trainings-coverage"),
]
