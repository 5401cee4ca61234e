"""The form of a hold page (the pages are in the apps that own the files)."""

from __future__ import annotations

from django import forms


class HoldForm(forms.Form):
    """The reason for placing or lifting a hold, on every file's hold page."""

    reason = forms.CharField(
        label="Reden",
        max_length=300,
        help_text="Zonder namen, bijvoorbeeld ‘klachtprocedure 2026-14’ of ‘verzoek van de "
        "Inspectie’.",
        error_messages={
            "required": "Geef de reden op.",
            "max_length": "Houd de reden korter dan 300 tekens.",
        },
    )
