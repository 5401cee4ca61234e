"""/api/v1/ for the meldcode worries ('zorgen delen'): the same selectors, services and access
log as the pages (`trainings.worries`).

- `trainings/worries/` — GET the worries I shared (paged, open first); POST share a worry;
- `trainings/worries/inbox/` — GET the worries waiting for me as aandachtsfunctionaris or as
  the consultation line (paged, open first);
- `trainings/worries/<id>/` — one worry with its conversation (404, logged, when out of reach);
- `trainings/worries/<id>/messages/` (POST) — an answer (from whoever answers) or a new question
  (from the asker);
- `trainings/worries/<id>/close/` (POST) — the asker closes the worry;
- `trainings/worries/<id>/case/` (POST) — the asker opens a meldcode case from it.

Every text is checked for identifying data exactly as on the pages: a finding is a 400 with
the Dutch messages per field, and nothing changes. Only roles that work on cases use these
operations; any other role gets 403, logged.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.errors import ApiError
from meldwijzer.api.pagination import ShownPageMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Subject
from meldwijzer.cases.models import ClientKind
from meldwijzer.core import events as door_events
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Profession
from meldwijzer.organisations.roles import Permission
from meldwijzer.trainings import worries
from meldwijzer.trainings.models import Worry, WorryMessage, WorryRecipient, WorryState
from meldwijzer.trainings.worries import WorryAccess, WorryError, WorryInputError


class WorryRefused(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "niet_mogelijk"
    default_detail = "Dit is niet mogelijk bij deze zorg."


def _change(action: Any, **kwargs: Any) -> Any:
    """Call a service: refused input is a 400 per field, any other refusal a 400 with its
    reason — in Dutch, and nothing changed."""
    try:
        return action(**kwargs)
    except WorryInputError as error:
        raise serializers.ValidationError(error.errors) from error
    except WorryError as error:
        raise WorryRefused(str(error)) from error


def _case_worker(request: Request) -> Actor:
    """Worries are shared and answered by professionals who work on cases; anyone else is
    refused (403), logged with what they asked for."""
    actor = request_actor(request)
    if not actor.can(Permission.CASE_WORK):
        door_events.request_refused(
            actor=actor, subject=Subject.WORRIES, subject_id=request.path[:64]
        )
    return actor


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


# --- Serializers ----------------------------------------------------------------------------------


class WorrySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=WorryState.choices)
    recipient = serializers.ChoiceField(choices=WorryRecipient.choices)
    line_organisation = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    asked_by = serializers.SerializerMethodField()
    profession = serializers.CharField()
    target_group = serializers.CharField()
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    message_count = serializers.IntegerField()
    case_reference = serializers.SerializerMethodField()

    def get_line_organisation(self, worry: Worry) -> str:
        return worry.line_organisation.name if worry.line_organisation else ""

    def get_asked_by(self, worry: Worry) -> str:
        return _name(worry.asked_by)

    def get_case_reference(self, worry: Worry) -> str:
        return worry.case.reference if worry.case else ""


class WorryMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    is_answer = serializers.SerializerMethodField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_author(self, message: WorryMessage) -> str:
        return _name(message.author)

    def get_is_answer(self, message: WorryMessage) -> bool:
        return message.author_id != message.worry.asked_by_id


class WorryDetailSerializer(WorrySummarySerializer):
    question = serializers.CharField()
    messages = WorryMessageSerializer(many=True)
    may_answer = serializers.BooleanField()
    may_reply = serializers.BooleanField()
    may_close = serializers.BooleanField()
    may_make_case = serializers.BooleanField()
    case_id = serializers.IntegerField(allow_null=True)


class WorryCreateSerializer(serializers.Serializer):
    recipient = serializers.ChoiceField(
        choices=WorryRecipient.choices,
        help_text="`aandachtsfunctionaris` van de eigen organisatie, of de regionale "
        "`consultatielijn`: de Veilig Thuis-organisatie die werkt in de gemeente van uw "
        "organisatie.",
        error_messages={
            "required": "Kies aan wie u uw zorg voorlegt.",
            "invalid_choice": "Kies aandachtsfunctionaris of consultatielijn.",
        },
    )
    question = serializers.CharField(
        max_length=worries.QUESTION_MAX,
        help_text="Uw zorg en uw vraag, zonder namen, datums, adressen, postcodes, BSN, "
        "telefoonnummers of e-mailadressen.",
        error_messages={
            "required": "Beschrijf uw zorg en uw vraag.",
            "blank": "Beschrijf uw zorg en uw vraag.",
        },
    )
    profession = serializers.ChoiceField(
        choices=Profession.choices,
        required=False,
        allow_blank=True,
        help_text="Leeg: de beroepsgroep van uw lidmaatschap.",
        error_messages={"invalid_choice": "Kies een beroepsgroep uit de lijst."},
    )
    target_group = serializers.ChoiceField(
        choices=worries.TARGET_GROUPS,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "Kies een doelgroep uit de lijst, of laat het leeg."},
    )


class WorryMessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=worries.MESSAGE_MAX,
        help_text="Het antwoord of een nieuwe vraag, zonder herkenbare gegevens.",
        error_messages={"required": "Schrijf uw bericht.", "blank": "Schrijf uw bericht."},
    )


class WorryToCaseSerializer(serializers.Serializer):
    client = serializers.ChoiceField(
        choices=ClientKind.choices,
        error_messages={
            "required": "Kies of uw zorg over een kind of een volwassene gaat.",
            "invalid_choice": "Kies of uw zorg over een kind of een volwassene gaat.",
        },
    )


class WorryCaseSerializer(serializers.Serializer):
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    worry_reference = serializers.CharField()


# --- Views ----------------------------------------------------------------------------------------


def _detail(access: WorryAccess) -> dict[str, Any]:
    worry = access.worry
    conversation = worries.worry_messages(worry)
    for message in conversation:
        message.worry = worry  # no query per message for `is_answer`
    worry.message_count = len(conversation)  # type: ignore[attr-defined]
    body = dict(WorrySummarySerializer(worry).data)
    body.update(
        question=worry.question,
        messages=WorryMessageSerializer(conversation, many=True).data,
        may_answer=access.may_answer,
        may_reply=access.may_reply,
        may_close=access.may_close,
        may_make_case=access.may_make_case,
        case_id=worry.case_id,
    )
    return body


def _detail_body(actor: Actor, worry_id: int) -> dict[str, Any]:
    return _detail(worries.worry_get(actor=actor, worry_id=worry_id))


@extend_schema_view(
    get=extend_schema(
        summary="Mijn gedeelde zorgen",
        description="De zorgen die u deelde voor de organisatie waarvoor u werkt; open eerst.",
    )
)
class WorryListView(MethodFirstMixin, ShownPageMixin, generics.ListAPIView):
    serializer_class = WorrySummarySerializer

    def get_queryset(self) -> QuerySet[Worry]:
        return worries.worries_mine_queryset(actor=_case_worker(self.request))

    def page_shown(self, rows: list[Any]) -> list[Any]:
        actor = request_actor(self.request)
        return worries.worries_shown(actor=actor, worries=rows, part=worries.MINE)

    @extend_schema(
        request=WorryCreateSerializer,
        responses={201: WorryDetailSerializer},
        summary="Een zorg delen zonder herkenbare gegevens",
        description="Staat er in de tekst iets waaraan iemand te herkennen is (naam, datum, "
        "adres, postcode, BSN, telefoonnummer, e-mailadres), dan volgt 400 met per gevonden "
        "gegeven een melding onder `fields.question`; er is dan niets opgeslagen.",
    )
    def post(self, request: Request) -> Response:
        actor = _case_worker(request)
        payload = WorryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        worry = _change(
            worries.worry_share,
            actor=actor,
            recipient=values["recipient"],
            question=values["question"],
            profession=values.get("profession", ""),
            target_group=values.get("target_group", ""),
        )
        return Response(_detail_body(actor, worry.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="Zorgen voor mij",
        description="Als aandachtsfunctionaris: de zorgen van collega’s aan u. Bij de "
        "consultatielijn: de zorgen aan uw organisatie. Open eerst.",
    )
)
class WorryInboxView(MethodFirstMixin, ShownPageMixin, generics.ListAPIView):
    serializer_class = WorrySummarySerializer

    def get_queryset(self) -> QuerySet[Worry]:
        return worries.worries_inbox_queryset(actor=_case_worker(self.request))

    def page_shown(self, rows: list[Any]) -> list[Any]:
        actor = request_actor(self.request)
        return worries.worries_shown(actor=actor, worries=rows, part=worries.INBOX)


class WorryDetailView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: WorryDetailSerializer},
        summary="Eén gedeelde zorg met het gesprek",
        description="Voor wie de zorg deelde en voor wie haar beantwoordt; voor ieder ander 404.",
    )
    def get(self, request: Request, worry_id: int) -> Response:
        return Response(_detail_body(_case_worker(request), worry_id))


class WorryMessagesView(MethodFirstMixin, APIView):
    @extend_schema(
        request=WorryMessageCreateSerializer,
        responses={201: WorryDetailSerializer},
        summary="Antwoorden, of een nieuwe vraag stellen",
        description="Van wie antwoordt: het antwoord (de zorg wordt ‘beantwoord’, de vrager "
        "krijgt een e-mail zonder inhoud). Van de vrager: een nieuwe vraag (de zorg staat weer "
        "open). Een gesloten zorg neemt geen berichten meer aan.",
    )
    def post(self, request: Request, worry_id: int) -> Response:
        actor = _case_worker(request)
        worries.worry_get(actor=actor, worry_id=worry_id, part="bericht")
        payload = WorryMessageCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        _change(
            worries.worry_message,
            actor=actor,
            worry_id=worry_id,
            body=payload.validated_data["body"],
        )
        return Response(_detail_body(actor, worry_id), status=status.HTTP_201_CREATED)


class WorryCloseView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: WorryDetailSerializer},
        summary="De zorg sluiten",
        description="Alleen wie de zorg deelde.",
    )
    def post(self, request: Request, worry_id: int) -> Response:
        actor = _case_worker(request)
        _change(worries.worry_close, actor=actor, worry_id=worry_id)
        return Response(_detail_body(actor, worry_id))


class WorryToCaseView(MethodFirstMixin, APIView):
    @extend_schema(
        request=WorryToCaseSerializer,
        responses={201: WorryCaseSerializer},
        summary="Dit wordt een casus",
        description="Alleen wie de zorg deelde, één keer. De casus noemt in zijn eerste "
        "notitie de zorg waaruit hij voortkomt; de tekst van de zorg gaat niet mee.",
    )
    def post(self, request: Request, worry_id: int) -> Response:
        actor = _case_worker(request)
        access = worries.worry_get(actor=actor, worry_id=worry_id, part="casus")
        payload = WorryToCaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        case = _change(
            worries.worry_to_case,
            actor=actor,
            worry_id=worry_id,
            client=payload.validated_data["client"],
        )
        body = {
            "case_id": case.pk,
            "case_reference": case.reference,
            "worry_reference": access.worry.reference,
        }
        return Response(WorryCaseSerializer(body).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern] = [
    path("trainings/worries/", WorryListView.as_view(), name="trainings-worry-list"),
    path("trainings/worries/inbox/", WorryInboxView.as_view(), name="trainings-worry-inbox"),
    path(
        "trainings/worries/<int:worry_id>/",
        WorryDetailView.as_view(),
        name="trainings-worry-detail",
    ),
    path(
        "trainings/worries/<int:worry_id>/messages/",
        WorryMessagesView.as_view(),
        name="trainings-worry-messages",
    ),
    path(
        "trainings/worries/<int:worry_id>/close/",
        WorryCloseView.as_view(),
        name="trainings-worry-close",
    ),
    path(
        "trainings/worries/<int:worry_id>/case/",
        WorryToCaseView.as_view(),
        name="trainings-worry-case",
    ),
]
