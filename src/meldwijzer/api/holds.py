"""API v1 for legal holds (bewaarplicht): the organisation's holds, placing one on a file of the
organisation — a meldcode dossier, a coordination file, a follow-up plan or a report at Veilig
Thuis, named by kind and id — and lifting one, each with a reason. For the aandachtsfunctionaris
and the functioneel beheerder (`retention.hold`); the same services and access log as the case's
hold page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import CaseRefused, MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.api.schema import errors
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import events, selectors, services
from meldwijzer.privacy.models import LegalHold, ResourceKind
from meldwijzer.privacy.services import HoldError, HoldOutOfReach

# The kinds of file the retention job destroys, and so the kinds a hold can keep.
HOLD_KINDS = [
    (kind.value, kind.label)
    for kind in (
        ResourceKind.CASE,
        ResourceKind.COORDINATION_FILE,
        ResourceKind.FOLLOWUP_PLAN,
        ResourceKind.INCOMING_REPORT,
    )
]


class LegalHoldSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource_kind = serializers.ChoiceField(choices=HOLD_KINDS)
    resource_id = serializers.IntegerField()
    reference = serializers.CharField()
    reason = serializers.CharField()
    placed_at = serializers.DateTimeField()
    lifted_at = serializers.DateTimeField(allow_null=True)
    lift_reason = serializers.CharField()
    active = serializers.BooleanField()


class HoldPlaceSerializer(serializers.Serializer):
    resource_kind = serializers.ChoiceField(choices=HOLD_KINDS)
    resource_id = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(max_length=300)


class HoldLiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def _actor(request: Request) -> Actor:
    actor = request_actor(request)
    if not actor.can(Permission.RETENTION_HOLD):
        events.legal_hold_forbidden(actor=actor)
    return actor


class HoldsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: LegalHoldSerializer(many=True)},
        summary="Bewaarplichten op dossiers van uw organisatie, de lopende eerst",
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        holds = list(selectors.holds_for_organisation(organisation=actor.organisation))
        events.legal_holds_read(actor=actor, holds=holds)
        return Response(LegalHoldSerializer(holds, many=True).data)

    @extend_schema(
        request=HoldPlaceSerializer,
        responses={201: LegalHoldSerializer, **errors(404)},
        summary="Een bewaarplicht plaatsen: het dossier wordt niet vernietigd tot die is opgeheven",
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        payload = HoldPlaceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            hold = services.legal_hold_place(
                actor=actor,
                resource_kind=values["resource_kind"],
                resource_id=values["resource_id"],
                reason=values["reason"],
            )
        except HoldOutOfReach:
            events.legal_hold_refused(
                actor=actor,
                resource_kind=values["resource_kind"],
                resource_id=values["resource_id"],
            )
        except HoldError as error:
            raise CaseRefused(str(error)) from error
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class HoldLiftView(MethodFirstMixin, APIView):
    @extend_schema(
        request=HoldLiftSerializer,
        responses={200: LegalHoldSerializer},
        summary="Een bewaarplicht opheffen, met de reden; daarna geldt de bewaartermijn weer",
    )
    def post(self, request: Request, hold_id: int) -> Response:
        actor = _actor(request)
        hold = LegalHold.objects.filter(pk=hold_id, organisation=actor.organisation).first()
        if hold is None:
            events.legal_hold_refused(
                actor=actor, resource_kind="bewaarplicht", resource_id=hold_id
            )
        payload = HoldLiftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            hold = services.legal_hold_lift(
                actor=actor, hold=hold, reason=payload.validated_data["reason"]
            )
        except HoldError as error:
            raise CaseRefused(str(error)) from error
        return Response(LegalHoldSerializer(hold).data)
