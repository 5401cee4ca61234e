"""The forms of the knowledge pages: choosing a step and beroepsgroep, and a redacteur's edit."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from meldwijzer.organisations.models import Profession
from meldwijzer.trainings import knowledge

STEP_CHOICES = [
    (1, "Stap 1 · Signalen in kaart brengen"),
    (2, "Stap 2 · Collegiale consultatie"),
    (3, "Stap 3 · Gesprek met de cliënt"),
    (4, "Stap 4 · Wegen"),
    (5, "Stap 5 · Beslissen"),
]


class StepChoiceForm(forms.Form):
    stap = forms.TypedChoiceField(label="Stap", choices=STEP_CHOICES, coerce=int)
    beroepsgroep = forms.ChoiceField(label="Beroepsgroep", choices=Profession.choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class KnowledgeForm(forms.Form):
    title = forms.CharField(
        label="Titel",
        max_length=knowledge.TITLE_MAX,
        error_messages={"required": "Geef de tekst een titel."},
    )
    body = forms.CharField(
        label="Tekst (Markdown)",
        max_length=knowledge.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Kopjes met ##, opsommingen met -, een link als [tekst](https://…). HTML en "
        "afbeeldingen worden niet getoond; links alleen naar https, http, mailto of tel.",
        error_messages={"required": "De tekst mag niet leeg zijn."},
    )
    as_of = forms.DateField(
        label="Stand (datum waarop de tekst klopt)",
        widget=DateInput(),
        error_messages={
            "required": "Geef de datum van de stand.",
            "invalid": "Geef de stand als datum (dd-mm-jjjj).",
        },
    )
    source = forms.CharField(
        label="Bron",
        max_length=knowledge.SOURCE_MAX,
        error_messages={"required": "Geef de bron van de tekst."},
    )
    note = forms.CharField(
        label="Wat is er veranderd?",
        max_length=500,
        help_text="Kort, voor de geschiedenis van de tekst.",
        error_messages={"required": "Beschrijf kort wat u hebt veranderd."},
    )

    def clean_as_of(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["as_of"]
        if value > timezone.localdate():
            raise forms.ValidationError("De stand kan niet in de toekomst liggen.")
        return value

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_source(self) -> str:
        return " ".join(self.cleaned_data["source"].split())
