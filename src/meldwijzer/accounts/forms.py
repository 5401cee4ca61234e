from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Deze combinatie van gebruikersnaam en wachtwoord is onjuist.",
        "inactive": "Dit account is uitgeschakeld.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "Gebruikersnaam"
        self.fields["password"].label = "Wachtwoord"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})


def code_field() -> forms.CharField:
    """The six digits from the authenticator app."""
    return forms.CharField(
        label="Code uit uw authenticator-app",
        min_length=6,
        max_length=6,
        help_text="Zes cijfers. De code verandert elke 30 seconden.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": "Vul de code in.",
            "min_length": "De code bestaat uit zes cijfers.",
            "max_length": "De code bestaat uit zes cijfers.",
        },
    )


class CodeCleaning(forms.Form):
    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("De code bestaat uit zes cijfers.")
        return token


class TokenForm(CodeCleaning):
    token = code_field()


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Activeringscode",
        max_length=40,
        help_text="De code van twaalf tekens die u van uw functioneel beheerder kreeg, "
        "bijvoorbeeld 7KQ2-M9XD-4RTA.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "Vul de activeringscode in."},
    )


class ApiTokenForm(CodeCleaning):
    """A new API key. With `needs_code` it asks for the code from the authenticator again."""

    name = forms.CharField(
        label="Waarvoor gebruikt u deze sleutel?",
        max_length=100,
        error_messages={"required": "Geef de sleutel een omschrijving."},
    )

    def __init__(self, *args: Any, needs_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_code:
            self.fields["token"] = code_field()
