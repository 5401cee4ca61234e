"""A copy for the family never names a confidential source or interpreter (ADR 0015, 0034) — not
as the source, not in the facts, not by phone number — and holds other people's contact details
only for the recipient. Checked in the PDF's text and in the JSON."""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.rights.content import WITHHELD, _entry
from meldwijzer.rights.services import copy_give
from tests.rights.builders import INTERPRETER, SOURCE_NAME, SOURCE_PHONE, copy_data, person

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_copy_withholds_confidential_people_and_others_contact_details(actor, case):
    mother = person(case, "Moeder Gezag")
    given = copy_give(
        actor=actor,
        case=case,
        data=copy_data(mother, "ouder", child_id=person(case, "Tim Middel").pk),
    )
    text, body = pdf_text(given.pdf), given.json.decode()
    assert "Wie heeft het dossier bekeken" in text  # the text layer is there to search
    for shown in (text, body):
        for secret in (SOURCE_NAME, "Bouzid", SOURCE_PHONE, "12345678", INTERPRETER):
            assert secret not in shown
        assert WITHHELD in shown
        # The father's address and phone are his own; the mother, who receives it, sees hers.
        assert "Geheimadres" not in shown and "06-33334444" not in shown
        assert "06-11112222" in shown
    data = json.loads(body)
    assert data["schema_version"] == "1.0"
    assert data["copy"]["recipient"] == "Moeder Gezag"


def test_the_source_field_itself_is_withheld(case):
    """The first layer, before the net over all texts: the fields that hold the names."""
    signal = Entry.objects.get(case=case, kind=EntryKind.SIGNAL)
    fields = {row["label"]: row["value"] for row in _entry(signal, set())["fields"]}
    assert fields["Naam of functie van de bron"] == WITHHELD
    assert fields["Naam of functie van die ander"] == WITHHELD
