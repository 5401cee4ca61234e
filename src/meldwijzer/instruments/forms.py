"""Forms: answering an instrument (built from its definition), and uploading a definition.

`AnswersForm` is the one validator for answers, for the web page and the API alike. Saving
halfway accepts any subset of valid answers; finishing also requires every required question.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from meldwijzer.cases.entries import DateInput
from meldwijzer.instruments.format import Instrument, Item
from meldwijzer.instruments.loader import MAX_SOURCE_BYTES
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
