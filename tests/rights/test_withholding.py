"""A copy for the family never names a confidential source or interpreter (ADR 0015, 0034) — not
as the source, not in the facts, not by phone number — and holds other people's contact details
only for the recipient. Checked in the PDF's text and in the JSON."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from django.utils import timezone

from meldwijzer.cases.entries import SignalForm
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.rights.content import WITHHELD, _entry
from meldwijzer.rights.services import copy_give
from tests.cases.builders import record
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


def test_a_correction_that_marks_the_source_confidential_withholds_the_earlier_name(actor, case):
    """The first version named the source in clear; its correction marks the source confidential
    under another description. The corrected version stays in the copy, without the name."""
    today = timezone.localdate().isoformat()
    signal = {"date": today, "category": "getuige", "source": "derde", "facts": "Hoort gegil."}
    first = record(actor, case, SignalForm, {**signal, "source_name": "Karin Verklikker"})
    case.refresh_from_db()
    record(actor, case, SignalForm, {
        **signal, "source_name": "een buurvrouw", "source_confidential": True,
    }, corrects=first)  # fmt: skip
    case.refresh_from_db()
    mother, child = person(case, "Moeder Gezag"), person(case, "Tim Middel")
    given = copy_give(actor=actor, case=case, data=copy_data(mother, "ouder", child_id=child.pk))
    for shown in (pdf_text(given.pdf), given.json.decode()):
        assert "Verklikker" not in shown
    assert len([e for e in given.content["entries"] if e["corrected"]]) == 1
