"""API v1 for the meldcode dossier: open, list and read cases, record people, entries and
weighings, move, decide (or report at once because of acute danger), and fetch the report to
Veilig Thuis.

The endpoints call the same selectors and services as the web pages, so the same access rules,
the same version check against concurrent edits and the same access log apply. Entries are
validated with the same forms (`cases.entries.ENTRY_FORMS`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.errors import ApiError
from meldwijzer.api.pagination import ShownPageMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.api.schema import errors
from meldwijzer.api.views import query_filters
from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.cases import guidance, selectors, services
from meldwijzer.cases.entries import ENTRY_FORMS, form_values
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.forms import CaseCreateForm, PersonForm
from meldwijzer.cases.frameworks import ANSWERS, framework_for
from meldwijzer.cases.models import Case, ClientKind, Entry, Outcome, Person, PhaseChange
from meldwijzer.cases.report import case_report
from meldwijzer.cases.workflow import Phase, allowed_moves
from meldwijzer.organisations.selectors import actor_profession

# --- Errors ---------------------------------------------------------------------------------------


class CaseRefused(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "niet_mogelijk"
    default_detail = "Deze wijziging is niet mogelijk."


class CaseConflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    error_code = "gelijktijdige_wijziging"
    default_detail = "Iemand anders heeft deze casus intussen gewijzigd."


def _change(
    action: Any, *, input_under: str = "", renamed: dict[str, str] | None = None, **kwargs: Any
) -> Any:
    """Call a service; its refusals become API errors (409 for a concurrent edit, else 400).
    Input the service refuses field by field is answered with those fields, under the body's key
    they came in (`input_under`), named as in the body (`renamed`: service name → body name)."""
    try:
        return action(**kwargs)
    except services.ConcurrentEditError as error:
        raise CaseConflict(str(error)) from error
    except services.CaseInputError as error:
        errors = {(renamed or {}).get(name, name): msgs for name, msgs in error.errors.items()}
        fields = {input_under: errors} if input_under else errors
        raise serializers.ValidationError(fields) from error
    except services.CaseError as error:
        raise CaseRefused(str(error)) from error


# --- Serializers ----------------------------------------------------------------------------------


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    phase = serializers.ChoiceField(choices=Phase.choices)
    phase_label = serializers.CharField()
    profession = serializers.CharField()
    client = serializers.ChoiceField(choices=ClientKind.choices)
    works_with_adults = serializers.BooleanField(
        help_text="Gelijk aan `client` == 'volwassene': de kindcheck is nodig."
    )
    urgency = serializers.ListField(
        child=serializers.CharField(),
        help_text="Afweging 2 (of direct melden): 'acuut' en/of 'structureel', of 'geen'; "
        "leeg als nog niet beantwoord.",
    )
    outcome = serializers.CharField(allow_blank=True)
    review_date = serializers.DateField(allow_null=True)
    responsible = serializers.CharField()
    opened_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    consultation_requested = serializers.BooleanField()
    version = serializers.IntegerField(help_text="Stuur dit mee bij elke wijziging.")


class PersonSerializer(serializers.ModelSerializer):
    bsn = serializers.CharField(
        source="bsn_masked",
        help_text="Afgeschermd; het volledige BSN staat in de melding (`/report/`).",
    )
    identified = serializers.BooleanField(source="is_identified")

    class Meta:
        model = Person
        fields = [
            "id",
            "kind",
            "name",
            "date_of_birth",
            "age",
            "gender",
            "bsn",
            "street_address",
            "postcode",
            "place",
            "phone",
            "email",
            "reach",
            "relation",
            "authority",
            "identified",
            "replaces",
            "created_at",
        ]


class EntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    author = serializers.CharField(source="author.get_full_name")
    data = serializers.DictField()  # type: ignore[assignment]

    class Meta:
        model = Entry
        fields = ["id", "kind", "kind_label", "phase", "data", "corrects", "author", "created_at"]


class PhaseChangeSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name")

    class Meta:
        model = PhaseChange
        fields = ["source", "target", "reason", "author", "created_at"]


class WalkStepSerializer(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()
    answer = serializers.ChoiceField(choices=ANSWERS)


class WalkSerializer(serializers.Serializer):
    framework = serializers.CharField()
    framework_version = serializers.CharField()
    path = WalkStepSerializer(many=True)
    next_question = serializers.CharField(allow_null=True)
    next_question_text = serializers.CharField(allow_blank=True)
    indicated = serializers.CharField(allow_null=True)
    indicated_label = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    review_question = serializers.CharField(allow_null=True)
    norm = serializers.CharField(help_text="De professionele norm van het afwegingskader.")


class CaseDetailSerializer(CaseSummarySerializer):
    persons = PersonSerializer(many=True)
    entries = EntrySerializer(many=True, help_text="Alleen de geldende regels (niet gecorrigeerd).")
    weighing_answers = serializers.DictField(child=serializers.ChoiceField(choices=ANSWERS))
    walk = WalkSerializer()
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Wat nog ontbreekt voor de volgende stap."
    )
    allowed_moves = serializers.ListField(child=serializers.ChoiceField(choices=Phase.choices))
    phase_changes = PhaseChangeSerializer(many=True)


class CaseFilterSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=[
            ("eigen", "Mijn casussen"),
            ("organisatie", "Alle open casussen (aandachtsfunctionaris)"),
        ],
        required=False,
        default="eigen",
    )
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="De versie van de casus die u hebt gelezen."
    )


class EntryCreateSerializer(VersionedSerializer):
    kind = serializers.ChoiceField(choices=sorted(ENTRY_FORMS))
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="De velden van het formulier voor deze soort regel."
    )
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="De regel die deze regel corrigeert.",
    )


class CaseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    profession = serializers.CharField(
        max_length=40,
        required=False,
        help_text="Het afwegingskader; zonder waarde dat van uw beroepsgroep of sector.",
    )
    client = serializers.ChoiceField(choices=ClientKind.choices)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    bsn = serializers.CharField(max_length=11, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class PersonCreateSerializer(VersionedSerializer):
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="De velden van een betrokkene: kind, name, date_of_birth, age, gender, bsn, "
        "street_address, postcode, place, phone, email, reach, relation, authority."
    )
    replaces = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="De betrokkene van wie dit een nieuwe versie is.",
    )


class ClientSerializer(VersionedSerializer):
    client = serializers.ChoiceField(choices=ClientKind.choices)


class ReportNowSerializer(VersionedSerializer):
    danger = serializers.CharField(max_length=5000)
    structural = serializers.BooleanField(required=False, default=False)
    unidentified_reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )


class WeighingCreateSerializer(VersionedSerializer):
    question = serializers.CharField(max_length=40)
    answer = serializers.ChoiceField(choices=ANSWERS)
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        max_length=10,
        help_text="Bij afweging 2 met 'ja': 'acuut' en/of 'structureel'.",
    )
    reasoning = serializers.CharField(max_length=5000)


class MoveSerializer(VersionedSerializer):
    target = serializers.ChoiceField(choices=Phase.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FollowupAgreementSerializer(serializers.Serializer):
    """The agreements on following a family's safety after closing: who follows (a user acting
    for an organisation), how, until when, on which schedule, and the ground for sharing when
    that professional works for another organisation. The closing service checks them."""

    follower_id = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="De professional (gebruiker) die de veiligheid volgt.",
    )
    organisation_id = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="De organisatie waarvoor die professional volgt.",
    )
    how = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Hoe de veiligheid wordt gevolgd en wat met het gezin is afgesproken.",
    )
    until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Tot en met wanneer de veiligheid wordt gevolgd.",
    )
    schedule = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Het schema van de contacten (leeg: het standaardschema).",
    )
    ground_id = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Bij een professional van een andere organisatie: de grondslag voor delen "
        "(toestemming of conflict van plichten) die uw organisatie voor deze cliënt vastlegde.",
    )
    consent_given_by = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text="Of, zonder `ground_id`: wie in het gezin nu toestemming gaf (naam en rol); die "
        "toestemming wordt vastgelegd voor dit vervolgplan, tot het einde ervan.",
    )

    def agreement(self) -> FollowupAgreement:
        values = self.validated_data
        return FollowupAgreement(
            follower_id=values["follower_id"],
            organisation_id=values["organisation_id"],
            how=values["how"],
            until=values["until"],
            schedule=values["schedule"],
            ground_id=values["ground_id"],
            consent_given_by=values["consent_given_by"],
        )


class DecisionSerializer(VersionedSerializer, FollowupAgreementSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    justification = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    agreements = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    review_date = serializers.DateField(required=False, allow_null=True, default=None)
    unidentified_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Bij melden zonder kind of cliënt met naam en BSN, geboortedatum of adres: "
        "waarom dat niet kan.",
    )

    def followup(self) -> FollowupAgreement | None:
        """The follow-up agreements, only for a decision to close with them (`close_followup`)."""
        if self.validated_data["outcome"] != Outcome.CLOSE_FOLLOWUP:
            return None
        return self.agreement()


FOLLOWUP_FIELDS = {"follower": "follower_id", "ground": "ground_id"}
"""The follow-up fields the service names differently from the API body."""


# --- Representations ------------------------------------------------------------------------------


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "phase": case.phase,
        "phase_label": case.get_phase_display(),
        "profession": case.profession,
        "client": case.client,
        "works_with_adults": case.needs_child_check,
        # Lists set `case.urgency` with one query for all cases; a single case asks for its own.
        "urgency": sorted(
            case.urgency if hasattr(case, "urgency") else selectors.case_urgency(case)
        ),
        "outcome": case.outcome,
        "review_date": case.review_date,
        "responsible": str(case.responsible),
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "due_date": selectors.case_due_date(case),
        "overdue": selectors.case_is_overdue(case),
        "consultation_requested": bool(getattr(case, "consultation_requested", False)),
        "version": case.version,
    }


def _detail(case: Case) -> dict[str, Any]:
    dossier = selectors.case_dossier(case)
    framework = framework_for(case.profession)
    walk = dossier.walk
    entries = [entry for entries in dossier.by_kind.values() for entry in entries]
    entries.sort(key=lambda entry: (entry.created_at, entry.pk))
    return {
        **_summary(case),
        "consultation_requested": "consultation_request" in dossier.by_kind,
        "persons": dossier.persons,
        "entries": entries,
        "weighing_answers": dossier.weighing_answers,
        "walk": {
            "framework": framework.id,
            "framework_version": framework.version,
            "path": [
                {"question": question.id, "text": question.text, "answer": answer}
                for question, answer in walk.path
            ],
            "next_question": walk.next_question.id if walk.next_question else None,
            "next_question_text": walk.next_question.text if walk.next_question else "",
            "indicated": walk.outcome,
            "indicated_label": guidance.indicated(walk.outcome),
            "explanation": walk.explanation,
            "review_question": walk.review_question.id if walk.review_question else None,
            "norm": framework.norm,
        },
        "missing": dossier.missing,
        "allowed_moves": sorted(allowed_moves(case.phase)),
        "phase_changes": dossier.phase_changes,
    }


def _detail_response(case: Case, status_code: int = status.HTTP_200_OK) -> Response:
    case.refresh_from_db()
    return Response(CaseDetailSerializer(_detail(case)).data, status=status_code)


# --- Views ----------------------------------------------------------------------------------------


class MethodFirstMixin:
    """Answer a method the endpoint does not have with 405 before anything else, as for pages."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if not hasattr(self, (request.method or "").lower()):
            self.http_method_not_allowed(request)  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


