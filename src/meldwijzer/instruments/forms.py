"""Forms: answering an instrument (built from its definition), uploading a definition, and
adjusting an instrument on the beheer page.

`AnswersForm` is the one validator for answers: the web page shows it, and `answers_clean` checks
plain answers with it for the services, whoever calls them (the page, the API). Saving halfway
accepts any subset of valid answers; finishing also requires every required question.
`EditForm` only collects what the beheerder typed; whether it makes a usable instrument is decided
by the loader (`services.instrument_edit_preview`), whose problems `EditForm.add_problems` puts
at the field they belong to.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from meldwijzer.cases.entries import DateInput
from meldwijzer.instruments.editing import (
    BandEdit,
    Editor,
    EditorQuestion,
    InstrumentEdit,
    QuestionEdit,
)
from meldwijzer.instruments.format import Instrument, Item, Score
from meldwijzer.instruments.loader import MAX_SOURCE_BYTES, Problem
from meldwijzer.instruments.scoring import Answers, is_answered

PREFIX = "antwoord"
TEXT_MAX = 5000


def _field(item: Item) -> forms.Field:
    common: dict[str, Any] = {"label": item.text, "required": False, "help_text": item.help}
    if item.scored:
        return forms.ChoiceField(
            choices=item.choices(),
            widget=forms.RadioSelect(
                attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
            ),
            error_messages={"invalid_choice": "Kies een van de antwoorden."},
            **common,
        )
    if item.type == "date":
        return forms.DateField(
            widget=DateInput,
            error_messages={"invalid": "Vul een geldige datum in (dd-mm-jjjj)."},
            **common,
        )
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        error_messages={"max_length": f"Hoogstens {TEXT_MAX} tekens."},
        **common,
    )


class AnswersForm(forms.Form):
    """The questions of one instrument. With `complete=True` every required question must be
    answered (finishing); without, any valid subset will do (saving halfway)."""

    def __init__(
        self, *args: Any, instrument: Instrument, complete: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.complete = complete
        for item in instrument.items.values():
            self.fields[item.id] = _field(item)
            # Required only when finishing: the label must not say "niet verplicht".
            self.fields[item.id].conditional = item.required  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for item_id, value in data.items():
            if isinstance(value, datetime.date) and not 1900 <= value.year <= 2200:
                self.add_error(item_id, "Vul een geldige datum in (dd-mm-jjjj).")
        if self.complete:
            for item in self.instrument.items.values():
                if (
                    item.required
                    and not is_answered(data.get(item.id))
                    and item.id not in self.errors
                ):
                    self.add_error(item.id, "Beantwoord deze vraag.")
        return data

    def answers(self) -> Answers:
        """The valid answers as JSON-ready values (scale as a number, a date as yyyy-mm-dd)."""
        items = self.instrument.items
        answers: Answers = {}
        for item_id, value in self.cleaned_data.items():
            if not is_answered(value):
                continue
            if items[item_id].type == "scale":
                answers[item_id] = int(value)
            elif isinstance(value, datetime.date):
                answers[item_id] = value.isoformat()
            elif isinstance(value, str):
                answers[item_id] = value.strip() if items[item_id].type == "text" else value
            if answers.get(item_id) == "":
                answers.pop(item_id)
        return answers

    def sections(self) -> list[dict[str, Any]]:
        """The questions grouped by the instrument's sections, for the template."""
        return [
            {
                "section": section,
                "questions": [
                    {"item": item, "field": self[item.id], "choices": item.scored}
                    for item in section.items
                ],
            }
            for section in self.instrument.sections
        ]

    def error_rows(self) -> list[dict[str, str]]:
        """Every question with an error, in the order of the instrument, for the summary."""
        return [
            {
                "id": item.id,
                "text": item.text,
                "error": " ".join(str(e) for e in self.errors[item.id]),
            }
            for item in self.instrument.items.values()
            if item.id in self.errors
        ]


