"""Safety-plan revisions and contact notes of a coordination file, under /api/v1/coordination/.
Same rules as the pages (`coordination.rules`), same access log: every read goes through
`coordination.selectors.file_get` for the part it shows, every write through one service.

- `files/<id>/safety-plan/`: the current version (or `null`) and whether its review is overdue;
- `files/<id>/safety-plan/revisions/`: every version (GET), or a new one (POST) with `based_on`,
  the number it started from — 409 with what the other saved when someone was first;
- `files/<id>/safety-plan/revisions/<n>/`: one version;
- `files/<id>/contacts/`: the contact notes (GET), or a new one (POST) — never without the
  safety question answered;
- `files/<id>/contacts/<id>/acknowledge/`: the casusregisseur saw a 'niet veilig' note.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import CaseRefused, MethodFirstMixin
from meldwijzer.api.errors import error_body
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Action
from meldwijzer.coordination import contacts, rules, safety_plan, selectors
from meldwijzer.coordination.contacts import ContactData, ContactInputError
from meldwijzer.coordination.models import (
    ContactNote,
    FileParts,
    PlanKept,
    SafetyAnswer,
    SafetyPlanRevision,
)
from meldwijzer.coordination.safety_plan import PlanConflictError, PlanInputError
from meldwijzer.coordination.services import CoordinationError

PLAN = FileParts.SAFETY_PLAN
CONTACTS = FileParts.CONTACTS


class RevisionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    author = serializers.CharField(source="author.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    change_note = serializers.CharField()
    review_date = serializers.DateField()


class RevisionSerializer(RevisionSummarySerializer):
    content = serializers.JSONField(
        help_text="worries {happened, afraid_of}; goals [{behaviour, scores [{who, score 0–10}]}]; "
        "child_view; network [{name, relation, phone, helps_with}]; "
        "when_wrong {what_to_do, call [{name, phone, when}]}"
    )


class AgreementInPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    party = serializers.CharField()
    owner = serializers.SerializerMethodField()
    due_date = serializers.DateField()
    state = serializers.CharField()

    def get_owner(self, agreement: Any) -> str:
        if agreement.owner is not None:
            return str(agreement.owner.get_full_name() or agreement.owner.username)
        return str(agreement.owner_name)


class PlanSerializer(serializers.Serializer):
    current = RevisionSerializer(allow_null=True)
    review_overdue = serializers.BooleanField()
    agreements = AgreementInPlanSerializer(many=True)


class RevisionCreateSerializer(serializers.Serializer):
    based_on = serializers.IntegerField(
        min_value=0,
        help_text="Het versienummer waar u van uitging; 0 voor het eerste plan.",
    )
    review_date = serializers.DateField(help_text="Evalueren op; vandaag of later.")
    change_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    content = serializers.JSONField(help_text="Het plan; zie `RevisionSerializer.content`.")


class ContactNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contact_date = serializers.DateField()
    with_whom = serializers.CharField()
    summary = serializers.CharField()
    plan_kept = serializers.ChoiceField(choices=PlanKept.choices)
    new_worries = serializers.CharField()
    safety = serializers.ChoiceField(choices=SafetyAnswer.choices)
    author = serializers.CharField(source="author.get_full_name")
    organisation = serializers.CharField(source="organisation.name")
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.SerializerMethodField()
    acknowledged_action = serializers.SerializerMethodField()

    def _acknowledgement(self, note: ContactNote) -> Any:
        return getattr(note, "acknowledged", None)

    def get_acknowledged_at(self, note: ContactNote) -> str | None:
        acknowledgement = self._acknowledgement(note)
        return acknowledgement.created_at.isoformat() if acknowledgement else None

    def get_acknowledged_action(self, note: ContactNote) -> str:
        acknowledgement = self._acknowledgement(note)
        return acknowledgement.action if acknowledgement else ""


class ContactNoteCreateSerializer(serializers.Serializer):
    contact_date = serializers.DateField()
    with_whom = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000)
    plan_kept = serializers.ChoiceField(
        choices=PlanKept.choices,
        error_messages={
            "required": "Beantwoord de veiligheidsvraag: wordt het veiligheidsplan nagekomen?",
            "invalid_choice": "Kies ja, deels, nee of geen_plan.",
        },
    )
    new_worries = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    safety = serializers.ChoiceField(
        choices=SafetyAnswer.choices,
        error_messages={
            "required": "Beantwoord de veiligheidsvraag: is het nu veilig genoeg?",
            "invalid_choice": "Kies veilig of onveilig.",
        },
    )


class AcknowledgeSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=500, help_text="Wat de casusregisseur heeft gedaan.")


def _conflict(error: PlanConflictError) -> Response:
    body = error_body(409, code="gelijktijdige_wijziging", message=str(error))
    body["error"]["current"] = RevisionSerializer(error.current).data
    return Response(body, status=status.HTTP_409_CONFLICT)


class SafetyPlanView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: PlanSerializer},
        summary="Het huidige veiligheidsplan van een regiedossier",
        description="`current` is null zolang er geen plan is. Alleen voor wie het onderdeel "
        "veiligheidsplan van het dossier ziet; anders 404.",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = selectors.file_get(actor=request_actor(request), file_id=file_id, part=PLAN)
        plan = safety_plan.plan_view(access)
        return Response(
            PlanSerializer(
                {
                    "current": plan.revision if plan else None,
                    "review_overdue": plan.review_overdue if plan else False,
                    "agreements": plan.agreements if plan else [],
                }
            ).data
        )


class SafetyPlanRevisionsView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: RevisionSummarySerializer(many=True)},
        summary="Alle versies van het veiligheidsplan, nieuwste eerst",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = selectors.file_get(actor=request_actor(request), file_id=file_id, part=PLAN)
        revisions = safety_plan.plan_revisions(access)
        return Response(RevisionSummarySerializer(revisions, many=True).data)

    @extend_schema(
        request=RevisionCreateSerializer,
        responses={201: RevisionSerializer},
        summary="Een nieuwe versie van het veiligheidsplan vastleggen",
        description="`based_on` is de versie waar u van uitging (0 voor het eerste plan). Heeft "
        "iemand anders intussen een nieuwere versie vastgelegd, dan is het antwoord 409 met die "
        "versie onder `error.current`; er wordt niets overschreven.",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.file_get(
            actor=actor, file_id=file_id, part=PLAN, action=Action.CREATE, need=rules.may_write
        )
        payload = RevisionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            revision = safety_plan.safety_plan_revise(
                actor=actor,
                access=access,
                content=values["content"],
                review_date=values["review_date"],
                based_on=values["based_on"],
                change_note=values.get("change_note", ""),
            )
        except PlanConflictError as error:
            return _conflict(error)
        except PlanInputError as error:
            raise serializers.ValidationError(error.errors) from error
        except CoordinationError as error:
            raise CaseRefused(str(error)) from error
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)


class SafetyPlanRevisionView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: RevisionSerializer},
        summary="Eén versie van het veiligheidsplan",
    )
    def get(self, request: Request, file_id: int, revision_number: int) -> Response:
        access = selectors.file_get(actor=request_actor(request), file_id=file_id, part=PLAN)
        revision = (
            SafetyPlanRevision.objects.filter(file=access.file, number=revision_number)
            .select_related("author", "organisation")
            .first()
        )
        if revision is None:
            return Response(
                error_body(404, message=f"Versie {revision_number} bestaat niet."),
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(RevisionSerializer(revision).data)


class ContactNotesView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: ContactNoteSerializer(many=True)},
        summary="De contactnotities van een regiedossier, nieuwste contact eerst",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = selectors.file_get(actor=request_actor(request), file_id=file_id, part=CONTACTS)
        return Response(ContactNoteSerializer(contacts.contact_notes(access), many=True).data)

    @extend_schema(
        request=ContactNoteCreateSerializer,
        responses={201: ContactNoteSerializer},
        summary="Een contact met het gezin vastleggen, met de veiligheidsvraag beantwoord",
        description="`plan_kept` en `safety` zijn verplicht. Bij `safety` = `onveilig` krijgt de "
        "casusregisseur een melding tot hij of zij die bevestigt.",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.file_get(
            actor=actor,
            file_id=file_id,
            part=CONTACTS,
            action=Action.CREATE,
            need=rules.may_write,
        )
        payload = ContactNoteCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        try:
            note = contacts.contact_note_create(
                actor=actor,
                access=access,
                data=ContactData(
                    contact_date=values["contact_date"],
                    with_whom=values["with_whom"],
                    summary=values["summary"],
                    plan_kept=values["plan_kept"],
                    safety=values["safety"],
                    new_worries=values.get("new_worries", ""),
                ),
            )
        except ContactInputError as error:
            raise serializers.ValidationError(error.errors) from error
        except CoordinationError as error:
            raise CaseRefused(str(error)) from error
        return Response(ContactNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class ContactAcknowledgeView(MethodFirstMixin, APIView):
    @extend_schema(
        request=AcknowledgeSerializer,
        responses={200: ContactNoteSerializer},
        summary="Een melding ‘niet veilig’ bevestigen, met wat er is gedaan",
        description="Alleen de casusregisseur; voor anderen 404.",
    )
    def post(self, request: Request, file_id: int, contact_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.file_get(
            actor=actor,
            file_id=file_id,
            part=CONTACTS,
            action=Action.UPDATE,
            need=rules.is_coordinator,
        )
        payload = AcknowledgeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            contacts.unsafe_acknowledge(
                actor=actor,
                access=access,
                note_id=contact_id,
                action=payload.validated_data["action"],
            )
        except ContactInputError as error:
            raise serializers.ValidationError(error.errors) from error
        except CoordinationError as error:
            raise CaseRefused(str(error)) from error
        note = (
            ContactNote.objects.select_related("author", "organisation", "acknowledged")
            .filter(pk=contact_id)
            .get()
        )
        return Response(ContactNoteSerializer(note).data)


urlpatterns: list[URLPattern] = [
    path(
        "coordination/files/<int:file_id>/safety-plan/",
        SafetyPlanView.as_view(),
        name="coordination-safety-plan",
    ),
    path(
        "coordination/files/<int:file_id>/safety-plan/revisions/",
        SafetyPlanRevisionsView.as_view(),
        name="coordination-safety-plan-revisions",
    ),
    path(
        "coordination/files/<int:file_id>/safety-plan/revisions/<int:revision_number>/",
        SafetyPlanRevisionView.as_view(),
        name="coordination-safety-plan-revision",
    ),
    path(
        "coordination/files/<int:file_id>/contacts/",
        ContactNotesView.as_view(),
        name="coordination-contacts",
    ),
    path(
        "coordination/files/<int:file_id>/contacts/<int:contact_id>/acknowledge/",
        ContactAcknowledgeView.as_view(),
        name="coordination-contact-acknowledge",
    ),
]
