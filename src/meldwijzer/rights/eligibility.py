"""Who may receive a copy of a client's file, as one table of rules.

The copy goes to the person the file is about, or for a child to whoever the law lets act for
them (WGBO art. 7:465 and 7:457; AVG art. 8 and 15):

| The file is about | Recipient           | Allowed when                                             |
|-------------------|---------------------|----------------------------------------------------------|
| an adult          | the client          | the person is the case's client                          |
|                   | anyone else         | never: not a child or parent in the household either     |
| a child under 12  | a parent with gezag | always (the child gets none itself)                      |
| a child of 12–15  | the child           | always                                                   |
|                   | a parent with gezag | always                                                   |
| a child of 16–17  | the child           | always                                                   |
|                   | a parent with gezag | only with the child's consent, recorded with its reason |
| (18 and older)    | the child           | as an adult: the child itself only                       |

Whoever the recipient, a dossier that records that the family was not told — the conversation
skipped, or the report made without telling the client or the parents first, both allowed only
for someone's safety or the contact with the child — needs the professional's written weighing
that this copy puts no one in danger (`safety_reasons`; WGBO art. 7:457 lid 1 and Jeugdwet art.
7.3.10 let a copy be withheld for that), or no copy is given.

A parent is someone recorded in the case as parent or carer with gezag (`Authority.YES`). A
child's age comes from the date of birth, or when that is unknown the age recorded plus the
years since it was recorded; without either, no copy about the child can be given until the professional records it. Every refusal
is a Dutch message for the field it is about; `recipient_refusals` is pure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.cases.models import (
    Authority,
    Case,
    ClientKind,
    Entry,
    EntryKind,
    Person,
    PersonKind,
)
from meldwijzer.rights.models import Relation

OWN_COPY_FROM = 12
"""From this age a child gets a copy itself (WGBO art. 7:457 with 7:465 lid 2)."""
ALONE_FROM = 16
"""From this age the child alone decides; parents only with the child's consent."""
ADULT_FROM = 18

PARENT_KINDS = (PersonKind.PARENT, PersonKind.CARER)


def _years(since: datetime.date, today: datetime.date) -> int:
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def person_age(person: Person, today: datetime.date) -> int | None:
    """The age from the date of birth; without one, the age recorded plus the years since this
    version of the person was recorded (at least their age now: a 15-year-old recorded two years
    ago is 17, and a parent needs their consent)."""
    if person.date_of_birth is not None:
        return _years(person.date_of_birth, today)
    if person.age is None:
        return None
    return person.age + max(0, _years(timezone.localdate(person.created_at), today))


@dataclass(frozen=True)
class Request:
    """What the professional filled in: the recipient, their relation, the child a parent's copy
    is about, the child's consent when the child is 16 or 17, and the identity check."""

    case: Case
    relation: str
    recipient: Person | None
    child: Person | None
    child_consent: bool
    child_consent_reason: str
    identified: bool


def recipient_refusals(request: Request, today: datetime.date) -> dict[str, str]:
    """Why this copy may not be given, per field; empty when it may."""
    errors: dict[str, str] = {}
    if not request.identified:
        errors["identified"] = (
            "Controleer eerst een identiteitsbewijs van de ontvanger. Zonder controle geeft u "
            "geen afschrift."
        )
    recipient = request.recipient
    if recipient is None:
        errors["recipient"] = "Kies aan wie u het afschrift geeft, uit de betrokkenen van de casus."
        return errors
    if request.relation in (Relation.CHILD, Relation.PARENT) and (
        request.case.client == ClientKind.ADULT
    ):
        # The file is about the adult: a child or parent in the household is someone else.
        errors["relation"] = (
            "Deze casus gaat over een volwassene. Alleen de cliënt zelf krijgt een afschrift, "
            "geen kind of ouder uit het gezin."
        )
    elif request.relation == Relation.CLIENT:
        errors.update(_client(request.case, recipient))
    elif request.relation == Relation.CHILD:
        errors.update(_child(recipient, today))
    elif request.relation == Relation.PARENT:
        errors.update(_parent(request, recipient, today))
    else:
        errors["relation"] = "Kies wie het afschrift krijgt: de cliënt, een ouder of het kind."
    return errors


def _client(case: Case, recipient: Person) -> dict[str, str]:
    if case.client != ClientKind.ADULT:
        return {
            "relation": "Deze casus gaat over een kind. Kies het kind zelf (vanaf 12 jaar) of een "
            "ouder met gezag."
        }
    if recipient.kind != PersonKind.CLIENT:
        return {"recipient": "Kies de cliënt zelf: deze betrokkene is niet de cliënt."}
    return {}


def _child(recipient: Person, today: datetime.date) -> dict[str, str]:
    if recipient.kind != PersonKind.CHILD:
        return {"recipient": "Deze betrokkene is niet als kind vastgelegd."}
    age = person_age(recipient, today)
    if age is None:
        return {
            "recipient": "Van dit kind is geen geboortedatum of leeftijd bekend. Leg die eerst "
            "vast bij de betrokkenen."
        }
    if age < OWN_COPY_FROM:
        return {
            "recipient": "Een kind jonger dan 12 jaar krijgt zelf geen afschrift. De ouders met "
            "gezag kunnen het afschrift krijgen."
        }
    return {}


def _parent(request: Request, recipient: Person, today: datetime.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if recipient.kind not in PARENT_KINDS or recipient.authority != Authority.YES:
        errors["recipient"] = (
            "Alleen een ouder met gezag krijgt een afschrift over het kind. Bij deze betrokkene "
            "staat geen gezag vastgelegd."
        )
    child = request.child
    if child is None or child.kind != PersonKind.CHILD:
        errors["child"] = "Kies over welk kind het afschrift gaat."
        return errors
    age = person_age(child, today)
    if age is None:
        errors["child"] = (
            "Van dit kind is geen geboortedatum of leeftijd bekend. Leg die eerst vast bij de "
            "betrokkenen."
        )
    elif age >= ADULT_FROM:
        errors["child"] = (
            "Dit kind is 18 jaar of ouder en beslist zelf. Geef het afschrift aan het kind zelf."
        )
    elif age >= ALONE_FROM:
        if not request.child_consent:
            errors["child_consent"] = (
                "Het kind is 16 jaar of ouder. Een ouder krijgt alleen een afschrift als het "
                "kind daar toestemming voor geeft."
            )
        elif not request.child_consent_reason.strip():
            errors["child_consent_reason"] = (
                "Schrijf op hoe het kind toestemming gaf en waarom de ouder het afschrift krijgt."
            )
    return errors


def safety_reasons(entries: list[Entry]) -> list[str]:
    """Why giving this dossier away may endanger someone: each current entry that records the
    family was not told, in words for the professional. Empty when there is none."""
    reasons: list[str] = []
    for entry in entries:
        if entry.kind == EntryKind.CONVERSATION_SKIPPED:
            reasons.append(
                f"Het gesprek met de cliënt of de ouders is overgeslagen "
                f"({entry.created_at:%d-%m-%Y})."
            )
        elif entry.kind == EntryKind.REPORT and entry.data.get("informed") == "nee":
            reasons.append(
                f"De melding bij Veilig Thuis is gedaan zonder het de cliënt of de ouders vooraf "
                f"te vertellen ({entry.created_at:%d-%m-%Y})."
            )
    return reasons
