"""Case conferences, under /api/v1/coordination/. Same rules as the pages (`coordination.conferences`),
same access log: a participant sees a conference; a pseudonymised item carries nothing that
identifies the family (no names, dates of birth, phone numbers, file reference or title) unless
the participant confirmed involvement; anyone else gets 404, logged."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.accounts.models import User
from meldwijzer.api.cases import CaseRefused, MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Action
from meldwijzer.coordination import conferences, events
from meldwijzer.coordination.conference_screening import ScreeningError
from meldwijzer.coordination.conferences import ConferenceAccess, ItemView
from meldwijzer.coordination.models import (
    Conference,
    ConferenceKind,
    MemberState,
    PartyKind,
    Presentation,
)
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.organisations.actor import Actor


def _call(action: Any, *, fields: dict[str, str] | None = None, **kwargs: Any) -> Any:
    """Call a service; text that would identify the family is refused field by field (`fields`
    maps the service's names to the body's), other refusals as 400 with the Dutch message."""
    try:
        return action(**kwargs)
    except ScreeningError as error:
        names = fields or {}
        raise serializers.ValidationError(
            {names.get(field, field): [message] for field, message in error.fields.items()}
        ) from error
    except CoordinationError as error:
        raise CaseRefused(str(error)) from error


# --- Serializers ----------------------------------------------------------------------------------


class ConferenceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ConferenceKind.choices)
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    chair = serializers.CharField(source="chair.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    item_count = serializers.IntegerField()
    participant_count = serializers.IntegerField()


class ConferenceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConferenceKind.choices)
    title = serializers.CharField(max_length=200, help_text="Zonder namen.")
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    chair_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Een collega; leeg: u bent de voorzitter."
    )
    participants = serializers.ListField(
        child=serializers.EmailField(),
        required=False,
        max_length=50,
        help_text="E-mailadressen van de deelnemers, ook van andere organisaties.",
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=30,
        help_text="Alleen bij een signaaloverleg: de onderwerpen, zonder namen.",
    )


class ConferenceParticipantSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.get_full_name")
    organisation = serializers.CharField(source="organisation.name")


class ConferenceNamedMemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)


class ConferenceAgreementSerializer(serializers.Serializer):
    what = serializers.CharField()
    party = serializers.CharField()
    owner = serializers.CharField(help_text="Bij een gezin zonder namen: alleen ‘Gezin’.")
    due_date = serializers.DateField(allow_null=True)


class ConferenceItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    position = serializers.IntegerField(source="item.position")
    presentation = serializers.ChoiceField(source="item.presentation", choices=Presentation.choices)
    identified = serializers.BooleanField(
        help_text="Of u ziet wie het gezin is: met toestemming, of na uw bevestigde betrokkenheid."
    )
    basis = serializers.CharField(help_text="toestemming, betrokkenheid, of leeg.")
    family = serializers.SerializerMethodField(
        help_text="Het gezin als rol en leeftijdsgroep, zoals ‘Kind (4–11 jaar)’."
    )
    named = ConferenceNamedMemberSerializer(many=True, help_text="Alleen als `identified`.")
    reference = serializers.CharField(help_text="Alleen als `identified`.")
    title = serializers.CharField(help_text="Alleen als `identified`.")
    question = serializers.CharField(source="item.question")
    summary = serializers.CharField(source="item.summary")
    decisions = serializers.CharField(source="item.decisions")
    agreements = ConferenceAgreementSerializer(many=True)
    confirmed = serializers.BooleanField()
    may_confirm = serializers.BooleanField()
    may_decide = serializers.BooleanField()

    def get_family(self, view: ItemView) -> list[str]:
        return [member.label for member in view.family]


class ConferenceDetailSerializer(ConferenceSummarySerializer):
    participants = ConferenceParticipantSerializer(many=True)
    items = ConferenceItemSerializer(many=True, help_text="Alleen bij een interventieoverleg.")
    topics = serializers.ListField(
        child=serializers.CharField(), help_text="Alleen bij een signaaloverleg."
    )
    figures = serializers.ListField(
        child=serializers.DictField(),
        help_text="Cijfers uit het datalab voor het signaaloverleg; nog leeg.",
    )


class ConferenceItemCreateSerializer(serializers.Serializer):
    file_id = serializers.IntegerField(help_text="Een regiedossier waarvan u casusregisseur bent.")
    presentation = serializers.ChoiceField(choices=Presentation.choices)
    ground_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Bij `toestemming`: de toestemming van het gezin voor het overleg.",
    )
    consent_given_by = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text="Of: bij `toestemming` de toestemming nu vastleggen: wie gaf haar.",
    )
    consent_until = serializers.DateField(required=False, allow_null=True)
    question = serializers.CharField(max_length=500)
    summary = serializers.CharField(max_length=5000)


class InvolvementConfirmSerializer(serializers.Serializer):
    statement = serializers.CharField(
        max_length=300, help_text="Hoe u bij het gezin betrokken bent."
    )


class InvolvementConfirmedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ConferenceAgreementInSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=500)
    party = serializers.ChoiceField(choices=PartyKind.choices)
    due_date = serializers.DateField()
    owner_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Een professional uit het team."
    )
    owner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    in_safety_plan = serializers.BooleanField(required=False, default=False)


class ConferenceDecideSerializer(serializers.Serializer):
    decisions = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    agreements = ConferenceAgreementInSerializer(
        many=True, required=False, help_text="Komen als afspraken in het regiedossier."
    )


# --- Views ----------------------------------------------------------------------------------------


def _detail(actor: Actor, access: ConferenceAccess) -> dict[str, Any]:
    conference: Conference = access.conference
    signals = conference.kind == ConferenceKind.SIGNALS
    items = [] if signals else conferences.conference_items(actor=actor, access=access)
    participants = conferences.conference_participants(conference=conference)
    conference.item_count = len(items)  # type: ignore[attr-defined]
    conference.participant_count = len(participants)  # type: ignore[attr-defined]
    body = ConferenceSummarySerializer(conference).data
    body["participants"] = ConferenceParticipantSerializer(participants, many=True).data
    body["items"] = ConferenceItemSerializer(items, many=True).data
    body["topics"] = conferences.signal_topics(conference) if signals else []
    body["figures"] = (
        [
            {"label": f.label, "value": f.value, "source": f.source}
            for f in conferences.signal_figures(
                conference=conference, organisation=conference.organisation
            )
        ]
        if signals
        else []
    )
    return body


class ConferenceListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: ConferenceSummarySerializer(many=True)},
        summary="Overleggen waaraan u deelneemt",
    )
    def get(self, request: Request) -> Response:
        rows = conferences.conference_list(actor=request_actor(request))
        return Response(ConferenceSummarySerializer(rows, many=True).data)

    @extend_schema(
        request=ConferenceCreateSerializer,
        responses={201: ConferenceDetailSerializer},
        summary="Een overleg plannen: een interventieoverleg of een signaaloverleg",
        description="Alleen een casusregisseur of aandachtsfunctionaris. U en de voorzitter "
        "nemen altijd deel; de deelnemers mogen van andere organisaties zijn.",
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        if not conferences.may_plan(actor):
            events.conference_plan_refused(actor=actor)
        payload = ConferenceCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        conference = _call(
            conferences.conference_create,
            actor=actor,
            kind=values["kind"],
            title=values["title"],
            starts_at=values["starts_at"],
            place=values.get("place", ""),
            participant_emails=values.get("participants", []),
            chair_email=values.get("chair_email", ""),
            topics="\n".join(values.get("topics", [])),
        )
        access = conferences.conference_get(actor=actor, conference_id=conference.pk)
        return Response(_detail(actor, access), status=status.HTTP_201_CREATED)


class ConferenceDetailView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: ConferenceDetailSerializer},
        summary="Een overleg, met de agenda zoals u die mag zien",
        description="Een gezin zonder toestemming staat er als rol en leeftijdsgroep in; pas na "
        "uw bevestigde betrokkenheid ziet u wie het is (gelogd). Wie niet deelneemt: 404.",
    )
    def get(self, request: Request, conference_id: int) -> Response:
        actor = request_actor(request)
        access = conferences.conference_get(actor=actor, conference_id=conference_id)
        return Response(_detail(actor, access))


class ConferenceItemsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: ConferenceItemSerializer(many=True)},
        summary="De agenda van een interventieoverleg",
    )
    def get(self, request: Request, conference_id: int) -> Response:
        actor = request_actor(request)
        access = conferences.conference_get(actor=actor, conference_id=conference_id)
        items = conferences.conference_items(actor=actor, access=access)
        return Response(ConferenceItemSerializer(items, many=True).data)

    @extend_schema(
        request=ConferenceItemCreateSerializer,
        responses={201: ConferenceItemSerializer},
        summary="Een gezin op de agenda zetten",
        description="Alleen een regiedossier waarvan u de casusregisseur bent. Vraag en "
        "samenvatting zonder namen, exacte datums, adressen, BSN, telefoonnummers, e-mailadressen "
        "of dossierkenmerken; anders 400 met wat er gevonden is.",
    )
    def post(self, request: Request, conference_id: int) -> Response:
        actor = request_actor(request)
        access = conferences.conference_organiser_get(
            actor=actor, conference_id=conference_id, action=Action.CREATE
        )
        payload = ConferenceItemCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        item = _call(
            conferences.conference_item_add,
            fields={},
            actor=actor,
            access=access,
            file_id=values["file_id"],
            question=values["question"],
            summary=values["summary"],
            presentation=values["presentation"],
            ground_id=values.get("ground_id"),
            consent_given_by=values.get("consent_given_by", ""),
            consent_until=values.get("consent_until"),
        )
        views = conferences.conference_items(actor=actor, access=access)
        view = next(view for view in views if view.item.pk == item.pk)
        return Response(ConferenceItemSerializer(view).data, status=status.HTTP_201_CREATED)


class ConferenceItemConfirmView(MethodFirstMixin, APIView):
    @extend_schema(
        request=InvolvementConfirmSerializer,
        responses={201: InvolvementConfirmedSerializer},
        summary="Uw betrokkenheid bij het gezin van een agendapunt bevestigen",
        description="Daarna ziet u in het overleg wie het gezin is; elke keer staat in het "
        "toegangslogboek.",
    )
    def post(self, request: Request, conference_id: int, item_id: int) -> Response:
        actor = request_actor(request)
        access = conferences.conference_get(
            actor=actor,
            conference_id=conference_id,
            action=Action.CREATE,
            part=conferences.PART_INVOLVEMENT,
        )
        item = conferences.item_get(
            actor=actor,
            access=access,
            item_id=item_id,
            action=Action.CREATE,
            part=conferences.PART_INVOLVEMENT,
        )
        payload = InvolvementConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        confirmation = _call(
            conferences.involvement_confirm,
            actor=actor,
            access=access,
            item=item,
            statement=payload.validated_data["statement"],
        )
        body = {
            "id": confirmation.pk,
            "item_id": item.pk,
            "created_at": confirmation.created_at,
        }
        return Response(InvolvementConfirmedSerializer(body).data, status=status.HTTP_201_CREATED)


class ConferenceItemDecisionsView(MethodFirstMixin, APIView):
    @extend_schema(
        request=ConferenceDecideSerializer,
        responses={200: ConferenceItemSerializer},
        summary="De besluiten bij een agendapunt vastleggen",
        description="De voorzitter, of de casusregisseur van het gezin. Afspraken komen in het "
        "regiedossier, met dit agendapunt erbij.",
    )
    def post(self, request: Request, conference_id: int, item_id: int) -> Response:
        actor = request_actor(request)
        access = conferences.conference_get(
            actor=actor,
            conference_id=conference_id,
            action=Action.UPDATE,
            part=conferences.PART_DECISIONS,
        )
        item = conferences.item_get(
            actor=actor,
            access=access,
            item_id=item_id,
            action=Action.UPDATE,
            part=conferences.PART_DECISIONS,
            deciding=True,
        )
        payload = ConferenceDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        team: dict[int, User] = {
            member.user_id: member.user
            for member in item.file.team.filter(state=MemberState.ACTIVE).select_related("user")
        }
        agreements = [
            conferences.AgreementData(
                what=agreement["what"],
                party=agreement["party"],
                due_date=agreement["due_date"],
                owner=team.get(agreement.get("owner_id") or 0),
                owner_name=agreement.get("owner_name", ""),
                in_safety_plan=agreement.get("in_safety_plan", False),
            )
            for agreement in values.get("agreements", [])
        ]
        _call(
            conferences.item_decide,
            fields={f"agreement_{n}": "agreements" for n in range(len(agreements))},
            actor=actor,
            access=access,
            item=item,
            decisions=values.get("decisions", ""),
            agreements=agreements,
        )
        views = conferences.conference_items(actor=actor, access=access)
        view = next(view for view in views if view.item.pk == item.pk)
        return Response(ConferenceItemSerializer(view).data)


urlpatterns = [
    path(
        "coordination/conferences/",
        ConferenceListView.as_view(),
        name="coordination-conferences",
    ),
    path(
        "coordination/conferences/<int:conference_id>/",
        ConferenceDetailView.as_view(),
        name="coordination-conference-detail",
    ),
    path(
        "coordination/conferences/<int:conference_id>/items/",
        ConferenceItemsView.as_view(),
        name="coordination-conference-items",
    ),
    path(
        "coordination/conferences/<int:conference_id>/items/<int:item_id>/confirm/",
        ConferenceItemConfirmView.as_view(),
        name="coordination-conference-item-confirm",
    ),
    path(
        "coordination/conferences/<int:conference_id>/items/<int:item_id>/decisions/",
        ConferenceItemDecisionsView.as_view(),
        name="coordination-conference-item-decisions",
    ),
]