@extend_schema_view(
    get=extend_schema(
        summary="Casussen: mijn casussen, of alle open casussen van de organisatie",
        parameters=[CaseFilterSerializer],
    )
)
class CaseListView(ShownPageMixin, generics.ListAPIView):
    serializer_class = CaseSummarySerializer

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer},
        summary="Een casus openen",
        description="Met `name` (en eventueel `bsn` en `date_of_birth`) wordt het kind of de "
        "cliënt de eerste betrokkene. Dezelfde controles als op de pagina ‘Nieuwe casus’.",
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        payload = CaseCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = {
            "profession": actor_profession(actor=actor),
            **{k: ("" if v is None else str(v)) for k, v in payload.validated_data.items()},
        }
        form = CaseCreateForm(data=values)
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            )
        case = _change(services.case_open, actor=actor, **form.cleaned_data)
        return _detail_response(case, status.HTTP_201_CREATED)

    def get_queryset(self) -> QuerySet[Case]:
        filters = query_filters(self.request, CaseFilterSerializer)
        return selectors.case_list_queryset(
            actor=request_actor(self.request),
            phase=filters.get("phase", ""),
            outcome=filters.get("outcome", ""),
            overdue=filters.get("overdue"),
            whole_organisation=self._whole_organisation(),
        )

    def page_shown(self, rows: list[Any]) -> list[Any]:
        cases = selectors.case_list_shown(
            actor=request_actor(self.request),
            cases=rows,
            whole_organisation=self._whole_organisation(),
        )
        return [_summary(case) for case in cases]

    def _whole_organisation(self) -> bool:
        return query_filters(self.request, CaseFilterSerializer).get("scope") == "organisatie"