def answers_clean(
    instrument: Instrument, answers: Mapping[str, Any], *, complete: bool
) -> tuple[Answers, dict[str, list[str]]]:
    """Check plain answers (question id → text or whole number) as the form does. Gives the
    answers to store and, per question, what is wrong; the answers count only when nothing is."""
    unknown = sorted(str(item_id) for item_id in answers if str(item_id) not in instrument.items)
    if unknown:
        return {}, {item_id: ["Deze vraag bestaat niet in dit instrument."] for item_id in unknown}
    wrong: dict[str, list[str]] = {}
    data: dict[str, str] = {}
    for item_id, value in answers.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | datetime.date):
            wrong[str(item_id)] = ["Geef het antwoord als tekst of als geheel getal."]
            continue
        data[f"{PREFIX}-{item_id}"] = str(value)
    form = AnswersForm(data, instrument=instrument, complete=complete)
    if wrong or not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return {}, {**errors, **wrong}
    return form.answers(), {}


def initial_answers(instrument: Instrument, answers: Answers) -> dict[str, str]:
    """Stored answers as initial form values (for a draft that is opened again)."""
    items = instrument.items
    return {
        item_id: str(value)
        for item_id, value in answers.items()
        if item_id in items and is_answered(value)
    }


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Definitiebestand (YAML of JSON)",
        help_text="Het formaat staat in de documentatie van Meldwijzer "
        "(docs/instrument-format.md). Begin met het bestand van een meegeleverd instrument. "
        "Hoogstens 256 kB, UTF-8.",
        error_messages={
            "required": "Kies een bestand.",
            "empty": "Het bestand is leeg.",
            "invalid": "Dit is geen bestand.",
        },
    )
    enable = forms.BooleanField(
        label="Direct inschakelen voor de professionals van mijn organisatie",
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SOURCE_BYTES:
            raise forms.ValidationError("Het bestand is groter dan 256 kB.")
        return upload


class EnableForm(forms.Form):
    enabled = forms.TypedChoiceField(
        choices=[("1", "aan"), ("0", "uit")], coerce=lambda value: value == "1"
    )


# --- Adjusting an instrument ------------------------------------------------------------------------

ON, OFF = "aan", "uit"
BAND_LIMIT_ERRORS = {
    "invalid": "Vul een heel getal in.",
    "min_value": "Vul 0 of meer in.",
    "max_value": "Vul hoogstens %(limit_value)s in.",
}


@dataclass(frozen=True)
class EditQuestionFields:
    number: int
    question: EditorQuestion
    text: forms.BoundField
    help: forms.BoundField
    off: forms.BoundField | None


@dataclass(frozen=True)
class EditBandFields:
    label: forms.BoundField
    minimum: forms.BoundField
    maximum: forms.BoundField
    current_label: str
    last: bool


class EditForm(forms.Form):
    """The editor's fields for one instrument. Field names are positions ('vraag-3-tekst'), so
    the instrument's own names never end up in the page."""

    def __init__(self, *args: Any, editor: Editor, enabled: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        current = editor.current
        self._paths: dict[tuple[str, ...], str] = {}
        self._after: dict[str, str] = {}  # a band's 'max' field → the next band's 'min' field
        self._names: dict[str, str] = {}  # field name → how the error summary names it
        # The version the form was opened on; a missing or old one is a conflict when saving.
        self.fields["basis"] = forms.CharField(
            widget=forms.HiddenInput, initial=current.version, required=False
        )
        self.fields["gebruik"] = forms.ChoiceField(
            label="Voor de professionals van uw organisatie",
            choices=[
                (ON, "Ingeschakeld: zij kunnen het instrument in een casus invullen"),
                (OFF, "Uitgeschakeld: zij kunnen het niet meer starten"),
            ],
            widget=forms.RadioSelect,
            initial=ON if enabled else OFF,
            error_messages={"required": "Kies aan of uit.", "invalid_choice": "Kies aan of uit."},
        )
        self._field(
            "titel",
            ("title",),
            "Naam",
            forms.CharField(label="Naam", initial=current.title),
            needed=True,
        )
        self._field(
            "inleiding",
            ("description",),
            "Inleiding",
            forms.CharField(
                label="Inleiding",
                initial=current.description,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="Staat bij het instrument: wat het doet en voor wie.",
            ),
            needed=True,
        )
        for number, question in enumerate(editor.questions(), start=1):
            item_id = question.item.id
            where = f"Vraag {number}"
            self._field(
                f"vraag-{number}-tekst",
                ("question", item_id, "text"),
                f"{where}, tekst",
                forms.CharField(
                    label="Tekst van de vraag",
                    initial=question.text,
                    widget=forms.Textarea(attrs={"rows": 3}),
                ),
                needed=True,
            )
            self._field(
                f"vraag-{number}-toelichting",
                ("question", item_id, "help"),
                f"{where}, toelichting",
                forms.CharField(
                    label="Toelichting",
                    initial=question.help,
                    widget=forms.Textarea(attrs={"rows": 3}),
                ),
            )
            if not question.locked:
                self._field(
                    f"vraag-{number}-uit",
                    ("question", item_id, "enabled"),
                    f"{where}, uitzetten",
                    forms.BooleanField(
                        label="Deze vraag niet meer stellen", initial=not question.enabled
                    ),
                )
            else:
                self._paths[("question", item_id, "enabled")] = f"vraag-{number}-tekst"
        for score_number, score in enumerate(editor.scores, start=1):
            for band_number, band in enumerate(score.bands, start=1):
                prefix = f"band-{score_number}-{band_number}"
                path = ("band", score.id, band.code)
                where = f"Band ‘{band.label}’ van ‘{score.label}’"
                self._field(
                    f"{prefix}-naam",
                    (*path, "label"),
                    f"{where}, naam",
                    forms.CharField(label="Naam", initial=band.label),
                    needed=True,
                )
                first, last = band_number == 1, band_number == len(score.bands)
                for suffix, field_path, label, value, needed in (
                    ("van", "min", "Van (punten)", band.minimum, not first),
                    ("tot", "max", "Tot en met (punten)", band.maximum, not last),
                ):
                    self._field(
                        f"{prefix}-{suffix}",
                        (*path, field_path),
                        f"{where}, {label.split(' (')[0].lower()}",
                        forms.IntegerField(
                            label=label,
                            initial=value,
                            min_value=0,
                            max_value=100000,
                            error_messages=BAND_LIMIT_ERRORS,
                            help_text=(
                                "Leeg: geen bovengrens."
                                if suffix == "tot" and last
                                else "Leeg: vanaf 0."
                                if suffix == "van" and first
                                else ""
                            ),
                        ),
                        needed=needed,
                    )
                if band_number > 1:
                    self._after[f"band-{score_number}-{band_number - 1}-tot"] = f"{prefix}-van"

    def _field(
        self,
        name: str,
        path: tuple[str, ...],
        summary: str,
        field: forms.Field,
        *,
        needed: bool = False,
    ) -> None:
        # The loader decides what is missing (and says so at the field); the label only must not
        # call a needed field "niet verplicht".
        field.required = False
        field.conditional = needed  # type: ignore[attr-defined]
        if isinstance(field, forms.CharField):
            field.strip = True
        self.fields[name] = field
        self._paths[path] = name
        self._names[name] = summary

    # What the beheerder asked for

    def to_edit(self) -> InstrumentEdit:
        data = self.cleaned_data
        questions = {}
        for number, question in enumerate(self.editor.questions(), start=1):
            questions[question.item.id] = QuestionEdit(
                text=data.get(f"vraag-{number}-tekst") or "",
                help=data.get(f"vraag-{number}-toelichting") or "",
                enabled=not data.get(f"vraag-{number}-uit", False),
            )
        bands: dict[str, dict[str, BandEdit]] = {}
        for score_number, score in enumerate(self.editor.scores, start=1):
            for band_number, band in enumerate(score.bands, start=1):
                prefix = f"band-{score_number}-{band_number}"
                bands.setdefault(score.id, {})[band.code] = BandEdit(
                    label=data.get(f"{prefix}-naam") or "",
                    minimum=data.get(f"{prefix}-van"),
                    maximum=data.get(f"{prefix}-tot"),
                )
        return InstrumentEdit(
            title=data.get("titel") or "",
            description=data.get("inleiding") or "",
            questions=questions,
            bands=bands,
            enabled=data.get("gebruik") == ON,
        )

    @property
    def based_on_version(self) -> str:
        return str(self.cleaned_data.get("basis", ""))

    # The loader's problems, at their fields

    def _changed(self, name: str) -> bool:
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return value != self.fields[name].initial

    def _band_words(self, message: str, score_id: str) -> str:
        """The loader names bands by code and limits as 'min'/'max'; the form shows labels and
        'van'/'tot en met'."""
        score = next((s for s in self.editor.scores if s.id == score_id), None)
        if score is not None:
            for band in score.bands:
                message = re.sub(rf"'{re.escape(band.code)}'", f"‘{band.label}’", message)
        return message.replace("'min'", "‘van’").replace("'max'", "‘tot en met’")

    def add_problems(self, problems: list[Problem]) -> None:
        scores: dict[str, Score] = {score.id: score for score in self.editor.scores}
        for problem in problems:
            path = problem.path
            message = problem.message
            if path[:1] in (("band",), ("score",)):
                message = self._band_words(message, path[1])
            name = self._paths.get(path)
            if name in self._after and not self._changed(name) and self._changed(self._after[name]):
                name = self._after[name]  # the limit the beheerder moved
            if name is not None:
                message = message[:1].upper() + message[1:]
                self.add_error(name, message if message.endswith(".") else message + ".")
            elif path[:1] == ("score",) and path[1] in scores:
                self.add_error(None, f"Score ‘{scores[path[1]].label}’: {message}.")
            else:
                rule = next(
                    (r for r in self.editor.base.rules if problem.location == f"regel '{r.id}'"),
                    None,
                )
                if rule is not None:  # named by its explanation, not its name in the file
                    message = (
                        f"De regel ‘{rule.explanation.strip()}’ werkt dan niet meer: {message}"
                    )
                self.add_error(None, message if message.endswith(".") else message + ".")

    # For the template

    def error_rows(self) -> list[dict[str, str]]:
        return [
            {
                "id": self[name].auto_id,
                "text": self._names.get(name, name),
                "error": " ".join(str(error) for error in errors),
            }
            for name, errors in self.errors.items()
            if name in self.fields
        ]

    def sections(self) -> list[dict[str, Any]]:
        rows = []
        number = 0
        for section in self.editor.sections:
            questions = []
            for question in section.questions:
                number += 1
                off = f"vraag-{number}-uit"
                questions.append(
                    EditQuestionFields(
                        number=number,
                        question=question,
                        text=self[f"vraag-{number}-tekst"],
                        help=self[f"vraag-{number}-toelichting"],
                        off=self[off] if off in self.fields else None,
                    )
                )
            rows.append({"section": section.section, "questions": questions})
        return rows

    def scores(self) -> list[dict[str, Any]]:
        return [
            {
                "score": score,
                "bands": [
                    EditBandFields(
                        label=self[f"band-{s}-{b}-naam"],
                        minimum=self[f"band-{s}-{b}-van"],
                        maximum=self[f"band-{s}-{b}-tot"],
                        current_label=band.label,
                        last=b == len(score.bands),
                    )
                    for b, band in enumerate(score.bands, start=1)
                ],
            }
            for s, score in enumerate(self.editor.scores, start=1)
        ]
