"""API v1 for instruments: the definitions an organisation offers, and the results in a case.

Definitions are read through `instruments.selectors`; results through the same case access rules
and access log as the case pages (`cases.selectors.case_get`). A result is recorded with the same
answer form (`instruments.forms.AnswersForm`) and service as the web page, so the same checks apply.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin, _change
from meldwijzer.api.permissions import request_actor
from meldwijzer.api.views import query_filters
from meldwijzer.cases.selectors import case_get
from meldwijzer.instruments import selectors, services
from meldwijzer.instruments.format import ITEM_TYPE_CHOICES, KIND_CHOICES, Instrument
from meldwijzer.instruments.forms import PREFIX, AnswersForm
from meldwijzer.instruments.models import InstrumentResult

# --- Serializers ----------------------------------------------------------------------------------


class InstrumentSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    version = serializers.CharField()
    digest = serializers.CharField(help_text="SHA-256 van het definitiebestand.")
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    kind_label = serializers.CharField()
    validated = serializers.BooleanField()
    format_example = serializers.BooleanField()
    shipped = serializers.BooleanField(help_text="Meegeleverd met Meldwijzer (anders: eigen).")
    enabled = serializers.BooleanField(help_text="Ingeschakeld voor uw organisatie.")
    phases = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    licence = serializers.CharField()
    intended_users = serializers.ListField(child=serializers.CharField())


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    score = serializers.IntegerField(required=False)
    colour = serializers.CharField(required=False)


class ItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.ChoiceField(choices=ITEM_TYPE_CHOICES)
    text = serializers.CharField()
    help = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()  # type: ignore[assignment]
    weight = serializers.IntegerField()
    choices = ChoiceSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)
    items = ItemSerializer(many=True)


class BandSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)


class ScoreSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    items = serializers.ListField(child=serializers.CharField())
    highest = serializers.IntegerField()
    bands = BandSerializer(many=True)


class VersionSerializer(serializers.Serializer):
    version = serializers.CharField()
    digest = serializers.CharField()
    created_at = serializers.DateTimeField()


class InstrumentDetailSerializer(InstrumentSummarySerializer):
    sections = SectionSerializer(many=True)
    scores = ScoreSerializer(many=True)
    flags = serializers.DictField(child=serializers.DictField())
    rules = serializers.ListField(child=serializers.DictField())
    versions = VersionSerializer(many=True, help_text="Eerdere versies van een eigen instrument.")
    source_text = serializers.CharField(help_text="Het definitiebestand zelf (YAML of JSON).")


class InstrumentQuerySerializer(serializers.Serializer):
    version = serializers.CharField(
        max_length=20, required=False, help_text="Een eerdere versie van een eigen instrument."
    )


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    entry = serializers.IntegerField(help_text="De regel in de geschiedenis van de casus.")
    instrument = serializers.CharField()
    title = serializers.CharField()
    version = serializers.CharField()
    digest = serializers.CharField(help_text="SHA-256 van de definitie waarmee dit is gemaakt.")
    phase = serializers.CharField()
    answers = serializers.DictField()
    outcome = serializers.DictField(
        help_text="Scores en banden, markeringen, gezinsprofielen, vormen van geweld en "
        "aanbevelingen, elk met de redenen."
    )
    author = serializers.CharField()
    created_at = serializers.DateTimeField()


class ResultCreateSerializer(serializers.Serializer):
    instrument = serializers.CharField(max_length=40)
    answers = serializers.DictField(
        help_text="Per vraag (id) het antwoord: 'ja'/'nee'/'onbekend', een getal op de schaal, "
        "de waarde van een keuze, tekst, of een datum (jjjj-mm-dd)."
    )


# --- Representations ------------------------------------------------------------------------------


def _summary(offered: selectors.Offered) -> dict[str, Any]:
    instrument = offered.instrument
    return {
        "key": offered.key,
        "title": instrument.title,
        "version": instrument.version,
        "digest": instrument.digest,
        "kind": instrument.kind,
        "kind_label": instrument.kind_label,
        "validated": instrument.validated,
        "format_example": instrument.format_example,
        "shipped": offered.shipped,
        "enabled": offered.enabled,
        "phases": list(instrument.phases),
        "description": instrument.description,
        "source": instrument.source,
        "licence": instrument.licence,
        "intended_users": list(instrument.intended_users),
    }


def _structure(instrument: Instrument) -> dict[str, Any]:
    return {
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "intro": section.intro,
                "items": [
                    {
                        "id": item.id,
                        "type": item.type,
                        "text": item.text,
                        "help": item.help,
                        "required": item.required,
                        "weight": item.weight,
                        "choices": (
                            [
                                {
                                    "value": o.value,
                                    "label": o.label,
                                    "score": o.score,
                                    "colour": o.colour,
                                }
                                for o in item.options
                            ]
                            if item.type == "choice"
                            else [{"value": v, "label": label} for v, label in item.choices()]
                        ),
                    }
                    for item in section.items
                ],
            }
            for section in instrument.sections
        ],
        "scores": [
            {
                "id": score.id,
                "label": score.label,
                "items": list(score.items),
                "highest": score.highest,
                "bands": [
                    {"code": b.code, "label": b.label, "min": b.minimum, "max": b.maximum}
                    for b in score.bands
                ],
            }
            for score in instrument.scores
        ],
        "flags": {
            code: {"label": flag.label, "text": flag.text, "level": flag.level}
            for code, flag in instrument.flags.items()
        },
        "rules": [{"id": rule.id, "explanation": rule.explanation} for rule in instrument.rules],
        "source_text": instrument.source_text,
    }


def _result(result: InstrumentResult) -> dict[str, Any]:
    return {
        "id": result.pk,
        "case": result.case_id,
        "entry": result.entry_id,
        "instrument": result.key,
        "title": result.definition.title,
        "version": result.version,
        "digest": result.digest,
        "phase": result.phase,
        "answers": result.answers,
        "outcome": result.outcome,
        "author": str(result.author),
        "created_at": result.created_at,
    }


def _form_data(answers: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """JSON answers as form data, and the answers that are not text or a whole number."""
    data: dict[str, str] = {}
    wrong: dict[str, list[str]] = {}
    for item_id, value in answers.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            wrong[str(item_id)] = ["Geef het antwoord als tekst of als geheel getal."]
            continue
        data[f"{PREFIX}-{item_id}"] = str(value)
    return data, wrong


# --- Views ----------------------------------------------------------------------------------------


class InstrumentListView(generics.ListAPIView):
    serializer_class = InstrumentSummarySerializer

    @extend_schema(summary="De instrumenten van uw organisatie (meegeleverd en eigen)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> list[dict[str, Any]]:  # type: ignore[override]
        actor = request_actor(self.request)
        return [_summary(o) for o in selectors.instrument_list(actor=actor)]


class InstrumentDetailView(APIView):
    @extend_schema(
        parameters=[InstrumentQuerySerializer],
        responses=InstrumentDetailSerializer,
        summary="Eén instrument: vragen, scores, banden, regels en het definitiebestand",
    )
    def get(self, request: Request, key: str) -> Response:
        filters = query_filters(request, InstrumentQuerySerializer)
        offered = selectors.instrument_offered(
            actor=request_actor(request), key=key, enabled_only=False
        )
        if offered is None:
            raise NotFound("Onbekend instrument.")
        instrument = offered.instrument
        if filters.get("version"):
            match = offered.stored_version(filters["version"])
            if match is None:
                raise NotFound("Deze versie van het instrument bestaat niet.")
            instrument = selectors.definition_instrument(match)
        data = {
            **_summary(offered),
            **{k: getattr(instrument, k) for k in ("title", "version", "digest", "description")},
            **_structure(instrument),
            "versions": [
                {"version": d.version, "digest": d.digest, "created_at": d.created_at}
                for d in offered.versions
            ],
        }
        return Response(InstrumentDetailSerializer(data).data)


@extend_schema_view(get=extend_schema(summary="De uitkomsten van instrumenten in een casus"))
class CaseInstrumentResultsView(MethodFirstMixin, generics.ListAPIView):
    serializer_class = ResultSerializer

    def get_queryset(self) -> list[dict[str, Any]]:  # type: ignore[override]
        case = case_get(
            actor=request_actor(self.request), case_id=self.kwargs["case_id"], part="instrumenten"
        )
        return [_result(result) for result in selectors.case_instrument_results(case)]

    @extend_schema(
        request=ResultCreateSerializer,
        responses={201: ResultSerializer},
        summary="Een ingevuld instrument vastleggen (een nieuwe uitkomst in het dossier)",
        description="Alle verplichte vragen moeten beantwoord zijn. Fouten per vraag komen terug "
        "onder `fields.answers`. Een concept van de professional voor dit instrument wordt "
        "afgerond en verwijderd.",
    )
    def post(self, request: Request, case_id: int) -> Response:
        actor = request_actor(request)
        case = case_get(actor=actor, case_id=case_id, part="instrumenten")
        payload = ResultCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        key, answers = payload.validated_data["instrument"], payload.validated_data["answers"]
        instrument, _ = _change(services.answering_instrument, actor=actor, case=case, key=key)
        unknown = sorted(str(k) for k in answers if k not in instrument.items)
        if unknown:
            raise serializers.ValidationError(
                {"answers": {k: ["Deze vraag bestaat niet in dit instrument."] for k in unknown}}
            )
        data, wrong = _form_data(answers)
        form = AnswersForm(data, instrument=instrument, complete=True)
        if wrong or not form.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            raise serializers.ValidationError({"answers": {**errors, **wrong}})
        result = _change(
            services.instrument_result_record, actor=actor, case=case, key=key, form=form
        )
        return Response(ResultSerializer(_result(result)).data, status=status.HTTP_201_CREATED)


class CaseInstrumentResultDetailView(APIView):
    @extend_schema(responses=ResultSerializer, summary="Eén uitkomst van een instrument")
    def get(self, request: Request, case_id: int, result_id: int) -> Response:
        result = selectors.instrument_result_get(
            actor=request_actor(request), case_id=case_id, result_id=result_id
        )
        return Response(ResultSerializer(_result(result)).data)
