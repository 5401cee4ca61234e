"""Forms of the case pages that are not dossier entries (those are in `cases.entries`).

They only validate input; the services decide whether a change is allowed. Every form that
changes a case is posted together with `VersionForm`, the version of the case the professional
saw, so a change made by someone else in the meantime is never overwritten.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.cases.entries import DateInput
from meldwijzer.cases.frameworks import profession_choices
from meldwijzer.cases.models import Outcome, PersonKind
from meldwijzer.cases.workflow import Phase

_DATE_ERRORS = {"invalid": "Vul een geldige datum in (dd-mm-jjjj)."}

VERSION_ERROR = (
    "Het formulier mist de versie van de casus, of die is ongeldig. Open de casus opnieuw en "
    "voer uw wijziging daarna in."
)


class VersionForm(forms.Form):
    """The version of the case the form was based on (optimistic locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def _bsn_valid(bsn: str) -> bool:
    """The 'elfproef' for Dutch citizen service numbers."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(bsn[:8], range(9, 1, -1), strict=True))
    return (total - int(bsn[8])) % 11 == 0


class CaseFilterForm(forms.Form):
    phase = forms.ChoiceField(label="Fase", choices=[("", "Alle fasen"), *Phase.choices])
    overdue = forms.ChoiceField(
        label="Streefdatum verstreken",
        choices=[("", "Maakt niet uit"), ("ja", "Ja"), ("nee", "Nee")],
    )
    outcome = forms.ChoiceField(label="Besluit", choices=[("", "Alle"), *Outcome.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def filters(self) -> dict[str, Any]:
        """Valid filters only; invalid values are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        overdue = {"ja": True, "nee": False}.get(data.get("overdue", ""))
        return {
            "phase": data.get("phase", ""),
            "overdue": overdue,
            "outcome": data.get("outcome", ""),
        }


class CaseCreateForm(forms.Form):
    title = forms.CharField(
        label="Korte omschrijving",
        max_length=120,
        help_text="Zonder namen of andere herkenbare gegevens, bijvoorbeeld ‘Zorgen over "
        "leerling groep 5’.",
        error_messages={"required": "Vul een korte omschrijving in."},
    )
    profession = forms.ChoiceField(
        label="Beroepsgroep",
        choices=profession_choices,
        help_text="Bepaalt welk afwegingskader Meldwijzer bij stap 4 en 5 toont.",
    )
    works_with_adults = forms.BooleanField(
        label="Ik werk met volwassenen (kindcheck nodig)",
        required=False,
        help_text="Dan vraagt stap 1 ook of er minderjarige kinderen zijn of de cliënt zwanger is.",
    )
    bsn = forms.CharField(
        label="BSN van het kind of de cliënt",
        max_length=11,
        required=False,
        help_text="Niet verplicht. Wordt niet opgeslagen: Meldwijzer bewaart alleen een "
        "versleutelde afgeleide (een sleutel-hash) om dezelfde persoon later te herkennen.",
    )
    name = forms.CharField(
        label="Of: naam",
        max_length=120,
        required=False,
        help_text="Alleen als u geen BSN gebruikt, samen met de geboortedatum. Ook de naam wordt "
        "niet opgeslagen, alleen de sleutel-hash.",
    )
    date_of_birth = forms.DateField(
        label="Geboortedatum", required=False, widget=DateInput, error_messages=_DATE_ERRORS
    )

    def clean_bsn(self) -> str:
        bsn = "".join(ch for ch in self.cleaned_data["bsn"] if not ch.isspace() and ch != ".")
        if bsn and not _bsn_valid(bsn):
            raise forms.ValidationError("Dit is geen geldig BSN (9 cijfers, elfproef).")
        return bsn

    def clean_date_of_birth(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["date_of_birth"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("De geboortedatum ligt in de toekomst.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("bsn") and (data.get("name") or data.get("date_of_birth")):
            self.add_error("name", "Gebruik óf het BSN, óf naam en geboortedatum.")
        elif data.get("name") and not data.get("date_of_birth") and "date_of_birth" in data:
            self.add_error("date_of_birth", "Vul bij een naam ook de geboortedatum in.")
        elif data.get("date_of_birth") and not data.get("name"):
            self.add_error("name", "Vul bij een geboortedatum ook de naam in.")
        return data


class PersonForm(forms.Form):
    kind = forms.ChoiceField(label="Soort betrokkene", choices=PersonKind.choices)
    name = forms.CharField(
        label="Naam of aanduiding",
        max_length=120,
        help_text="Bijvoorbeeld een voornaam of ‘moeder’.",
        error_messages={"required": "Vul een naam of aanduiding in."},
    )
    date_of_birth = forms.DateField(
        label="Geboortedatum", required=False, widget=DateInput, error_messages=_DATE_ERRORS
    )
    age = forms.IntegerField(
        label="Leeftijd (als de geboortedatum onbekend is)",
        min_value=0,
        max_value=120,
        required=False,
    )
    relation = forms.CharField(label="Relatie tot het kind", max_length=120, required=False)
    parental_authority = forms.BooleanField(label="Heeft gezag", required=False)

    def clean_date_of_birth(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data["date_of_birth"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("De geboortedatum ligt in de toekomst.")
        return value


class WeighingForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label="Uw antwoord",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )
    reasoning = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Waarop baseert u dit antwoord? Noem de signalen, contra-indicaties en het "
        "advies waar u op steunt.",
        error_messages={"required": "Licht uw antwoord toe."},
    )

    def __init__(self, *args: Any, questions: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions

    def clean_question(self) -> str:
        question: str = self.cleaned_data["question"]
        if question not in self.questions:
            raise forms.ValidationError("Deze afweging kunt u nu niet beantwoorden.")
        return question


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Uw besluit",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies uw besluit."},
    )
    justification = forms.CharField(
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text="Verplicht als uw besluit afwijkt van wat het afwegingskader aangeeft.",
    )
    agreements = forms.CharField(
        label="Afspraken over de hulp",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text="Verplicht bij hulp: wie doet wat, en hoe volgt u de veiligheid?",
    )
    review_date = forms.DateField(
        label="Evaluatiedatum",
        widget=DateInput,
        required=False,
        error_messages=_DATE_ERRORS,
        help_text="Verplicht bij hulp: op deze datum beantwoordt u afweging 5.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Required depending on the decision; the help text says when.
        for name in ("justification", "agreements", "review_date"):
            self.fields[name].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.HELP:
            review_date = data.get("review_date")
            if "review_date" in data and review_date is None:
                self.add_error("review_date", "Kies een evaluatiedatum.")
            elif review_date is not None and review_date <= timezone.localdate():
                self.add_error("review_date", "Kies een evaluatiedatum in de toekomst.")
            if not data.get("agreements", "").strip():
                self.add_error("agreements", "Leg de afspraken over de hulp vast.")
        return data


class MoveForm(forms.Form):
    target = forms.ChoiceField(label="Naar stap", choices=Phase.choices)
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Verplicht als u teruggaat naar een eerdere stap.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].conditional = True  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Waarom sluit u de casus af?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Bijvoorbeeld: Veilig Thuis heeft de melding overgenomen en de hulp is "
        "overgedragen.",
        error_messages={"required": "Geef aan waarom de casus wordt afgesloten."},
    )
