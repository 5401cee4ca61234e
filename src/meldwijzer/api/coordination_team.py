"""Coordination files, their team, family, agreements and invitations, under /api/v1/coordination/. Same rules as the pages (`coordination.rules`), same access log.

Every endpoint reads the file through `coordination.team_selectors.file_for` (a file out of reach
is 'not found', logged) and writes through the services of `coordination.team` and
`coordination.agreements`. A change to an agreement or to the next contact carries the version
that was read; someone else's change in between is answered with 409, and nothing is overwritten.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.accounts.models import User
from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.errors import ApiError
from meldwijzer.api.pagination import ShownPageMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Action
from meldwijzer.coordination import agreements, selectors, team, team_selectors
from meldwijzer.coordination.models import (
    Agreement,
    AgreementState,
    CoordinationFile,
    FamilyRole,
    FileParts,
    MemberState,
    PartyKind,
    TeamMember,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import ConflictError, CoordinationError, FamilyMemberData
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.models import SharingGround

# --- Errors ---------------------------------------------------------------------------------------


class CoordinationRefused(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "niet_mogelijk"
    default_detail = "Deze wijziging is niet mogelijk."


class CoordinationConflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    error_code = "gelijktijdige_wijziging"
    default_detail = "Iemand anders heeft dit intussen gewijzigd."


def _change(action: Any, **kwargs: Any) -> Any:
    """Call a service; a concurrent change is 409, any other refusal 400, in Dutch."""
    try:
        return action(**kwargs)
    except ConflictError as error:
        raise CoordinationConflict(str(error)) from error
    except CoordinationError as error:
        raise CoordinationRefused(str(error)) from error


def _may_lead(access: FileAccess) -> bool:
    return access.may_lead


def _may_write(access: FileAccess) -> bool:
    return access.may_write


# --- Serializers ----------------------------------------------------------------------------------


class ProfessionalSerializer(serializers.Serializer):
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()


class FileSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    lead_organisation = serializers.CharField(source="lead_organisation.name")
    coordinator = ProfessionalSerializer(
        help_text="De casusregisseur: het ene vaste aanspreekpunt."
    )
    next_contact = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


class FileDetailSerializer(FileSummarySerializer):
    opened_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="Stuur dit mee bij het plannen van het contact.")
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=FileParts.choices),
        help_text="Welke onderdelen u van dit dossier ziet.",
    )
    is_coordinator = serializers.BooleanField()


class TeamMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    role_description = serializers.CharField(help_text="Wat u van mij kunt verwachten.")
    phone = serializers.CharField()
    state = serializers.ChoiceField(choices=MemberState.choices)
    is_coordinator = serializers.BooleanField()
    ground_kind = serializers.CharField(allow_blank=True)
    parts = serializers.ListField(child=serializers.CharField())
    until = serializers.DateField(allow_null=True)
    invited_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    left_at = serializers.DateTimeField(allow_null=True)


def _member_body(member: TeamMember) -> dict[str, Any]:
    ground = member.ground or (member.grant.ground if member.grant is not None else None)
    return {
        "id": member.pk,
        "user": member.user,
        "organisation": member.organisation,
        "role_description": member.role_description,
        "phone": member.phone,
        "state": member.state,
        "is_coordinator": member.user_id == member.file.coordinator_id,
        "ground_kind": ground.kind if ground is not None else "",
        "parts": sorted({FileParts.TEAM.value, *member.parts}) if ground is not None else [],
        "until": member.until,
        "invited_at": member.invited_at,
        "answered_at": member.answered_at,
        "left_at": member.left_at,
    }


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="De professional die u uitnodigt.")
    role_description = serializers.CharField(max_length=500)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    ground_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Voor een andere organisatie: een grondslag die u voor dit gezin vastlegde.",
    )
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=FileParts.choices), required=False, max_length=4
    )
    until = serializers.DateField(required=False, allow_null=True)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_reference = serializers.CharField(source="file.reference")
    file_title = serializers.CharField(source="file.title", help_text="Zonder namen.")
    lead_organisation = serializers.CharField(source="file.lead_organisation.name")
    coordinator = serializers.CharField(source="file.coordinator.get_full_name")
    role_description = serializers.CharField()
    ground_kind = serializers.CharField(source="ground.kind", allow_null=True, default=None)
    parts = serializers.ListField(child=serializers.CharField())
    until = serializers.DateField(allow_null=True)
    invited_at = serializers.DateTimeField()


class FamilyMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(choices=FamilyRole.choices)
    name = serializers.CharField(max_length=200)
    relation = serializers.CharField(max_length=120, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    party = serializers.ChoiceField(choices=PartyKind.choices)
    owner = serializers.CharField(
        allow_null=True, help_text="De professional, bij een professional."
    )
    owner_name = serializers.CharField(help_text="Bij het gezin of netwerk.")
    due_date = serializers.DateField()
    state = serializers.ChoiceField(choices=AgreementState.choices)
    overdue = serializers.BooleanField()
    in_safety_plan = serializers.BooleanField()
    version = serializers.IntegerField(help_text="Stuur dit mee bij een wijziging.")


def _agreement_body(agreement: Agreement, today: datetime.date) -> dict[str, Any]:
    owner = agreement.owner
    return {
        "id": agreement.pk,
        "what": agreement.what,
        "party": agreement.party,
        "owner": (owner.get_full_name() or owner.username) if owner is not None else None,
        "owner_name": agreement.owner_name,
        "due_date": agreement.due_date,
        "state": agreement.state,
        "overdue": agreement.is_overdue(today),
        "in_safety_plan": agreement.in_safety_plan,
        "version": agreements.agreement_version(agreement),
    }


class AgreementCreateSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=500)
    party = serializers.ChoiceField(choices=PartyKind.choices)
    owner_email = serializers.EmailField(
        required=False, help_text="Bij een professional: iemand uit het team."
    )
    owner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    due_date = serializers.DateField()
    in_safety_plan = serializers.BooleanField(required=False, default=False)


class AgreementChangeSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=AgreementState.choices, required=False)
    due_date = serializers.DateField(required=False)
    version = serializers.IntegerField(min_value=0, help_text="De versie die u hebt gelezen.")


class NextContactSerializer(serializers.Serializer):
    next_contact = serializers.DateField(allow_null=True)
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="De versie van het dossier die u hebt gelezen."
    )


# --- Files ----------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Mijn regiedossiers: waar ik casusregisseur of teamlid ben",
        description="De lopende regiedossiers, laatst gewijzigd eerst, in pagina's (`page`, "
        "`page_size`).",
    )
)
class FileListView(MethodFirstMixin, ShownPageMixin, generics.ListAPIView):
    serializer_class = FileSummarySerializer

    def get_queryset(self) -> QuerySet[CoordinationFile]:
        return selectors.file_list_queryset(actor=request_actor(self.request))

    def page_shown(self, rows: list[Any]) -> list[Any]:
        return selectors.file_list_read(actor=request_actor(self.request), files=rows)


class FileDetailView(MethodFirstMixin, APIView):
    @extend_schema(responses={200: FileDetailSerializer}, summary="Eén regiedossier")
    def get(self, request: Request, file_id: int) -> Response:
        access = team_selectors.file_for(actor=request_actor(request), file_id=file_id)
        file = access.file
        file.parts = sorted(access.parts)  # type: ignore[attr-defined]
        file.is_coordinator = access.is_coordinator  # type: ignore[attr-defined]
        return Response(FileDetailSerializer(file).data)


# --- Team and invitations -------------------------------------------------------------------------


class TeamView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: TeamMemberSerializer(many=True)},
        summary="Het team: wie doet mee, wie is uitgenodigd, wie niet meer",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = team_selectors.file_for(actor=request_actor(request), file_id=file_id)
        members = team_selectors.team_list(access.file, current=False)
        for member in members:
            member.file = access.file
        return Response(TeamMemberSerializer([_member_body(m) for m in members], many=True).data)

    @extend_schema(
        request=InviteSerializer,
        responses={201: TeamMemberSerializer},
        summary="Een professional uitnodigen (alleen de casusregisseur)",
        description="Voor een andere organisatie: `ground_id` (toestemming of conflict van "
        "plichten, vastgelegd voor dit gezin), `parts` en `until`. De professional ziet het "
        "dossier pas na het aannemen van de uitnodiging.",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = team_selectors.file_for(
            actor=actor, file_id=file_id, action=Action.CREATE, need=_may_lead
        )
        payload = InviteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        user = User.objects.filter(email__iexact=values["email"], is_active=True).first()
        member_actor = (
            actor_for_user(user=user, organisation_id=access.file.lead_organisation_id)
            if user is not None
            else None
        )
        if user is None or member_actor is None:
            raise serializers.ValidationError(
                {"email": ["Er is geen professional met dit e-mailadres."]}
            )
        ground = None
        if values.get("ground_id") is not None:
            ground = SharingGround.objects.filter(
                pk=values["ground_id"],
                organisation=access.file.lead_organisation,
                client_pseudonym=access.file.client_pseudonym,
            ).first()
            if ground is None:
                raise serializers.ValidationError(
                    {"ground_id": ["Deze grondslag hoort niet bij dit gezin."]}
                )
        organisation: Organisation = member_actor.organisation
        member = _change(
            team.invitation_send,
            actor=actor,
            access=access,
            user=user,
            organisation=organisation,
            role_description=values["role_description"],
            phone=values.get("phone", ""),
            ground=ground,
            parts=values.get("parts", ()),
            until=values.get("until"),
        )
        return Response(
            TeamMemberSerializer(_member_body(member)).data, status=status.HTTP_201_CREATED
        )


class TeamMemberEndView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: TeamMemberSerializer},
        summary="Een deelname beëindigen (de casusregisseur) of zelf stoppen (het teamlid)",
        description="De gedeelde toegang stopt meteen.",
    )
    def post(self, request: Request, file_id: int, team_member_id: int) -> Response:
        actor = request_actor(request)
        access = team_selectors.file_for(
            actor=actor, file_id=file_id, action=Action.UPDATE, need=_may_write
        )
        member = team_selectors.team_member_to_end(
            actor=actor, access=access, team_member_id=team_member_id
        )
        member = _change(team.membership_end, actor=actor, access=access, member=member)
        return Response(TeamMemberSerializer(_member_body(member)).data)


class InvitationListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: InvitationSerializer(many=True)},
        summary="Uitnodigingen die op mijn antwoord wachten",
        description="Alleen de uitnodiging zelf: van het gezin ziet u niets tot u aanneemt.",
    )
    def get(self, request: Request) -> Response:
        invitations = team_selectors.invitation_list(actor=request_actor(request))
        return Response(InvitationSerializer(invitations, many=True).data)


class InvitationAcceptView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: TeamMemberSerializer},
        summary="Een uitnodiging aannemen; pas nu wordt de toegang gegeven",
    )
    def post(self, request: Request, invitation_id: int) -> Response:
        actor = request_actor(request)
        member = team_selectors.invitation_get(actor=actor, invitation_id=invitation_id)
        member = _change(team.invitation_accept, actor=actor, member=member)
        return Response(TeamMemberSerializer(_member_body(member)).data)


class InvitationDeclineView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None, responses={200: TeamMemberSerializer}, summary="Een uitnodiging afslaan"
    )
    def post(self, request: Request, invitation_id: int) -> Response:
        actor = request_actor(request)
        member = team_selectors.invitation_get(actor=actor, invitation_id=invitation_id)
        member = _change(team.invitation_decline, actor=actor, member=member)
        return Response(TeamMemberSerializer(_member_body(member)).data)


# --- Family and network ---------------------------------------------------------------------------


class FamilyView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: FamilyMemberSerializer(many=True)},
        summary="Gezin en netwerk (alleen met het onderdeel ‘gezin’)",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = team_selectors.file_for(
            actor=request_actor(request), file_id=file_id, part=FileParts.FAMILY
        )
        family = team_selectors.family_list(access.file)
        return Response(FamilyMemberSerializer(family, many=True).data)

    @extend_schema(
        request=FamilyMemberSerializer,
        responses={201: FamilyMemberSerializer},
        summary="Iemand van het gezin of netwerk toevoegen (team van de organisatie met regie)",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = team_selectors.file_for(
            actor=actor,
            file_id=file_id,
            part=FileParts.FAMILY,
            action=Action.CREATE,
            need=team_selectors.may_keep_family,
        )
        payload = FamilyMemberSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        added = _change(
            team.family_member_create,
            actor=actor,
            access=access,
            member=FamilyMemberData(
                role=values["role"],
                name=values["name"],
                relation=values.get("relation", ""),
                date_of_birth=values.get("date_of_birth"),
                phone=values.get("phone", ""),
            ),
        )
        return Response(FamilyMemberSerializer(added).data, status=status.HTTP_201_CREATED)


# --- Agreements and the next contact --------------------------------------------------------------


class AgreementsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: AgreementSerializer(many=True)},
        summary="De afspraken: lopende eerst, met wat over de datum is",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = team_selectors.file_for(actor=request_actor(request), file_id=file_id)
        today = timezone.localdate()
        rows = [_agreement_body(a, today) for a in team_selectors.agreement_list(access)]
        return Response(AgreementSerializer(rows, many=True).data)

    @extend_schema(
        request=AgreementCreateSerializer,
        responses={201: AgreementSerializer},
        summary="Een afspraak vastleggen, met een professional, het gezin of het netwerk",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = team_selectors.file_for(
            actor=actor, file_id=file_id, action=Action.CREATE, need=_may_write
        )
        payload = AgreementCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        owner = None
        if values["party"] == PartyKind.PROFESSIONAL:
            owner = User.objects.filter(email__iexact=values.get("owner_email", "")).first()
        agreement = _change(
            agreements.agreement_create,
            actor=actor,
            access=access,
            what=values["what"],
            party=values["party"],
            due_date=values["due_date"],
            owner=owner,
            owner_name=values.get("owner_name", ""),
            in_safety_plan=values["in_safety_plan"],
        )
        body = _agreement_body(agreement, timezone.localdate())
        return Response(AgreementSerializer(body).data, status=status.HTTP_201_CREATED)


class AgreementDetailView(MethodFirstMixin, APIView):
    @extend_schema(
        request=AgreementChangeSerializer,
        responses={200: AgreementSerializer},
        summary="De stand of de datum van een afspraak wijzigen",
        description="Met de `version` die u las. Is de afspraak intussen gewijzigd, dan is het "
        "antwoord 409 en verandert er niets.",
    )
    def patch(self, request: Request, file_id: int, agreement_id: int) -> Response:
        actor = request_actor(request)
        access = team_selectors.file_for(
            actor=actor, file_id=file_id, action=Action.UPDATE, need=_may_write
        )
        agreement = team_selectors.agreement_get(
            actor=actor, access=access, agreement_id=agreement_id
        )
        payload = AgreementChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        agreement = _change(
            agreements.agreement_update,
            actor=actor,
            access=access,
            agreement=agreement,
            state=values.get("state", agreement.state),
            due_date=values.get("due_date", agreement.due_date),
            expected_version=values["version"],
        )
        agreement = team_selectors.owner_names_for(access, [agreement])[0]
        return Response(AgreementSerializer(_agreement_body(agreement, timezone.localdate())).data)


class NextContactView(MethodFirstMixin, APIView):
    @extend_schema(
        request=NextContactSerializer,
        responses={200: NextContactSerializer},
        summary="Het volgende contact met het gezin plannen (alleen de casusregisseur)",
        description="Met de `version` van het dossier die u las; anders 409.",
    )
    def put(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = team_selectors.file_for(
            actor=actor, file_id=file_id, action=Action.UPDATE, need=_may_lead
        )
        payload = NextContactSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        result = _change(
            team.next_contact_set,
            actor=actor,
            access=access,
            next_contact=values["next_contact"],
            expected_version=values["version"],
        )
        return Response(
            NextContactSerializer({"next_contact": result.date, "version": result.version}).data
        )


FILE = "coordination/files/<int:file_id>/"

urlpatterns = [
    path("coordination/files/", FileListView.as_view(), name="coordination-file-list"),
    path(FILE, FileDetailView.as_view(), name="coordination-file-detail"),
    path(FILE + "team/", TeamView.as_view(), name="coordination-team"),
    path(
        FILE + "team/<int:team_member_id>/end/",
        TeamMemberEndView.as_view(),
        name="coordination-team-member-end",
    ),
    path(FILE + "family/", FamilyView.as_view(), name="coordination-family"),
    path(FILE + "agreements/", AgreementsView.as_view(), name="coordination-agreements"),
    path(
        FILE + "agreements/<int:agreement_id>/",
        AgreementDetailView.as_view(),
        name="coordination-agreement-detail",
    ),
    path(FILE + "next-contact/", NextContactView.as_view(), name="coordination-next-contact"),
    path(
        "coordination/invitations/",
        InvitationListView.as_view(),
        name="coordination-invitation-list",
    ),
    path(
        "coordination/invitations/<int:invitation_id>/accept/",
        InvitationAcceptView.as_view(),
        name="coordination-invitation-accept",
    ),
    path(
        "coordination/invitations/<int:invitation_id>/decline/",
        InvitationDeclineView.as_view(),
        name="coordination-invitation-decline",
    ),
]
