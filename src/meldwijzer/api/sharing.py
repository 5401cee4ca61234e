"""API v1 for sharing a consultation summary with an aandachtsfunctionaris of another
organisation: grant, list and revoke (the responsible professional), list and read what is shared
with oneself (the aandachtsfunctionaris); and the grounds for sharing a case's client's data:
list, record, withdraw consent. The same rules and the same access log as the pages
(`cases.sharing`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import CaseRefused, MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Action
from meldwijzer.cases import selectors, sharing
from meldwijzer.cases.entries import CONSULTED
from meldwijzer.privacy.models import CONFLICT_CHECKS, AccessGrant, GroundKind, SharingGround
from meldwijzer.privacy.services import SharingError


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField(source="user.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    ground_id = serializers.IntegerField()
    ground_kind = serializers.CharField(source="ground.kind")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    until = serializers.DateField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField(help_text="actief, verlopen, ingetrokken of grondslag vervallen")


class GrantCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="De aandachtsfunctionaris van een andere organisatie.")
    until = serializers.DateField(help_text="Inzien tot en met; uiterlijk 30 dagen vanaf vandaag.")
    ground_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Een grondslag die al is vastgelegd."
    )
    ground_kind = serializers.ChoiceField(
        choices=GroundKind.choices, required=False, help_text="Of: een nieuwe grondslag."
    )
    given_by = serializers.CharField(required=False, allow_blank=True, max_length=120)
    consent_until = serializers.DateField(required=False, allow_null=True)
    checks = serializers.ListField(
        child=serializers.ChoiceField(choices=CONFLICT_CHECKS), required=False, max_length=10
    )
    reasoning = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("ground_id") is None and not attrs.get("ground_kind"):
            raise serializers.ValidationError(
                {"ground_kind": ["Kies op welke grond u deelt, of geef `ground_id`."]}
            )
        return attrs


class SharedSummarySerializer(serializers.Serializer):
    entry_id = serializers.IntegerField(source="entry.pk")
    reference = serializers.CharField()
    step = serializers.CharField()
    date = serializers.CharField()
    shared_by = serializers.CharField(source="grant.granted_by.get_full_name")
    shared_by_organisation = serializers.CharField(source="grant.granted_by_organisation.name")
    until = serializers.DateField(source="grant.until")


class SharedConsultationSerializer(SharedSummarySerializer):
    consulted = serializers.CharField()
    anonymous = serializers.BooleanField()
    advice = serializers.CharField()
    ground_kind = serializers.CharField(source="grant.ground.kind")


def _grant_body(grant: AccessGrant, state: str) -> Any:
    grant.state = state  # type: ignore[attr-defined]
    return GrantSerializer(grant).data


class ConsultationGrantsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: GrantSerializer(many=True)},
        summary="Met wie een consultatieverslag is gedeeld (ook verlopen en ingetrokken)",
    )
    def get(self, request: Request, case_id: int, entry_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="delen")
        entry = sharing.case_consultation_get(actor=actor, case=case, entry_id=entry_id)
        grants = sharing.consultation_grants(case=case, entry=entry)
        return Response(GrantSerializer(grants, many=True).data)

    @extend_schema(
        request=GrantCreateSerializer,
        responses={201: GrantSerializer},
        summary="Een consultatieverslag delen met een aandachtsfunctionaris van een andere "
        "organisatie",
        description="Alleen de verantwoordelijke professional. Op een bestaande grondslag "
        "(`ground_id`) of een nieuwe: toestemming (`given_by`), conflict van plichten (alle "
        "`checks` en `reasoning`) of meldrecht (alleen Veilig Thuis).",
    )
    def post(self, request: Request, case_id: int, entry_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=Action.CREATE)
        entry = sharing.case_consultation_get(
            actor=actor, case=case, entry_id=entry_id, action=Action.CREATE
        )
        payload = GrantCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            grant = sharing.consultation_share(
                actor=actor,
                case=case,
                entry_id=entry.pk,
                email=values["email"],
                until=values["until"],
                ground_id=values.get("ground_id"),
                ground_kind=values.get("ground_kind", ""),
                given_by=values.get("given_by", ""),
                reasoning=values.get("reasoning", ""),
                checks=tuple(values.get("checks", ())),
                consent_until=values.get("consent_until"),
            )
        except SharingError as error:
            raise CaseRefused(str(error)) from error
        return Response(_grant_body(grant, "actief"), status=status.HTTP_201_CREATED)


class ConsultationGrantRevokeView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: GrantSerializer},
        summary="Gedeelde toegang tot een consultatieverslag intrekken",
    )
    def post(self, request: Request, case_id: int, grant_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=Action.UPDATE)
        grant = sharing.case_grant_get(
            actor=actor, case=case, grant_id=grant_id, action=Action.UPDATE
        )
        try:
            grant = sharing.consultation_grant_revoke(actor=actor, case=case, grant=grant)
        except SharingError as error:
            raise CaseRefused(str(error)) from error
        return Response(_grant_body(grant, "ingetrokken"))


class SharedListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: SharedSummarySerializer(many=True)},
        summary="Met u gedeeld: consultatieverslagen van andere organisaties",
    )
    def get(self, request: Request) -> Response:
        rows = sharing.shared_with_me(actor=request_actor(request))
        return Response(SharedSummarySerializer(rows, many=True).data)


class SharedConsultationView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: SharedConsultationSerializer},
        summary="Een met u gedeeld consultatieverslag lezen",
        description="Alleen het verslag met kenmerk, stap en datum; zonder toegang die nu loopt "
        "voor u, namens deze organisatie, is het antwoord 404.",
    )
    def get(self, request: Request, entry_id: int) -> Response:
        shared = sharing.shared_consultation_get(actor=request_actor(request), entry_id=entry_id)
        data = shared.entry.data
        body = SharedConsultationSerializer(
            {
                "entry": shared.entry,
                "reference": shared.reference,
                "step": shared.step,
                "date": shared.date,
                "grant": shared.grant,
                "consulted": dict(CONSULTED).get(data.get("consulted", ""), ""),
                "anonymous": bool(data.get("anonymous")),
                "advice": data.get("advice", ""),
            }
        ).data
        return Response(body)


# --- Grounds --------------------------------------------------------------------------------------


class GroundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=GroundKind.choices)
    what = serializers.CharField()
    with_whom = serializers.CharField()
    purpose = serializers.CharField()
    given_by = serializers.CharField()
    reasoning = serializers.CharField()
    checks = serializers.ListField(child=serializers.CharField())
    valid_until = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_note = serializers.CharField()
    in_force = serializers.BooleanField()


class GroundCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GroundKind.choices)
    what = serializers.CharField(max_length=300, help_text="Welke gegevens.")
    with_whom = serializers.CharField(max_length=300, help_text="Met wie.")
    purpose = serializers.CharField(max_length=300, help_text="Met welk doel.")
    given_by = serializers.CharField(required=False, allow_blank=True, max_length=120)
    reasoning = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    checks = serializers.ListField(
        child=serializers.ChoiceField(choices=CONFLICT_CHECKS), required=False, max_length=10
    )
    valid_until = serializers.DateField(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CaseGroundsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: GroundSerializer(many=True)},
        summary="De grondslagen voor delen van de cliënt van deze casus",
    )
    def get(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="delen")
        grounds = sharing.case_grounds(actor=actor, case=case)
        return Response(GroundSerializer(grounds, many=True).data)

    @extend_schema(
        request=GroundCreateSerializer,
        responses={201: GroundSerializer},
        summary="Een grondslag voor delen vastleggen: toestemming, conflict van plichten of "
        "meldrecht",
        description="Alleen de verantwoordelijke professional. Toestemming noemt wie haar gaf "
        "(`given_by`); een conflict van plichten bevestigt elk punt (`checks`) en onderbouwt "
        "(`reasoning`).",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=Action.CREATE)
        payload = GroundCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            ground = sharing.case_ground_record(
                actor=actor,
                case=case,
                kind=values["kind"],
                what=values["what"],
                with_whom=values["with_whom"],
                purpose=values["purpose"],
                given_by=values.get("given_by", ""),
                reasoning=values.get("reasoning", ""),
                checks=tuple(values.get("checks", ())),
                valid_until=values.get("valid_until"),
            )
        except SharingError as error:
            raise CaseRefused(str(error)) from error
        return Response(GroundSerializer(ground).data, status=status.HTTP_201_CREATED)


class CaseGroundWithdrawView(MethodFirstMixin, APIView):
    @extend_schema(
        request=WithdrawSerializer,
        responses={200: GroundSerializer},
        summary="Vastleggen dat de toestemming is ingetrokken; wat erop was gedeeld, sluit meteen",
    )
    def post(self, request: Request, case_id: int, ground_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=Action.UPDATE)
        ground: SharingGround = sharing.case_ground_get(
            actor=actor, case=case, ground_id=ground_id, action=Action.UPDATE
        )
        payload = WithdrawSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            ground = sharing.case_consent_withdraw(
                actor=actor, case=case, ground=ground, note=payload.validated_data.get("note", "")
            )
        except SharingError as error:
            raise CaseRefused(str(error)) from error
        return Response(GroundSerializer(ground).data)