class CaseDetailView(APIView):
    @extend_schema(responses=CaseDetailSerializer, summary="Het dossier van één casus")
    def get(self, request: Request, case_id: int) -> Response:
        case = selectors.case_get(actor=request_actor(request), case_id=case_id)
        return _detail_response(case)


class CaseEntryView(MethodFirstMixin, APIView):
    @extend_schema(
        request=EntryCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(409)},
        summary="Een regel vastleggen (signaal, contra-indicatie, consultatie, gesprek, …)",
        description="`data` bevat de velden van het formulier voor `kind`; fouten daarin komen "
        "terug onder `fields.data`. Met `corrects` legt u een correctie van een eerdere regel vast.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id)
        payload = EntryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        corrects = None
        if values.get("corrects"):
            try:
                corrects = selectors.case_entry_get(
                    actor=actor,
                    case=case,
                    entry_id=values["corrects"],
                    part="dossier",
                    action=Action.UPDATE,
                )
            except Http404 as error:
                raise serializers.ValidationError(
                    {"corrects": ["Deze regel bestaat niet in deze casus."]}
                ) from error
        _change(
            services.case_record_entry,
            input_under="data",
            actor=actor,
            case=case,
            expected_version=values["version"],
            kind=values["kind"],
            data=values["data"],
            corrects=corrects,
        )
        return _detail_response(case, status.HTTP_201_CREATED)


