"""Forms of the conference pages. They only validate input; `conferences` decides what is allowed
and screens the text."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.entries import DateInput
from meldwijzer.coordination.models import (
    ConferenceKind,
    CoordinationFile,
    PartyKind,
    Presentation,
)
from meldwijzer.privacy.models import SharingGround

_DATE_ERRORS = {"invalid": "Vul een geldige datum in (dd-mm-jjjj).", "required": "Vul de datum in."}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%H:%M")


class ConferenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort overleg",
        choices=ConferenceKind.choices,
        widget=forms.RadioSelect,
        initial=ConferenceKind.INTERVENTION,
        error_messages={"required": "Kies de soort overleg."},
    )
    title = forms.CharField(
        label="Titel",
        max_length=200,
        help_text="Zonder namen, bijvoorbeeld ‘Interventieoverleg Emmeloord, december’.",
        error_messages={"required": "Geef het overleg een titel."},
    )
    date = forms.DateField(label="Datum", widget=DateInput, error_messages=_DATE_ERRORS)
    time = forms.TimeField(
        label="Begintijd",
        widget=TimeInput,
        error_messages={"required": "Vul de begintijd in.", "invalid": "Vul een tijd in (uu:mm)."},
    )
    place = forms.CharField(
        label="Plaats of verbinding", max_length=200, required=False, help_text="Geen huisadres."
    )
    chair_email = forms.EmailField(
        label="E-mailadres van de voorzitter",
        required=False,
        help_text="Een collega van uw organisatie. Leeg: u bent de voorzitter.",
        error_messages={"invalid": "Vul een geldig e-mailadres in."},
    )
    participants = forms.CharField(
        label="Deelnemers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="E-mailadressen van de professionals die meedoen, één per regel. Zij kunnen "
        "van andere organisaties zijn. U en de voorzitter doen altijd mee.",
    )
    topics = forms.CharField(
        label="Onderwerpen (alleen bij een signaaloverleg)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Eén onderwerp per regel, over trends en nooit over één gezin.",
    )

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day < timezone.localdate() - datetime.timedelta(days=365):
            raise forms.ValidationError("Deze datum ligt meer dan een jaar terug.")
        return day

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )

    def emails(self) -> list[str]:
        text = self.cleaned_data.get("participants", "")
        return [part for part in text.replace(",", "\n").replace(";", "\n").split() if part]


class ItemForm(forms.Form):
    file = forms.TypedChoiceField(
        label="Regiedossier",
        coerce=int,
        error_messages={
            "required": "Kies het regiedossier.",
            "invalid_choice": "Kies het dossier.",
        },
    )
    presentation = forms.ChoiceField(
        label="Hoe bespreekt u het gezin?",
        choices=Presentation.choices,
        widget=forms.RadioSelect,
        initial=Presentation.PSEUDONYMISED,
        error_messages={"required": "Kies: met toestemming of zonder namen."},
    )
    ground = forms.TypedChoiceField(
        label="Toestemming van het gezin",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Alleen bij een bespreking met namen: toestemming die al is vastgelegd en "
        "waarvan het doel het overleg noemt.",
    )
    consent_given_by = forms.CharField(
        label="Of: toestemming nu vastleggen — wie gaf haar?",
        max_length=120,
        required=False,
        help_text="Bijvoorbeeld ‘moeder (met gezag)’. De toestemming geldt voor het bespreken "
        "van het gezin met namen in dit overleg.",
    )
    consent_until = forms.DateField(
        label="Toestemming geldt tot en met",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Vul een geldige datum in (dd-mm-jjjj)."},
    )
    question = forms.CharField(
        label="Vraag aan het overleg",
        max_length=500,
        help_text="Zonder namen, datums, adressen of telefoonnummers.",
        error_messages={"required": "Vul de vraag aan het overleg in."},
    )
    summary = forms.CharField(
        label="Samenvatting voor het overleg",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="Zonder namen, exacte datums, adressen, BSN of telefoonnummers. Schrijf "
        "‘moeder’, ‘het oudste kind’, ‘vorige maand’. Meldwijzer toont het gezin zelf: met "
        "toestemming met namen, anders als rol en leeftijdsgroep.",
        error_messages={"required": "Vul een korte samenvatting in."},
    )

    def __init__(
        self, *args: Any, files: list[CoordinationFile], grounds: list[SharingGround], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        file_field: forms.TypedChoiceField = self.fields["file"]  # type: ignore[assignment]
        file_field.choices = [
            ("", "Kies een regiedossier"),
            *[(file.pk, f"{file.reference} · {file.title}") for file in files],
        ]
        ground_field: forms.TypedChoiceField = self.fields["ground"]  # type: ignore[assignment]
        ground_field.choices = [
            ("", "Geen (zonder namen)"),
            *[
                (
                    ground.pk,
                    f"Toestemming van {ground.given_by}, {ground.purpose}"
                    + (f", tot en met {ground.valid_until:%d-%m-%Y}" if ground.valid_until else ""),
                )
                for ground in grounds
            ],
        ]


class ConfirmForm(forms.Form):
    statement = forms.CharField(
        label="Hoe bent u bij dit gezin betrokken?",
        max_length=300,
        help_text="Bijvoorbeeld ‘Ik ben de leerkracht van het oudste kind’. Dit komt in het "
        "toegangslogboek; daarna ziet u wie het gezin is.",
        error_messages={"required": "Beschrijf hoe u bij dit gezin betrokken bent."},
    )


class DecideForm(forms.Form):
    decisions = forms.CharField(
        label="Besluiten",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Zonder namen, datums, adressen of telefoonnummers.",
    )
    agreement_what = forms.CharField(
        label="Afspraak (niet verplicht)",
        required=False,
        max_length=500,
        help_text="Komt in het regiedossier, als afspraak uit dit overleg.",
    )
    agreement_party = forms.ChoiceField(
        label="Wie komt de afspraak na?",
        choices=PartyKind.choices,
        initial=PartyKind.PROFESSIONAL,
        required=False,
    )
    agreement_owner = forms.TypedChoiceField(
        label="Professional uit het team", coerce=int, required=False, empty_value=None
    )
    agreement_owner_name = forms.CharField(
        label="Of: wie uit het gezin of netwerk",
        required=False,
        max_length=200,
        help_text="Komt alleen in het regiedossier, niet in het overleg.",
    )
    agreement_due_date = forms.DateField(
        label="Uiterlijk op",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Vul een geldige datum in (dd-mm-jjjj)."},
    )

    def __init__(
        self, *args: Any, team: list[User], with_agreement: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_agreement:
            for name in [name for name in self.fields if name.startswith("agreement_")]:
                del self.fields[name]
        self.team = {user.pk: user for user in team}
        if not with_agreement:
            return
        owner_field: forms.TypedChoiceField = self.fields["agreement_owner"]  # type: ignore[assignment]
        owner_field.choices = [
            ("", "Kies een professional"),
            *[(user.pk, user.get_full_name() or user.get_username()) for user in team],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agreement_what"):
            if not data.get("agreement_due_date"):
                self.add_error("agreement_due_date", "Vul in wanneer de afspraak klaar is.")
            elif data["agreement_due_date"] < timezone.localdate():
                self.add_error("agreement_due_date", "Deze datum ligt in het verleden.")
        elif not data.get("decisions"):
            self.add_error("decisions", "Vul de besluiten in, of een afspraak.")
        return data
