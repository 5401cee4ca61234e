"""The datalab's forms: a new delivery of a source's shared file."""

from __future__ import annotations

from typing import Any

from django import forms

from meldwijzer.datalab.imports import FORMATS, MAX_BYTES, file_format_of
from meldwijzer.datalab.models import SourceKind


class ImportForm(forms.Form):
    source = forms.CharField(
        label="Bron",
        max_length=200,
        help_text="De partner die het bestand levert. Kies een bestaande bron of typ een nieuwe "
        "naam.",
        error_messages={"required": "Vul de naam van de bron in."},
    )
    kind = forms.ChoiceField(
        label="Soort bron",
        choices=SourceKind.choices,
        initial=SourceKind.PARTNER,
        widget=forms.RadioSelect,
        help_text="Alleen nodig bij een nieuwe bron; een bestaande bron houdt haar soort.",
        error_messages={"required": "Kies de soort bron.", "invalid_choice": "Kies de soort bron."},
    )
    file = forms.FileField(
        label="Bestand",
        help_text="Het gedeelde bestand met pseudoniemen (CSV in UTF-8, met komma's of "
        f"puntkomma's, of Excel .xlsx), hoogstens {MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, sources: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.attrs["list"] = "bestaande-bronnen"
        self.fields["source"].widget.attrs["autocomplete"] = "off"
        self.sources = sources or []

    def clean_source(self) -> str:
        return " ".join(self.cleaned_data["source"].split())

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if file_format_of(uploaded.name) not in FORMATS:
            raise forms.ValidationError("Kies een CSV- of Excelbestand (.csv of .xlsx).")
        if uploaded.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB. Laat het inlezen met "
                "‘meldwijzer datalab import’."
            )
        return uploaded
