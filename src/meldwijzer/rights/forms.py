"""The pages' forms: they read the values; `services` checks the rules and names each refusal
per field, which the view puts back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.cases.entries import DateInput
from meldwijzer.cases.models import Person, PersonKind
from meldwijzer.rights.models import IdentityDocument, Relation

_CHOICE_ERRORS = {"invalid_choice": "Kies een van de mogelijkheden."}


def _person_label(person: Person) -> str:
    details = [person.get_kind_display()]
    if person.relation:
        details.append(person.relation)
    if person.authority == "ja":
        details.append("met gezag")
    return f"{person.name} ({', '.join(details)})"


class CopyForm(forms.Form):
    relation = forms.ChoiceField(
        label="Wie krijgt het afschrift?",
        choices=Relation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies wie het afschrift krijgt.", **_CHOICE_ERRORS},
        help_text="Een kind jonger dan 12 krijgt zelf geen afschrift; de ouders met gezag wel. "
        "Vanaf 16 jaar beslist het kind zelf: een ouder alleen met toestemming van het kind.",
    )
    recipient = forms.TypedChoiceField(
        label="Aan wie geeft u het afschrift?",
        coerce=int,
        error_messages={"required": "Kies aan wie u het afschrift geeft.", **_CHOICE_ERRORS},
    )
    child = forms.TypedChoiceField(
        label="Over welk kind gaat het afschrift?",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Alleen als een ouder het afschrift krijgt.",
        error_messages=_CHOICE_ERRORS,
    )
    child_consent = forms.BooleanField(
        label="Het kind (16 of 17 jaar) geeft toestemming dat de ouder het afschrift krijgt",
        required=False,
    )
    child_consent_reason = forms.CharField(
        label="Hoe gaf het kind toestemming, en waarom krijgt de ouder het afschrift?",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    identity_document = forms.ChoiceField(
        label="Welk identiteitsbewijs hebt u gecontroleerd?",
        choices=[("", "Kies het identiteitsbewijs"), *IdentityDocument.choices],
        error_messages={
            "required": "Kies welk identiteitsbewijs u hebt gecontroleerd.",
            **_CHOICE_ERRORS,
        },
    )
    identified = forms.BooleanField(
        label="Ik heb het identiteitsbewijs van de ontvanger gezien en gecontroleerd",
        required=False,
    )
    reason = forms.CharField(
        label="Reden of verzoek",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Schrijf op waarom of op wiens verzoek u het afschrift geeft."},
        help_text="Bijvoorbeeld: ‘Moeder vroeg op 3 december om een afschrift.’",
    )

    safety_weighed = forms.CharField(
        label="Waarom brengt dit afschrift niemand in gevaar?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Bijvoorbeeld: ‘Veilig Thuis heeft het gezin inmiddels zelf over de melding "
        "gesproken; vader woont niet meer in huis.’",
    )

    def __init__(
        self, *args: Any, persons: list[Person], safety_reasons: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not safety_reasons:
            del self.fields["safety_weighed"]
        else:
            weighed = self.fields["safety_weighed"]
            weighed.required = True
            weighed.error_messages["required"] = (
                "Schrijf op waarom dit afschrift niemand in gevaar brengt, of geef het (nog) niet."
            )
        recipient_field = self.fields["recipient"]
        child_field = self.fields["child"]
        assert isinstance(recipient_field, forms.ChoiceField)
        assert isinstance(child_field, forms.ChoiceField)
        recipient_field.choices = [("", "Kies de ontvanger")] + [
            (person.pk, _person_label(person)) for person in persons
        ]
        child_field.choices = [("", "Kies het kind")] + [
            (person.pk, _person_label(person))
            for person in persons
            if person.kind == PersonKind.CHILD
        ]


class StatementForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Wie gaf de verklaring?",
        coerce=int,
        error_messages={"required": "Kies wie de verklaring gaf.", **_CHOICE_ERRORS},
    )
    given_on = forms.DateField(
        label="Datum waarop de verklaring is gegeven",
        widget=DateInput,
        initial=timezone.localdate,
        error_messages={
            "required": "Geef de datum waarop de verklaring is gegeven.",
            "invalid": "Geef een geldige datum.",
        },
    )
    text = forms.CharField(
        label="De verklaring",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "Schrijf de verklaring op zoals de cliënt die gaf."},
        help_text="Schrijf op wat de cliënt zelf wil toevoegen, zo veel mogelijk in de eigen "
        "woorden. De verklaring wordt niet gewijzigd of verwijderd; een nieuwe kan volgen.",
    )

    def __init__(self, *args: Any, persons: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Kies wie de verklaring gaf")] + [
            (person.pk, _person_label(person)) for person in persons
        ]