class CaseWeighingView(MethodFirstMixin, APIView):
    @extend_schema(
        request=WeighingCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(409)},
        summary="Een afweging van het afwegingskader beantwoorden, met toelichting",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id)
        payload = WeighingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        _change(
            services.case_record_weighing,
            actor=actor,
            case=case,
            expected_version=values["version"],
            question=values["question"],
            answer=values["answer"],
            reasoning=values["reasoning"],
            kinds=values["kinds"],
        )
        return _detail_response(case, status.HTTP_201_CREATED)


class CaseMoveView(MethodFirstMixin, APIView):
    @extend_schema(
        request=MoveSerializer,
        responses={200: CaseDetailSerializer, **errors(409)},
        summary="Naar een andere stap (terug vraagt een reden)",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id)
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        _change(
            services.case_move,
            actor=actor,
            case=case,
            expected_version=values["version"],
            target=values["target"],
            reason=values["reason"],
        )
        return _detail_response(case)


class CaseDecisionView(MethodFirstMixin, APIView):
    @extend_schema(
        request=DecisionSerializer,
        responses={201: CaseDetailSerializer, **errors(409)},
        summary="Het besluit vastleggen (stap 5 of de evaluatie van de hulp)",
        description="Wijkt het besluit af van wat het afwegingskader aangeeft, dan is "
        "`justification` verplicht. Bij hulp zijn `agreements` en een `review_date` in de "
        "toekomst verplicht. Na afweging 5 = ja sluit u af met `close_followup`: dan zijn "
        "`follower_id` met `organisation_id`, `how` en `until` verplicht, en `ground_id` als die "
        "professional voor een andere organisatie werkt; er begint een vervolgplan.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id)
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        review_date: datetime.date | None = values["review_date"]
        if review_date is not None and review_date.year > timezone.localdate().year + 10:
            raise serializers.ValidationError(
                {"review_date": ["Kies een evaluatiedatum binnen tien jaar."]}
            )
        _change(
            services.case_decide,
            actor=actor,
            case=case,
            expected_version=values["version"],
            outcome=Outcome(values["outcome"]),
            justification=values["justification"],
            agreements=values["agreements"],
            review_date=review_date,
            unidentified_reason=values["unidentified_reason"],
            followup=payload.followup(),
            renamed=FOLLOWUP_FIELDS,
        )
        return _detail_response(case, status.HTTP_201_CREATED)


class CasePersonView(MethodFirstMixin, APIView):
    @extend_schema(
        request=PersonCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(409)},
        summary="Een betrokkene vastleggen, of een nieuwe versie van een betrokkene",
        description="Dezelfde controles als op de pagina (BSN met elfproef, postcode, datum). "
        "Fouten komen terug onder `fields.data`.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="betrokkenen")
        payload = PersonCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        form = PersonForm(data=form_values(PersonForm, values["data"]))
        if not form.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            raise serializers.ValidationError({"data": errors})
        replaces = None
        if values.get("replaces"):
            try:
                replaces = selectors.case_person_get(
                    actor=actor,
                    case=case,
                    person_id=values["replaces"],
                    part="betrokkenen",
                    action=Action.UPDATE,
                )
            except Http404 as error:
                raise serializers.ValidationError(
                    {"replaces": ["Deze betrokkene bestaat niet (meer) in deze casus."]}
                ) from error
        _change(
            services.case_record_person,
            actor=actor,
            case=case,
            expected_version=values["version"],
            replaces=replaces,
            **form.cleaned_data,
        )
        return _detail_response(case, status.HTTP_201_CREATED)


class CaseClientView(MethodFirstMixin, APIView):
    @extend_schema(
        request=ClientSerializer,
        responses={200: CaseDetailSerializer, **errors(409)},
        summary="Over wie gaat de zorg: een kind of een volwassene (dan is de kindcheck nodig)",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="casus")
        payload = ClientSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        _change(
            services.case_set_client,
            actor=actor,
            case=case,
            expected_version=values["version"],
            client=values["client"],
        )
        return _detail_response(case)


class CaseReportNowView(MethodFirstMixin, APIView):
    @extend_schema(
        request=ReportNowSerializer,
        responses={201: CaseDetailSerializer, **errors(409)},
        summary="Direct melden bij acute onveiligheid, vanuit elke stap",
        description="Legt vast wat bekend is en zet de casus op ‘gemeld’; wat uit de stappen "
        "nog ontbreekt, komt als ‘nog niet gedaan’ in het besluit en de melding.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, part="besluit")
        payload = ReportNowSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        _change(
            services.case_report_now,
            actor=actor,
            case=case,
            expected_version=values["version"],
            danger=values["danger"],
            structural=values["structural"],
            unidentified_reason=values["unidentified_reason"],
        )
        return _detail_response(case, status.HTTP_201_CREATED)


class CaseReportView(APIView):
    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        summary="De melding voor Veilig Thuis (vastgelegd als export)",
        description="Dezelfde gegevens als de JSON-download op de meldingspagina, met "
        "`schema_version`. Namen van vertrouwelijke bronnen staan er niet in.",
    )
    def get(self, request: Request, case_id: int) -> Response:
        report = case_report(actor=request_actor(request), case_id=case_id, action=Action.EXPORT)
        return Response(report)


# --- Who looked at this client's data ------------------------------------------------------------


class CaseAccessRowSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(
        source="organisation.name", allow_null=True, help_text="Namens welke organisatie."
    )
    found_by_case_number = serializers.BooleanField(
        help_text="Een oudere regel zonder cliëntpseudoniem, gevonden via het casusnummer."
    )

    class Meta:
        model = AccessLogEntry
        fields = [
            "sequence",
            "occurred_at",
            "username",
            "organisation",
            "role",
            "purpose",
            "action",
            "subject_type",
            "subject_id",
            "part",
            "outcome",
            "found_by_case_number",
        ]


@extend_schema_view(
    get=extend_schema(
        summary="Wie heeft de gegevens van de cliënt van deze casus ingezien",
        description="Elke regel in het toegangslogboek over deze cliënt, nieuwste eerst: wie, "
        "wanneer, namens welke organisatie en in welke rol, met welk doel, wat en welk onderdeel, "
        "toegestaan of geweigerd. Alleen voor de verantwoordelijke professional; voor ieder ander "
        "404, en de weigering staat in het toegangslogboek. Het opvragen wordt ook vastgelegd.",
    )
)
class CaseAccessLogView(generics.ListAPIView):
    serializer_class = CaseAccessRowSerializer

    def get_queryset(self) -> QuerySet[AccessLogEntry]:
        _, rows = selectors.case_access_history_get(
            actor=request_actor(self.request), case_id=self.kwargs["case_id"]
        )
        return rows
