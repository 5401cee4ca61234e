"""What each kind of dossier entry records, as forms.

The same forms validate input from the web pages and the API; the cleaned values are stored in
`Entry.data`. Facts and interpretations are separate fields, and a third party's identity can be
marked confidential so it is withheld from reports and exports.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.cases.models import EntryKind

CATEGORIES = [
    ("lichamelijk", "Lichamelijk geweld of mishandeling"),
    ("emotioneel", "Emotioneel of psychisch geweld"),
    ("verwaarlozing", "Verwaarlozing"),
    ("seksueel", "Seksueel geweld of misbruik"),
    ("getuige", "Getuige van partnergeweld"),
    ("eergerelateerd", "Eergerelateerd geweld"),
    ("huwelijksdwang", "Huwelijksdwang"),
    ("achterlating", "Achterlating (in het buitenland achtergelaten)"),
    ("vgv", "Vrouwelijke genitale verminking (meisjesbesnijdenis)"),
    ("ouderen", "Ouderenmishandeling"),
    ("uitbuiting", "Uitbuiting of mensenhandel"),
    ("overig", "Anders"),
]
"""The forms of violence: the kinds of signal, and the codes the sociale kaart and the
instruments use (`social_map/taxonomies/vormen_van_geweld.yaml` has exactly these)."""


SOURCES = [
    ("eigen", "Eigen waarneming"),
    ("collega", "Collega"),
    ("kind", "Het kind zelf"),
    ("ouder", "Ouder of verzorger"),
    ("derde", "Iemand anders (derde)"),
]

SKIP_REASONS = [
    ("veiligheid", "De veiligheid van iemand komt in gevaar"),
    ("contact", "De cliënt zal het contact met mij verbreken"),
    ("vertrouwen", "Het vertrouwen wordt ernstig geschaad"),
]

CONSULTED = [
    ("aandachtsfunctionaris", "Aandachtsfunctionaris"),
    ("collega", "Deskundige collega"),
    ("veilig_thuis", "Veilig Thuis (advies)"),
    ("anders", "Iemand anders"),
]

REFLECTION = [
    ("luisteren", "Ik heb eerst geluisterd naar hun verhaal"),
    ("veilige_plek", "Het gesprek vond face to face plaats, op een veilige plek"),
    ("geen_oplossingen", "Ik heb geen oplossingen aangedragen maar samen gezocht"),
    ("transparant", "Ik was open over wat ik zag en waar het vandaan kwam"),
    ("hun_kijk", "Ik heb naar hun kijk op de signalen gevraagd"),
    ("samen_besluiten", "We hebben samen besloten wat er nu gebeurt"),
]

_TODAY_ERRORS = {
    "required": "Vul een datum in.",
    "invalid": "Vul een geldige datum in (dd-mm-jjjj).",
}


def _not_in_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError("Deze datum ligt in de toekomst.")
    return value


class DateInput(forms.DateInput):
    input_type = "date"


class EntryForm(forms.Form):
    kind: EntryKind

    def entry_data(self) -> dict[str, Any]:
        """The cleaned values as JSON-ready data."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
        }


