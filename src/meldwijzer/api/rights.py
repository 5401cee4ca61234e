"""The client's copy of their file and their own statement, under /api/v1/cases/<id>/. Same rules
and access log as the pages: the case through `cases.selectors.case_get` (out of reach: 404,
logged), every write through one service of `rights.services` with the same plain data.

- `copies/` GET: the copies given, newest first; POST: give a copy. The answer (201) carries
  the record, the copy as JSON (`content`, the shape of `rights.content`, `schema_version`) and
  the PDF as base64 (`pdf_base64`). Both files are made now and never stored, so they are only
  in this answer: `sha256_json` is over the UTF-8 bytes of `content` written as the JSON
  download is (`json.dumps(content, ensure_ascii=False, indent=2)`), `sha256_pdf` over the
  decoded PDF. There is no later download.
- `statements/` GET: the client's statements, oldest first; POST: add one (never changed).

Input the service refuses is answered per field, in Dutch, and changes nothing.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.cases.selectors import case_get
from meldwijzer.rights import events, selectors, services
from meldwijzer.rights.models import ClientStatement, CopyGiven, IdentityDocument, Relation
from meldwijzer.rights.services import CopyData, RightsInputError, StatementData

MAX_ID = 2**31 - 1


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class CopyGivenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    given_at = serializers.DateTimeField()
    recipient_id = serializers.IntegerField()
    recipient = serializers.CharField(source="recipient.name")
    relation = serializers.ChoiceField(choices=Relation.choices)
    child_id = serializers.IntegerField(allow_null=True)
    child_consent = serializers.CharField()
    identity_document = serializers.ChoiceField(choices=IdentityDocument.choices)
    reason = serializers.CharField()
    safety_weighed = serializers.CharField()
    given_by = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name")
    sha256_pdf = serializers.CharField()
    sha256_json = serializers.CharField()

    def get_given_by(self, copy: CopyGiven) -> str:
        return _name(copy.given_by)


class CopyGivenNowSerializer(serializers.Serializer):
    copy = CopyGivenSerializer()
    content = serializers.JSONField(help_text="Het afschrift als gegevens (`schema_version`).")
    pdf_base64 = serializers.CharField(help_text="Het afschrift als PDF, base64.")


class CopyCreateSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(
        choices=Relation.choices,
        error_messages={
            "required": "Kies wie het afschrift krijgt.",
            "invalid_choice": "Kies wie het afschrift krijgt: client, ouder of kind.",
        },
    )
    recipient_id = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="Een betrokkene van de casus (de huidige versie).",
        error_messages={"required": "Kies aan wie u het afschrift geeft."},
    )
    child_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True,
        help_text="Bij `ouder`: het kind waar het afschrift over gaat.",
    )  # fmt: skip
    child_consent = serializers.BooleanField(
        required=False, default=False, help_text="Bij een kind van 16 of 17: het kind stemt in."
    )
    child_consent_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000
    )
    safety_weighed = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000,
        help_text="Verplicht als het dossier vastlegt dat het gezin niet is ingelicht (gesprek "
        "overgeslagen, of gemeld zonder het vooraf te vertellen): waarom dit afschrift niemand in "
        "gevaar brengt.",
    )  # fmt: skip
    identified = serializers.BooleanField(
        help_text="Het identiteitsbewijs van de ontvanger is gezien en gecontroleerd (verplicht).",
        error_messages={"required": "Controleer eerst een identiteitsbewijs van de ontvanger."},
    )
    identity_document = serializers.ChoiceField(
        choices=IdentityDocument.choices,
        error_messages={
            "required": "Kies welk identiteitsbewijs u hebt gecontroleerd.",
            "invalid_choice": "Kies welk identiteitsbewijs u hebt gecontroleerd.",
        },
    )
    reason = serializers.CharField(
        max_length=services.REASON_MAX,
        error_messages={
            "required": "Schrijf op waarom of op wiens verzoek u het afschrift geeft.",
            "blank": "Schrijf op waarom of op wiens verzoek u het afschrift geeft.",
        },
    )


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField(source="given_by_id")
    person = serializers.CharField(source="given_by.name")
    given_on = serializers.DateField()
    text = serializers.CharField()
    recorded_by = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    def get_recorded_by(self, statement: ClientStatement) -> str:
        return _name(statement.recorded_by)


class StatementCreateSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"required": "Kies wie de verklaring gaf."},
    )
    given_on = serializers.DateField(
        error_messages={
            "required": "Geef de datum waarop de verklaring is gegeven.",
            "invalid": "Geef de datum als JJJJ-MM-DD.",
        }
    )
    text = serializers.CharField(
        max_length=services.STATEMENT_MAX,
        error_messages={
            "required": "Schrijf de verklaring op zoals de cliënt die gaf.",
            "blank": "Schrijf de verklaring op zoals de cliënt die gaf.",
        },
    )


# The service names a field as the page does; the body names ids as `<name>_id`.
_BODY_NAMES = {"recipient": "recipient_id", "child": "child_id", "person": "person_id"}


def _refused(error: RightsInputError) -> serializers.ValidationError:
    return serializers.ValidationError(
        {_BODY_NAMES.get(name, name): texts for name, texts in error.errors.items()}
    )


class CaseCopiesView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: CopyGivenSerializer(many=True)},
        summary="De afschriften die de cliënt van deze casus kreeg",
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get(actor=request_actor(request), case_id=case_id, part=events.PART_COPIES)
        return Response(CopyGivenSerializer(selectors.copies_given(case), many=True).data)

    @extend_schema(
        request=CopyCreateSerializer,
        responses={201: CopyGivenNowSerializer},
        summary="Een afschrift aan de cliënt geven (vastgelegd als export)",
        description="Dezelfde regels als op de pagina: een volwassen cliënt zelf; een ouder met "
        "gezag; het kind zelf vanaf 12 jaar; bij 16 en 17 jaar een ouder alleen met "
        "toestemming van het kind. Het identiteitsbewijs is gecontroleerd. Het antwoord bevat "
        "het afschrift als JSON en als PDF (base64): ze worden niet bewaard.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = case_get(actor=actor, case_id=case_id, part=services.COPY_PART)
        payload = CopyCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            given = services.copy_give(
                actor=actor,
                case=case,
                data=CopyData(
                    relation=values["relation"],
                    recipient_id=values["recipient_id"],
                    child_id=values.get("child_id"),
                    child_consent=values["child_consent"],
                    child_consent_reason=values["child_consent_reason"],
                    identified=values["identified"],
                    identity_document=values["identity_document"],
                    reason=values["reason"],
                    safety_weighed=values["safety_weighed"],
                ),
            )
        except RightsInputError as error:
            raise _refused(error) from error
        body = {
            "copy": CopyGivenSerializer(given.record).data,
            # The file as written, so its hash holds for `content` written the same way.
            "content": json.loads(given.json),
            "pdf_base64": base64.b64encode(given.pdf).decode(),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class CaseStatementsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: StatementSerializer(many=True)},
        summary="De eigen verklaringen van de cliënt van deze casus",
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get(actor=request_actor(request), case_id=case_id, part=events.PART_STATEMENTS)
        return Response(StatementSerializer(selectors.statements(case), many=True).data)

    @extend_schema(
        request=StatementCreateSerializer,
        responses={201: StatementSerializer},
        summary="Een eigen verklaring van de cliënt toevoegen",
        description="De verklaring wordt nooit gewijzigd of verwijderd; een nieuwe kan volgen. "
        "Ze staat in elk volgend afschrift, niet in de melding bij Veilig Thuis.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = case_get(actor=actor, case_id=case_id, part=events.PART_STATEMENTS)
        payload = StatementCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            statement = services.statement_add(
                actor=actor,
                case=case,
                data=StatementData(
                    person_id=values["person_id"], given_on=values["given_on"], text=values["text"]
                ),
            )
        except RightsInputError as error:
            raise _refused(error) from error
        return Response(StatementSerializer(statement).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/copies/", CaseCopiesView.as_view(), name="case-copies"),
    path("cases/<int:case_id>/statements/", CaseStatementsView.as_view(), name="case-statements"),
]
