"""API v1 for instruments: the definitions an organisation offers, adjusting one, and the results
in a case.

Definitions are read through `instruments.selectors`; results through the same case access rules
and access log as the case pages (`cases.selectors.case_get`). A result is recorded by the same
service as the web page (`instrument_result_record`), which checks the answers itself, so the same
checks apply.
An adjustment goes through the same services as the beheer page (`instrument_edit_preview`,
`instrument_edit_save`): the same loader checks, the same rights, the same access log.

`digest` is the SHA-256 of a definition file: a system that stores a result can check with it
that the definition it reads (`source_text`) is exactly the one the result was made with. Pages
never show it.
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
from meldwijzer.api.errors import ApiError
from meldwijzer.api.permissions import request_actor
from meldwijzer.api.schema import errors
from meldwijzer.api.views import query_filters
from meldwijzer.cases.selectors import case_get
from meldwijzer.instruments import selectors, services
from meldwijzer.instruments.editing import BandEdit, Change, InstrumentEdit, QuestionEdit
from meldwijzer.instruments.format import ITEM_TYPE_CHOICES, KIND_CHOICES, Instrument
from meldwijzer.instruments.models import InstrumentResult

# --- Serializers ----------------------------------------------------------------------------------


class InstrumentSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    version = serializers.CharField()
    digest = serializers.CharField(
        help_text="SHA-256 van het definitiebestand (`source_text`), om te controleren dat een "
        "uitkomst bij precies deze definitie hoort. Staat op geen enkele pagina."
    )
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    kind_label = serializers.CharField()
    validated = serializers.BooleanField()
    format_example = serializers.BooleanField()
    shipped = serializers.BooleanField(help_text="Meegeleverd met Meldwijzer (anders: eigen).")
    adjusted = serializers.BooleanField(
        help_text="Een meegeleverd instrument dat uw organisatie heeft aangepast."
    )
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
        "adjusted": offered.adjusted,
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
        responses={201: ResultSerializer, **errors(409)},
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
        result = _change(
            services.instrument_result_record,
            input_under="answers",
            actor=actor,
            case=case,
            key=key,
            answers=answers,
        )
        return Response(ResultSerializer(_result(result)).data, status=status.HTTP_201_CREATED)


class CaseInstrumentResultDetailView(APIView):
    @extend_schema(responses=ResultSerializer, summary="Eén uitkomst van een instrument")
    def get(self, request: Request, case_id: int, result_id: int) -> Response:
        result = selectors.instrument_result_get(
            actor=request_actor(request), case_id=case_id, result_id=result_id
        )
        return Response(ResultSerializer(_result(result)).data)


# --- Adjusting an instrument --------------------------------------------------------------------------


# DRF's Dutch translation lacks these two.
TEXT_ERRORS: dict[str, Any] = {
    "surrogate_characters_not_allowed": "Deze tekst bevat een teken dat niet kan worden "
    "opgeslagen ({code_point})."
}
BOOLEAN_ERRORS: dict[str, Any] = {"invalid": "Geef true of false."}


def _text() -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=True, error_messages=TEXT_ERRORS
    )


class QuestionEditSerializer(serializers.Serializer):
    text = _text()
    help = _text()
    enabled = serializers.BooleanField(
        required=False,
        error_messages=BOOLEAN_ERRORS,
        help_text="false: de vraag niet meer stellen (niet bij vragen die een regel gebruikt).",
    )


class BandEditSerializer(serializers.Serializer):
    label = _text()  # type: ignore[assignment]
    min = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    max = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="null: geen bovengrens."
    )


class InstrumentEditSerializer(serializers.Serializer):
    based_on_version = serializers.CharField(
        max_length=20,
        help_text="De versie die u aanpast (de huidige). Is er intussen een andere versie "
        "opgeslagen, dan volgt 409.",
    )
    dry_run = serializers.BooleanField(
        default=False,
        error_messages=BOOLEAN_ERRORS,
        help_text="true: alleen laten zien wat er verandert, niets opslaan.",
    )
    title = _text()
    description = _text()
    questions = serializers.DictField(
        child=QuestionEditSerializer(),
        required=False,
        help_text="Per vraag (id) wat er verandert; wat u weglaat, blijft zoals het is.",
    )
    bands = serializers.DictField(
        child=serializers.DictField(child=BandEditSerializer()),
        required=False,
        help_text="Per score (id) en band (code) de naam en grenzen; wat u weglaat, blijft.",
    )
    enabled = serializers.BooleanField(
        required=False,
        error_messages=BOOLEAN_ERRORS,
        help_text="Het instrument tegelijk in- of uitschakelen.",
    )


class ChangeSerializer(serializers.Serializer):
    subject = serializers.CharField()
    summary = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)


class InstrumentEditResultSerializer(serializers.Serializer):
    saved = serializers.BooleanField(help_text="false bij `dry_run`.")
    new_version = serializers.BooleanField(
        help_text="false als alleen aan/uit verandert (dan komt er geen nieuwe versie)."
    )
    version = serializers.CharField(help_text="De versie die (na opslaan) in gebruik is.")
    digest = serializers.CharField(help_text="SHA-256 van die versie.")
    enabled = serializers.BooleanField()
    changes = ChangeSerializer(many=True, help_text="Wat er verandert ten opzichte van nu.")


class InstrumentEditConflictError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    error_code = "gelijktijdige_wijziging"
    default_detail = services.CONFLICT_MESSAGE


def _api_field(path: tuple[str, ...]) -> str:
    """The JSON field of a problem: 'title', 'questions.x.text', 'bands.risico.laag.max'."""
    kind = path[0] if path else ""
    if kind in ("title", "description"):
        return kind
    if kind == "question":
        return ".".join(("questions", *path[1:]))
    if kind in ("band", "score"):
        return ".".join(("bands", *path[1:]))
    return "non_field_errors"


def _edit(editable: selectors.Editable, data: dict[str, Any]) -> InstrumentEdit:
    """The request as an edit; a question or band given in part keeps the rest as it is now."""
    now = {q.item.id: q for q in editable.editor.questions()}
    questions = {}
    for item_id, wanted in data.get("questions", {}).items():
        current = now.get(item_id)
        questions[item_id] = QuestionEdit(
            text=wanted.get("text", current.text if current else ""),
            help=wanted.get("help", current.help if current else ""),
            enabled=wanted.get("enabled", current.enabled if current else True),
        )
    scores = {
        score.id: {band.code: band for band in score.bands} for score in editable.editor.scores
    }
    bands: dict[str, dict[str, BandEdit]] = {}
    for score_id, wanted_bands in data.get("bands", {}).items():
        for code, wanted in wanted_bands.items():
            band = scores.get(score_id, {}).get(code)
            bands.setdefault(score_id, {})[code] = BandEdit(
                label=wanted.get("label", band.label if band else ""),
                minimum=wanted.get("min", band.minimum if band else None),
                maximum=wanted.get("max", band.maximum if band else None),
            )
    return InstrumentEdit(
        title=data.get("title"),
        description=data.get("description"),
        questions=questions,
        bands=bands,
        enabled=data.get("enabled"),
    )


def _changes(changes: list[Change]) -> list[dict[str, str]]:
    return [
        {"subject": c.subject, "summary": c.summary, "before": c.before, "after": c.after}
        for c in changes
    ]


class InstrumentEditView(MethodFirstMixin, APIView):
    @extend_schema(
        request=InstrumentEditSerializer,
        responses={
            200: InstrumentEditResultSerializer,
            201: InstrumentEditResultSerializer,
            **errors(409),
        },
        summary="Een instrument aanpassen: een nieuwe versie van uw organisatie",
        description="Voor de functioneel beheerder (anders 403; een instrument van een andere "
        "organisatie geeft 404). Naam, inleiding, de tekst en toelichting van vragen, vragen "
        "uitzetten, en de namen en grenzen van banden; de rest blijft zoals het is. De nieuwe "
        "versie wordt gecontroleerd zoals een geladen bestand: banden met een gat of overlap, "
        "een lege tekst of een vraag die een regel gebruikt, worden geweigerd (400, per veld "
        "onder `fields`, bijvoorbeeld `bands.risico.laag.max`) en er wordt niets opgeslagen. "
        "Nieuwe uitkomsten gebruiken de nieuwe versie; eerdere uitkomsten houden de hunne. "
        "Met `dry_run` ziet u alleen wat er zou veranderen (200); opgeslagen geeft 201.",
    )
    def post(self, request: Request, key: str) -> Response:
        actor = request_actor(request)
        editable = selectors.instrument_editable(actor=actor, key=key)
        payload = InstrumentEditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        edit = _edit(editable, data)
        call = (
            services.instrument_edit_preview if data["dry_run"] else services.instrument_edit_save
        )
        try:
            outcome = call(
                actor=actor, key=key, edit=edit, based_on_version=data["based_on_version"]
            )
        except services.InstrumentEditConflict as error:
            raise InstrumentEditConflictError(str(error)) from error
        except services.InstrumentEditError as error:
            fields: dict[str, list[str]] = {}
            for problem in error.problems:
                fields.setdefault(_api_field(problem.path), []).append(problem.message)
            raise serializers.ValidationError(fields) from error
        preview = outcome if isinstance(outcome, services.EditPreview) else outcome.preview
        instrument = preview.instrument if preview.new_version else editable.offered.instrument
        body = {
            "saved": not data["dry_run"],
            "new_version": preview.new_version,
            "version": instrument.version,
            "digest": instrument.digest,
            "enabled": preview.enabled,
            "changes": _changes(preview.changes),
        }
        return Response(
            InstrumentEditResultSerializer(body).data,
            status=status.HTTP_200_OK if data["dry_run"] else status.HTTP_201_CREATED,
        )