class SignalForm(EntryForm):
    kind = EntryKind.SIGNAL
    date = forms.DateField(
        label="Datum van de waarneming", widget=DateInput, error_messages=_TODAY_ERRORS
    )
    category = forms.ChoiceField(label="Soort signaal", choices=CATEGORIES)
    source = forms.ChoiceField(label="Bron", choices=SOURCES)
    source_name = forms.CharField(
        label="Naam of functie van de bron", max_length=120, required=False
    )
    source_confidential = forms.BooleanField(
        label="Identiteit van de bron vertrouwelijk houden",
        required=False,
        help_text="De naam wordt dan niet gedeeld met de cliënt en niet opgenomen in een melding.",
    )
    facts = forms.CharField(
        label="Feiten: wat zag of hoorde u?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Beschrijf alleen wat waarneembaar was, zo letterlijk mogelijk.",
    )
    interpretation = forms.CharField(
        label="Interpretatie (niet verplicht)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Hoe duidt u of iemand anders dit? Wordt apart van de feiten bewaard.",
    )
    interpretation_by = forms.CharField(
        label="Van wie is deze interpretatie?", max_length=120, required=False
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpretation") and not data.get("interpretation_by"):
            self.add_error("interpretation_by", "Geef aan van wie de interpretatie is.")
        return data


class CounterSignalForm(EntryForm):
    kind = EntryKind.COUNTER_SIGNAL
    date = forms.DateField(label="Datum", widget=DateInput, error_messages=_TODAY_ERRORS)
    source = forms.ChoiceField(label="Bron", choices=SOURCES)
    facts = forms.CharField(
        label="Wat spreekt de zorg tegen?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])


class ChildCheckForm(EntryForm):
    kind = EntryKind.CHILD_CHECK
    has_children = forms.TypedChoiceField(
        label="Heeft de cliënt minderjarige kinderen in zijn of haar zorg?",
        choices=[("ja", "Ja"), ("nee", "Nee"), ("onbekend", "Weet ik (nog) niet")],
    )
    number = forms.IntegerField(label="Aantal kinderen", min_value=0, max_value=25, required=False)
    ages = forms.CharField(label="Leeftijden", max_length=120, required=False)
    pregnant = forms.BooleanField(label="De cliënt (of partner) is zwanger", required=False)
    shared_care = forms.CharField(
        label="Gedeelde zorg (bijvoorbeeld co-ouderschap)", max_length=500, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_children") == "ja" and not data.get("number"):
            self.add_error("number", "Vul het aantal kinderen in.")
        return data


class ConsultationForm(EntryForm):
    kind = EntryKind.CONSULTATION
    date = forms.DateField(label="Datum", widget=DateInput, error_messages=_TODAY_ERRORS)
    consulted = forms.ChoiceField(label="Wie hebt u geraadpleegd?", choices=CONSULTED)
    consulted_name = forms.CharField(
        label="Naam (bij anoniem advies van Veilig Thuis niet nodig)",
        max_length=120,
        required=False,
    )
    anonymous = forms.BooleanField(
        label="Advies zonder namen van de cliënt (anoniem)", required=False
    )
    advice = forms.CharField(
        label="Wat werd geadviseerd?", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])


class ConsultationRequestForm(EntryForm):
    kind = EntryKind.CONSULTATION_REQUEST
    question = forms.CharField(
        label="Uw vraag aan de aandachtsfunctionaris",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ConversationForm(EntryForm):
    kind = EntryKind.CONVERSATION
    date = forms.DateField(
        label="Datum van het gesprek", widget=DateInput, error_messages=_TODAY_ERRORS
    )
    participants = forms.CharField(label="Wie waren erbij?", max_length=500)
    said = forms.CharField(
        label="Wat is er besproken?", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    reaction = forms.CharField(
        label="Hoe reageerden zij; wat is hun kijk?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    agreements = forms.CharField(
        label="Afspraken", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    reflection = forms.MultipleChoiceField(
        label="Terugblik: wat is gelukt?",
        choices=REFLECTION,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])


class ConversationSkippedForm(EntryForm):
    kind = EntryKind.CONVERSATION_SKIPPED
    reason = forms.ChoiceField(
        label="Waarom gaat u het gesprek (nu) niet aan?",
        choices=SKIP_REASONS,
        help_text="Alleen deze redenen staan de meldcode toe.",
    )
    explanation = forms.CharField(
        label="Toelichting", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class NoteForm(EntryForm):
    kind = EntryKind.NOTE
    text = forms.CharField(
        label="Notitie", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


ENTRY_FORMS: dict[str, type[EntryForm]] = {
    form.kind: form
    for form in (
        SignalForm,
        CounterSignalForm,
        ChildCheckForm,
        ConsultationForm,
        ConsultationRequestForm,
        ConversationForm,
        ConversationSkippedForm,
        NoteForm,
    )
}
