from __future__ import annotations

from typing import Any

from django import forms

from meldwijzer.organisations.models import Organisation, Profession
from meldwijzer.organisations.roles import API_KEY_ROLES, CLIENT_DATA_ROLES, Role

ASSIGNABLE_ROLES = [(role.value, role.label) for role in Role if role != Role.PLATFORM_ADMIN]


class UsernameField(forms.RegexField):
    """Usernames are case-insensitive: 'A.Jansen' is stored as 'a.jansen'."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).lower()


class PersonForm(forms.Form):
    """A new person's account details; the role is chosen by the form that uses it."""

    username = UsernameField(
        label="Gebruikersnaam",
        regex=r"^[a-z0-9][a-z0-9._-]*$",
        max_length=150,
        help_text="Kleine letters, cijfers, punten en streepjes, bijvoorbeeld ‘a.jansen’.",
        error_messages={
            "required": "Vul een gebruikersnaam in.",
            "invalid": "Gebruik alleen letters, cijfers, punten, - en _, en begin met een letter "
            "of cijfer.",
        },
    )
    first_name = forms.CharField(label="Voornaam", max_length=150)
    last_name = forms.CharField(label="Achternaam", max_length=150)
    email = forms.EmailField(
        label="E-mailadres",
        help_text="Hier komt de link om een wachtwoord in te stellen.",
        error_messages={"invalid": "Vul een geldig e-mailadres in."},
    )


def _profession_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Beroepsgroep",
        choices=[("", "Nog niet gekozen"), *Profession.choices],
        required=False,
        help_text="Meldwijzer stelt bij een nieuwe casus het afwegingskader van deze "
        "beroepsgroep voor.",
    )


class MemberCreateForm(PersonForm):
    role = forms.ChoiceField(label="Rol", choices=ASSIGNABLE_ROLES)
    profession = _profession_field()


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Rollen in deze organisatie",
        choices=ASSIGNABLE_ROLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Zonder rol kan deze persoon niet meer namens uw organisatie werken.",
    )
    profession = _profession_field()


class ApiKeyRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Deze rollen mogen API-sleutels maken en gebruiken",
        choices=[
            (
                role.value,
                f"{role.label} (ziet cliëntgegevens)" if role in CLIENT_DATA_ROLES else role.label,
            )
            for role in Role
            if role in API_KEY_ROLES
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Kies alleen een rol als een koppeling met een ander systeem dat echt nodig "
        "heeft. Niets aangevinkt: niemand van uw organisatie kan een API-sleutel maken of "
        "gebruiken.",
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "municipality", "works_in", "postcode", "place", "is_active"]
        widgets = {"works_in": forms.CheckboxSelectMultiple}
        error_messages = {
            "name": {"unique": "Er is al een organisatie met deze naam."},
        }

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and (len(postcode) != 4 or not postcode.isdigit() or postcode[0] == "0"):
            raise forms.ValidationError("Een postcode bestaat uit vier cijfers, bijvoorbeeld 8302.")
        return postcode
