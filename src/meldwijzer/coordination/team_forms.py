"""The forms of the team pages: they check the input and give clear Dutch errors; the services in
`team` and `agreements` decide what may happen."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.entries import DateInput
from meldwijzer.coordination.models import (
    AgreementState,
    FamilyRole,
    FileParts,
    PartyKind,
    TeamMember,
)
from meldwijzer.privacy.models import CONFLICT_CHECKS, GroundKind, SharingGround

NEW_GROUND = ""
DATE_ERRORS = {"required": "Kies een datum.", "invalid": "Kies een geldige datum."}
# What a partner may be given beyond the team; the team itself is always included.
EXTRA_PARTS = [(part.value, part.label) for part in FileParts if part != FileParts.TEAM]
# Grounds for sharing a family's file with a partner (the meldrecht reaches Veilig Thuis only and
# is not offered here).
INVITE_GROUNDS = [
    (GroundKind.CONSENT.value, "Toestemming van het gezin"),
    (GroundKind.CONFLICT_OF_DUTIES.value, "Conflict van plichten (zonder toestemming)"),
]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mailadres van de professional",
        max_length=254,
        error_messages={
            "required": "Vul het e-mailadres in.",
            "invalid": "Dit is geen geldig e-mailadres.",
        },
    )
    role_description = forms.CharField(
        label="Wat u van mij kunt verwachten",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="In gewone woorden, voor het gezin en het team, zonder namen: de professional "
        "leest dit al voordat die het dossier ziet. Bijvoorbeeld: ‘Ik kom elke week bij u thuis "
        "en help met rust in huis.’",
        error_messages={
            "required": "Beschrijf wat het gezin en het team van deze professional mogen "
            "verwachten.",
            "max_length": "Houd de beschrijving korter dan 500 tekens.",
        },
    )
    phone = forms.CharField(
        label="Telefoonnummer",
        max_length=30,
        required=False,
        help_text="Leeg laten: het nummer uit het account van de professional.",
    )
    parts = forms.MultipleChoiceField(
        label="Wat mag deze professional zien, naast het team en de afspraken?",
        choices=EXTRA_PARTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Alleen voor een professional van een andere organisatie: niet meer dan nodig.",
    )
    until = forms.DateField(
        label="Gedeeld tot en met",
        widget=DateInput,
        required=False,
        help_text="Alleen voor een andere organisatie; uiterlijk een jaar vanaf vandaag.",
        error_messages=DATE_ERRORS,
    )
    ground = forms.ChoiceField(
        label="Grondslag",
        required=False,
        help_text="Kies alleen een grondslag die voor deze professional en dit doel geldt.",
    )
    ground_kind = forms.ChoiceField(
        label="Of leg een nieuwe grondslag vast",
        choices=INVITE_GROUNDS,
        widget=forms.RadioSelect,
        required=False,
    )
    given_by = forms.CharField(
        label="Wie gaf toestemming (bij toestemming)",
        max_length=120,
        required=False,
        help_text="Bijvoorbeeld ‘moeder (met gezag)’.",
    )
    consent_until = forms.DateField(
        label="Toestemming geldt tot en met (bij toestemming)",
        widget=DateInput,
        required=False,
        error_messages=DATE_ERRORS,
    )
    checks = forms.MultipleChoiceField(
        label="Afweging bij een conflict van plichten",
        choices=CONFLICT_CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasoning = forms.CharField(
        label="Onderbouwing (bij een conflict van plichten)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, grounds: list[SharingGround], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ground_field = self.fields["ground"]
        assert isinstance(ground_field, forms.ChoiceField)
        ground_field.choices = [(NEW_GROUND, "Geen, of een nieuwe (hieronder)")] + [
            (
                str(ground.pk),
                f"{ground.get_kind_display()} van {ground.recorded_at:%d-%m-%Y}: "
                f"{ground.with_whom}",
            )
            for ground in grounds
        ]
        self.grounds = {str(ground.pk): ground for ground in grounds}
        self.fields["until"].initial = timezone.localdate() + datetime.timedelta(days=180)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Er is geen professional met dit e-mailadres.")
        return user

    def chosen_ground(self) -> SharingGround | None:
        return self.grounds.get(self.cleaned_data.get("ground") or NEW_GROUND)


class FamilyMemberForm(forms.Form):
    role = forms.ChoiceField(
        label="Rol",
        choices=FamilyRole.choices,
        error_messages={"required": "Kies de rol in het gezin of netwerk."},
    )
    name = forms.CharField(
        label="Naam", max_length=200, error_messages={"required": "Vul de naam in."}
    )
    relation = forms.CharField(
        label="Relatie",
        max_length=120,
        required=False,
        help_text="Bijvoorbeeld ‘moeder’, ‘oma van vaderskant’, ‘buurvrouw’.",
    )
    date_of_birth = forms.DateField(
        label="Geboortedatum",
        widget=DateInput,
        required=False,
        error_messages=DATE_ERRORS,
    )
    phone = forms.CharField(label="Telefoon", max_length=30, required=False)

    def clean_date_of_birth(self) -> datetime.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError("Een geboortedatum ligt niet in de toekomst.")
        return born


class FamilyMemberEditForm(FamilyMemberForm):
    """A correction, with the version of the details that was read (`team.family_member_version`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**48 - 1)


class NextContactForm(forms.Form):
    next_contact = forms.DateField(
        label="Volgend contact met het gezin",
        widget=DateInput,
        required=False,
        help_text="Leeg laten als er nog geen datum is.",
        error_messages=DATE_ERRORS,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class AgreementForm(forms.Form):
    what = forms.CharField(
        label="Wat is er afgesproken?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={
            "required": "Beschrijf wat er is afgesproken.",
            "max_length": "Houd de afspraak korter dan 500 tekens.",
        },
    )
    party = forms.ChoiceField(
        label="Wie doet het?",
        choices=PartyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies wie de afspraak nakomt."},
    )
    owner = forms.ChoiceField(label="Professional (bij een professional)", required=False)
    owner_name = forms.CharField(
        label="Naam (bij het gezin of netwerk)",
        max_length=200,
        required=False,
        help_text="Bijvoorbeeld ‘moeder’ of ‘oma Gerda’.",
    )
    due_date = forms.DateField(label="Uiterlijk op", widget=DateInput, error_messages=DATE_ERRORS)
    in_safety_plan = forms.BooleanField(label="Hoort bij het veiligheidsplan", required=False)

    def __init__(self, *args: Any, team: list[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", "Kies een professional")] + [
            (
                str(member.user_id),
                f"{member.user.get_full_name() or member.user.username} ({member.organisation})",
            )
            for member in team
            if member.state == "actief"
        ]
        self.team_users = {str(member.user_id): member.user for member in team}

    def clean_due_date(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("Kies vandaag of een latere datum.")
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        party = data.get("party")
        if party == PartyKind.PROFESSIONAL and not data.get("owner"):
            self.add_error("owner", "Kies een professional uit het team.")
        if party in (PartyKind.FAMILY, PartyKind.NETWORK) and not data.get("owner_name"):
            self.add_error("owner_name", "Vul in wie uit het gezin of netwerk de afspraak nakomt.")
        return data

    def owner_user(self) -> User | None:
        return self.team_users.get(self.cleaned_data.get("owner") or "")


class AgreementChangeForm(forms.Form):
    state = forms.ChoiceField(
        label="Stand",
        choices=AgreementState.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies de stand van de afspraak."},
    )
    due_date = forms.DateField(label="Uiterlijk op", widget=DateInput, error_messages=DATE_ERRORS)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
