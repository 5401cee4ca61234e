"""Reports in Veilig Thuis' inbox and hand-overs, under /api/v1/coordination/. Same rules as the
pages (`coordination.rules`), same access log: the endpoints call the services and selectors of
`coordination.inbox` and `coordination.handover`.

- The reporter: where the report of a case stands, and sending it (once).
- Veilig Thuis: the inbox, one report, confirming receipt, feedback to the reporter (an entry in
  the reporter's dossier), opening a coordination file from a report.
- A casusregisseur: opening a file without a report; the file's hand-overs, proposing one,
  answering it (accept, decline) or withdrawing it; the proposals waiting.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.errors import ApiError
from meldwijzer.api.pagination import ShownPageMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Action
from meldwijzer.cases import selectors as case_selectors
from meldwijzer.cases.entries import FEEDBACK_ACTIONS, NOT_INFORMED_REASONS
from meldwijzer.coordination import events, inbox, rules, selectors, services
from meldwijzer.coordination import handover as handovers
from meldwijzer.coordination.models import FileParts, Handover, IncomingReport
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import CONFLICT_CHECKS, GroundKind

# --- Errors ---------------------------------------------------------------------------------------


class CoordinationRefused(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "niet_mogelijk"
    default_detail = "Dit is niet mogelijk."


def _call(action: Any, **kwargs: Any) -> Any:
    """Call a service; field-by-field refusals become the error format's `fields`, other
    refusals a 400 with the Dutch message."""
    try:
        return action(**kwargs)
    except inbox.ReportInputError as error:
        raise serializers.ValidationError(error.errors) from error
    except CoordinationError as error:
        raise CoordinationRefused(str(error)) from error


# --- Serializers ----------------------------------------------------------------------------------


class ReportSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sent_at = serializers.DateTimeField()
    from_organisation = serializers.CharField(source="from_organisation.name")
    sent_by = serializers.CharField(source="sent_by.get_full_name")
    case_title = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField(
        help_text="Nieuw, Ontvangen, Terugkoppeling gegeven of Regiedossier geopend"
    )
    received_at = serializers.DateTimeField(allow_null=True)
    feedback_given = serializers.BooleanField()
    file_id = serializers.IntegerField(allow_null=True)

    def get_case_title(self, report: IncomingReport) -> str:
        return str((report.content.get("case") or {}).get("title") or "")

    def get_state(self, report: IncomingReport) -> str:
        return inbox.report_state_label(report)


class ReportDetailSerializer(ReportSummarySerializer):
    to_organisation = serializers.CharField(source="to_organisation.name")
    ground_id = serializers.IntegerField()
    content = serializers.JSONField(help_text="De melding zoals verstuurd (structuur van de "
                                    "melding-download van een casus).")  # fmt: skip


class ReportStatusSerializer(serializers.Serializer):
    sent = serializers.BooleanField()
    may_send = serializers.BooleanField()
    report_id = serializers.IntegerField(allow_null=True)
    to_organisation = serializers.CharField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    feedback_given = serializers.BooleanField()
    veilig_thuis = serializers.ListField(
        child=serializers.DictField(), help_text="Veilig Thuis-organisaties op het platform."
    )


class ReportSendSerializer(serializers.Serializer):
    veilig_thuis_id = serializers.IntegerField(help_text="De Veilig Thuis-organisatie.")
    informed = serializers.ChoiceField(choices=[("ja", "Ja"), ("nee", "Nee")])
    not_informed_reason = serializers.ChoiceField(
        choices=NOT_INFORMED_REASONS, required=False, allow_blank=True
    )
    not_informed_explanation = serializers.CharField(
        required=False, allow_blank=True, max_length=2000
    )
    reporter_unknown = serializers.BooleanField(required=False, default=False)


class FeedbackSerializer(serializers.Serializer):
    date = serializers.DateField()
    action = serializers.ChoiceField(choices=FEEDBACK_ACTIONS)
    vt_reference = serializers.CharField(required=False, allow_blank=True, max_length=60)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=120)
    asked_of_me = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EntryCreatedSerializer(serializers.Serializer):
    entry_id = serializers.IntegerField()
    report = ReportSummarySerializer()


class FileOpenSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, help_text="Zonder namen.")
    role_description = serializers.CharField(
        required=False, max_length=500, default="Ik ben de casusregisseur: uw vaste aanspreekpunt."
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")


class ReportFileOpenSerializer(FileOpenSerializer):
    persons = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Welke personen uit de melding (hun volgnummer in `content.persons`); "
        "zonder dit veld allemaal.",
    )


class FileCreatedSerializer(serializers.Serializer):
    file_id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    title = serializers.CharField()


class HandoverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_id = serializers.IntegerField()
    file_reference = serializers.CharField(source="file.reference")
    from_user = serializers.CharField(source="from_user.get_full_name")
    from_organisation = serializers.CharField(source="from_organisation.name")
    to_user = serializers.CharField(source="to_user.get_full_name")
    to_organisation = serializers.CharField(source="to_organisation.name")
    note = serializers.CharField()
    ground_kind = serializers.CharField(source="ground.kind", allow_null=True, default=None)
    state = serializers.CharField()
    proposed_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_note = serializers.CharField()


class HandoverProposeSerializer(serializers.Serializer):
    to_user_id = serializers.IntegerField(help_text="De casusregisseur die het overneemt.")
    to_organisation_id = serializers.IntegerField(help_text="Voor welke organisatie.")
    note = serializers.CharField(max_length=handovers.NOTE_LIMIT)
    ground_kind = serializers.ChoiceField(
        choices=GroundKind.choices,
        required=False,
        allow_blank=True,
        help_text="Nodig bij een andere organisatie: toestemming of conflict van plichten.",
    )
    given_by = serializers.CharField(required=False, allow_blank=True, max_length=120)
    valid_until = serializers.DateField(required=False, allow_null=True)
    checks = serializers.ListField(
        child=serializers.ChoiceField(choices=CONFLICT_CHECKS), required=False, max_length=10
    )
    reasoning = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class HandoverAnswerSerializer(serializers.Serializer):
    answer_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    role_description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)


# --- The reporter ---------------------------------------------------------------------------------


class ReportStatusView(APIView):
    @extend_schema(
        responses=ReportStatusSerializer,
        summary="Of de melding van een casus via Meldwijzer is verstuurd, en waar ze staat",
    )
    def get(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = case_selectors.case_get(actor=actor, case_id=case_id, part="melden via Meldwijzer")
        report = inbox.report_for_case(case)
        organisations = list(inbox.veilig_thuis_organisations())
        return Response(
            ReportStatusSerializer(
                {
                    "sent": report is not None,
                    "may_send": report is None
                    and case.workflow.is_reported
                    and bool(organisations),
                    "report_id": report.pk if report else None,
                    "to_organisation": report.to_organisation.name if report else None,
                    "sent_at": report.sent_at if report else None,
                    "received_at": report.received_at if report else None,
                    "feedback_given": bool(report and report.feedback_given),  # type: ignore[attr-defined]
                    "veilig_thuis": [{"id": o.pk, "name": o.name} for o in organisations],
                }
            ).data
        )


class ReportSendView(MethodFirstMixin, APIView):
    @extend_schema(
        request=ReportSendSerializer,
        responses={201: ReportStatusSerializer},
        summary="De melding van een casus via Meldwijzer naar Veilig Thuis sturen (één keer)",
        description="Alleen na het besluit te melden (of bij direct melden). Legt het meldrecht "
        "vast als grondslag, zet de melding in het dossier en bewaart wat is verstuurd.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = case_selectors.case_get(
            actor=actor, case_id=case_id, part="melden via Meldwijzer", action=Action.CREATE
        )
        payload = ReportSendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        veilig_thuis = inbox.veilig_thuis_organisations().filter(pk=values["veilig_thuis_id"])
        chosen: Organisation | None = veilig_thuis.first()
        if chosen is None:
            raise serializers.ValidationError(
                {"veilig_thuis_id": ["Kies een Veilig Thuis-organisatie die Meldwijzer gebruikt."]}
            )
        report = _call(
            inbox.report_send,
            actor=actor,
            case=case,
            expected_version=case.version,
            veilig_thuis=chosen,
            informed=values["informed"],
            not_informed_reason=values.get("not_informed_reason", ""),
            not_informed_explanation=values.get("not_informed_explanation", ""),
            reporter_unknown=values.get("reporter_unknown", False),
        )
        body = {
            "sent": True,
            "may_send": False,
            "report_id": report.pk,
            "to_organisation": chosen.name,
            "sent_at": report.sent_at,
            "received_at": None,
            "feedback_given": False,
            "veilig_thuis": [{"id": chosen.pk, "name": chosen.name}],
        }
        return Response(ReportStatusSerializer(body).data, status=status.HTTP_201_CREATED)


# --- Veilig Thuis ---------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=[value for value in inbox.InboxFilter.values if value],
                required=False,
                description="`nieuw`: ontvangst nog niet bevestigd; `ontvangen`: wel. "
                "Zonder: alle.",
            )
        ],
        summary="Binnengekomen meldingen van mijn Veilig Thuis, nieuwste eerst",
        description="Alleen voor medewerkers van Veilig Thuis; anderen krijgen 404. In pagina's "
        "(`page`, `page_size`).",
    )
)
class ReportListView(ShownPageMixin, generics.ListAPIView):
    serializer_class = ReportSummarySerializer

    def get_queryset(self) -> QuerySet[IncomingReport]:
        state = self.request.query_params.get("state") or inbox.InboxFilter.ALL
        if state not in inbox.InboxFilter.values:
            raise serializers.ValidationError({"state": ["Kies nieuw of ontvangen."]})
        return inbox.report_list_queryset(actor=request_actor(self.request), state=state)

    def page_shown(self, rows: list[Any]) -> list[Any]:
        return inbox.report_list_read(actor=request_actor(self.request), reports=rows)


class ReportDetailView(APIView):
    @extend_schema(responses=ReportDetailSerializer, summary="Eén binnengekomen melding")
    def get(self, request: Request, report_id: int) -> Response:
        report = inbox.report_get(actor=request_actor(request), report_id=report_id)
        return Response(ReportDetailSerializer(report).data)


class ReportReceiveView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None, responses=ReportSummarySerializer, summary="De ontvangst bevestigen"
    )
    def post(self, request: Request, report_id: int) -> Response:
        actor = request_actor(request)
        report = inbox.report_get(
            actor=actor, report_id=report_id, part="ontvangst", action=Action.UPDATE
        )
        _call(inbox.report_receive, actor=actor, report=report)
        return Response(ReportSummarySerializer(report).data)


class ReportFeedbackView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FeedbackSerializer,
        responses={201: EntryCreatedSerializer},
        summary="Terugkoppeling aan de melder; komt als regel in het dossier van de melder",
    )
    def post(self, request: Request, report_id: int) -> Response:
        actor = request_actor(request)
        report = inbox.report_get(
            actor=actor, report_id=report_id, part="terugkoppeling", action=Action.CREATE
        )
        payload = FeedbackSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = {
            key: value.isoformat() if key == "date" else value
            for key, value in payload.validated_data.items()
        }
        entry = _call(inbox.report_feedback_give, actor=actor, report=report, data=data)
        report = inbox.report_get(actor=actor, report_id=report_id, part="terugkoppeling")
        body = {"entry_id": entry.pk, "report": report}
        return Response(EntryCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class ReportFileOpenView(MethodFirstMixin, APIView):
    @extend_schema(
        request=ReportFileOpenSerializer,
        responses={201: FileCreatedSerializer},
        summary="Een regiedossier openen vanuit een melding (casusregisseur)",
        description="Het gezin komt uit de personen van de melding. Eén regiedossier per melding.",
    )
    def post(self, request: Request, report_id: int) -> Response:
        actor = request_actor(request)
        report = inbox.report_get(
            actor=actor, report_id=report_id, part="regiedossier", action=Action.CREATE, lead=True
        )
        payload = ReportFileOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        persons = values.get("persons")
        if persons is None:
            persons = [person.index for person in inbox.report_persons(report)]
        file = _call(
            inbox.report_file_open,
            actor=actor,
            report=report,
            title=values["title"],
            persons=persons,
            role_description=values["role_description"],
            phone=values["phone"],
        )
        return Response(FileCreatedSerializer(file).data, status=status.HTTP_201_CREATED)


class FileOpenView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FileOpenSerializer,
        responses={201: FileCreatedSerializer},
        summary="Een regiedossier openen zonder melding (casusregisseur)",
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        if not rules.may_open_file(actor):
            events.file_open_refused(actor=actor)
        payload = FileOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        file = _call(
            services.file_open,
            actor=actor,
            title=values["title"],
            role_description=values["role_description"],
            phone=values["phone"],
        )
        return Response(FileCreatedSerializer(file).data, status=status.HTTP_201_CREATED)


# --- Hand-overs -----------------------------------------------------------------------------------


def _handover_body(handover: Handover) -> Any:
    return HandoverSerializer(handover).data


class HandoverListView(APIView):
    @extend_schema(
        responses=HandoverSerializer(many=True),
        summary="De overdrachten van de regie van een regiedossier, nieuwste eerst",
    )
    def get(self, request: Request, file_id: int) -> Response:
        access = selectors.file_get(actor=request_actor(request), file_id=file_id)
        history = handovers.handovers_of_file(access.file)
        return Response(HandoverSerializer(history, many=True).data)


class HandoverProposeView(MethodFirstMixin, APIView):
    @extend_schema(
        request=HandoverProposeSerializer,
        responses={201: HandoverSerializer},
        summary="De regie aanbieden aan een casusregisseur (alleen de casusregisseur)",
        description="Aan een andere organisatie met een grondslag: toestemming (`given_by`, "
        "`valid_until`) of conflict van plichten (alle `checks` en `reasoning`).",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.file_get(
            actor=actor,
            file_id=file_id,
            part=FileParts.TEAM,
            action=Action.CREATE,
            need=rules.may_lead,
        )
        payload = HandoverProposeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        receiver = next(
            (
                r
                for r in handovers.receivers(actor=actor)
                if r.user.pk == values["to_user_id"]
                and r.organisation.pk == values["to_organisation_id"]
            ),
            None,
        )
        if receiver is None:
            raise serializers.ValidationError(
                {"to_user_id": ["Kies iemand die bij die organisatie casusregisseur is."]}
            )
        ground = None
        if values.get("ground_kind"):
            ground = handovers.GroundData(
                kind=values["ground_kind"],
                given_by=values.get("given_by", ""),
                reasoning=values.get("reasoning", ""),
                checks=tuple(values.get("checks", ())),
                valid_until=values.get("valid_until"),
            )
        proposal = _call(
            handovers.handover_propose,
            actor=actor,
            access=access,
            to_user=receiver.user,
            to_organisation=receiver.organisation,
            note=values["note"],
            ground=ground,
        )
        return Response(_handover_body(proposal), status=status.HTTP_201_CREATED)


class HandoverWaitingView(APIView):
    @extend_schema(
        responses=HandoverSerializer(many=True),
        summary="Open voorstellen aan mij, of van mij",
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        if not actor.can(Permission.CASE_WORK):
            events.handovers_refused(actor=actor)
        return Response(
            HandoverSerializer(handovers.handovers_waiting(actor=actor), many=True).data
        )


class HandoverDetailView(APIView):
    @extend_schema(responses=HandoverSerializer, summary="Eén voorstel tot overdracht")
    def get(self, request: Request, handover_id: int) -> Response:
        proposal = handovers.handover_get(actor=request_actor(request), handover_id=handover_id)
        return Response(_handover_body(proposal))


class _HandoverAnswerView(MethodFirstMixin, APIView):
    service: Any = None
    party = handovers.RECEIVER

    def _answer(self, request: Request, handover_id: int, **extra: Any) -> Response:
        actor = request_actor(request)
        proposal = handovers.handover_get(
            actor=actor, handover_id=handover_id, action=Action.UPDATE, party=self.party
        )
        _call(type(self).service, actor=actor, handover=proposal, **extra)
        return Response(_handover_body(proposal))


class HandoverAcceptView(_HandoverAnswerView):
    service = staticmethod(handovers.handover_accept)

    @extend_schema(
        request=HandoverAnswerSerializer,
        responses=HandoverSerializer,
        summary="De regie overnemen (de ontvanger): u wordt meteen de casusregisseur",
    )
    def post(self, request: Request, handover_id: int) -> Response:
        payload = HandoverAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        return self._answer(
            request,
            handover_id,
            answer_note=values.get("answer_note", ""),
            role_description=values.get("role_description", ""),
            phone=values.get("phone", ""),
        )


class HandoverDeclineView(_HandoverAnswerView):
    service = staticmethod(handovers.handover_decline)

    @extend_schema(
        request=HandoverAnswerSerializer,
        responses=HandoverSerializer,
        summary="De regie niet overnemen (de ontvanger)",
    )
    def post(self, request: Request, handover_id: int) -> Response:
        payload = HandoverAnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._answer(
            request, handover_id, answer_note=payload.validated_data.get("answer_note", "")
        )


class HandoverWithdrawView(_HandoverAnswerView):
    service = staticmethod(handovers.handover_withdraw)
    party = handovers.PROPOSER

    @extend_schema(
        request=OpenApiTypes.NONE,
        responses=HandoverSerializer,
        summary="Een voorstel intrekken (wie het voorstelde)",
    )
    def post(self, request: Request, handover_id: int) -> Response:
        return self._answer(request, handover_id)


urlpatterns: list[URLPattern] = [
    path(
        "coordination/cases/<int:case_id>/report/",
        ReportStatusView.as_view(),
        name="coordination-report-status",
    ),
    path(
        "coordination/cases/<int:case_id>/report/send/",
        ReportSendView.as_view(),
        name="coordination-report-send",
    ),
    path("coordination/reports/", ReportListView.as_view(), name="coordination-report-list"),
    path(
        "coordination/reports/<int:report_id>/",
        ReportDetailView.as_view(),
        name="coordination-report-detail",
    ),
    path(
        "coordination/reports/<int:report_id>/receipt/",
        ReportReceiveView.as_view(),
        name="coordination-report-receive",
    ),
    path(
        "coordination/reports/<int:report_id>/feedback/",
        ReportFeedbackView.as_view(),
        name="coordination-report-feedback",
    ),
    path(
        "coordination/reports/<int:report_id>/file/",
        ReportFileOpenView.as_view(),
        name="coordination-report-file-open",
    ),
    path("coordination/files/open/", FileOpenView.as_view(), name="coordination-file-open"),
    path(
        "coordination/files/<int:file_id>/handovers/",
        HandoverListView.as_view(),
        name="coordination-handover-list",
    ),
    path(
        "coordination/files/<int:file_id>/handovers/propose/",
        HandoverProposeView.as_view(),
        name="coordination-handover-propose",
    ),
    path(
        "coordination/handovers/",
        HandoverWaitingView.as_view(),
        name="coordination-handover-waiting",
    ),
    path(
        "coordination/handovers/<int:handover_id>/",
        HandoverDetailView.as_view(),
        name="coordination-handover-detail",
    ),
    path(
        "coordination/handovers/<int:handover_id>/accept/",
        HandoverAcceptView.as_view(),
        name="coordination-handover-accept",
    ),
    path(
        "coordination/handovers/<int:handover_id>/decline/",
        HandoverDeclineView.as_view(),
        name="coordination-handover-decline",
    ),
    path(
        "coordination/handovers/<int:handover_id>/withdraw/",
        HandoverWithdrawView.as_view(),
        name="coordination-handover-withdraw",
    ),
]
