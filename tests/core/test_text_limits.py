"""Every text a person can type has a maximum length, declared on the model and checked by the
service that the pages and the API both go through. A new `TextField` without `max_length` fails
here unless it is listed below with the reason a length makes no sense for it."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.db import models

from meldwijzer.cases.entries import ENTRY_FORMS

WITHOUT_LIMIT: dict[str, str] = {
    # Generated or bounded elsewhere, never typed into a text box.
    "instruments.InstrumentDefinition.source_text": "the uploaded file, at most 256 kB "
    "(instruments/loader.MAX_SOURCE_BYTES)",
    "social_map.ServiceText.document": "search text generated from the service's fields",
    "social_map.ChangeRecord.previous_value": "a copy of a field that has its own limit",
    "social_map.ChangeRecord.replacement_value": "a copy of a field that has its own limit",
}


def _text_fields() -> list[str]:
    return [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("meldwijzer.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.max_length is None
    ]


def test_every_text_field_has_a_maximum_length():
    unlimited = set(_text_fields())
    assert unlimited - set(WITHOUT_LIMIT) == set(), "give these a max_length (and check it)"
    assert set(WITHOUT_LIMIT) - unlimited == set(), "remove these from WITHOUT_LIMIT"


def test_every_text_in_a_dossier_entry_has_a_maximum_length():
    """Entries keep their fields as JSON; the entry's form (the pages and the API alike, through
    `cases.entries.entry_data_clean`) is where each text gets its limit."""
    unlimited = [
        f"{kind}.{name}"
        for kind, form in ENTRY_FORMS.items()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unlimited == []
