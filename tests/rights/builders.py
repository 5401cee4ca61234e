"""A case with a family whose people cover every recipient rule, and a confidential source."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from meldwijzer.cases import services
from meldwijzer.cases.entries import SignalForm
from meldwijzer.cases.models import Case, Person
from meldwijzer.organisations.actor import Actor
from meldwijzer.rights.services import CopyData
from tests.cases.builders import record

SOURCE = "Fatima Bouzid (buurvrouw, 06-12345678)"
SOURCE_NAME = "Fatima Bouzid"
SOURCE_PHONE = "06-12345678"
INTERPRETER = "Jan Achterbuur"


def born(years: int) -> datetime.date:
    """A date of birth for someone who turned `years` half a year ago."""
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=180)


def family_case(actor: Actor) -> Case:
    """A case about children of 7, 14 and 16, a mother with gezag, a father without, and a
    signal whose source and interpreter are confidential."""
    case = services.case_open(
        actor=actor, title="Zorgen over het gezin", profession="onderwijs", client="kind"
    )
    people: list[dict[str, Any]] = [
        {"kind": "child", "name": "Sanne Jong", "date_of_birth": born(7)},
        {"kind": "child", "name": "Tim Middel", "date_of_birth": born(14)},
        {"kind": "child", "name": "Lotte Oud", "date_of_birth": born(16)},
        {"kind": "parent", "name": "Moeder Gezag", "relation": "moeder", "authority": "ja",
         "phone": "06-11112222", "street_address": "Moederlaan 1", "place": "Emmeloord"},
        {"kind": "parent", "name": "Vader Zonder", "relation": "vader", "authority": "nee",
         "phone": "06-33334444", "street_address": "Geheimadres 9", "place": "Urk"},
    ]  # fmt: skip
    for fields in people:
        services.case_record_person(actor=actor, case=case, expected_version=case.version, **fields)
    record(actor, case, SignalForm, {
        "date": timezone.localdate().isoformat(), "category": "getuige", "source": "derde",
        "source_name": SOURCE, "source_confidential": True,
        "facts": f"Hoort 's avonds geschreeuw. {SOURCE_NAME} belde ons.",
        "interpretation": "Ruzie tussen de ouders.", "interpretation_of": "ander",
        "interpretation_by": INTERPRETER, "interpretation_by_confidential": True,
    })  # fmt: skip
    case.refresh_from_db()
    return case


def person(case: Case, name: str) -> Person:
    return case.persons.get(name=name, replaced_by__isnull=True)


def copy_data(recipient: Person, relation: str, **extra: Any) -> CopyData:
    values: dict[str, Any] = {
        "relation": relation,
        "recipient_id": recipient.pk,
        "identified": True,
        "identity_document": "paspoort",
        "reason": "Gevraagd door de ontvanger.",
        **extra,
    }
    return CopyData(**values)
