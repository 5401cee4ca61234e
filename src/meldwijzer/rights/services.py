"""Giving the client a copy of their file, and recording the client's own statement.

Both take a case that `cases.selectors.case_get` allowed (the responsible professional, or the
aandachtsfunctionaris while the case is open) and plain data, check it themselves — refusals
are Dutch messages per field (`RightsInputError`) and change nothing — and write in one
transaction with the access-log rows.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases.models import Case, Person
from meldwijzer.cases.selectors import current_persons
from meldwijzer.coordination import events as coordination_events
from meldwijzer.followups import events as followup_events
from meldwijzer.organisations.actor import Actor
from meldwijzer.rights import eligibility, events, selectors
from meldwijzer.rights.content import CopyRequest, copy_build
from meldwijzer.rights.files import copy_json, copy_pdf, sha256
from meldwijzer.rights.models import ClientStatement, CopyGiven, IdentityDocument, Relation

REASON_MAX = 2000
STATEMENT_MAX = 10000
CONSENT_MAX = 1000
COPY_PART = "afschrift"


class RightsInputError(Exception):
    """Input that fails its checks; `errors` holds the Dutch message(s) per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("Het formulier bevat fouten.")


@dataclass(frozen=True)
class CopyData:
    """What the professional fills in when giving a copy."""

    relation: str
    recipient_id: int | None
    identified: bool
    identity_document: str
    reason: str
    child_id: int | None = None
    child_consent: bool = False
    child_consent_reason: str = ""
    safety_weighed: str = ""


@dataclass(frozen=True)
class GivenCopy:
    """A copy just given: its record, and both files to hand over (never stored)."""

    record: CopyGiven
    pdf: bytes
    json: bytes
    content: dict[str, Any]


@dataclass(frozen=True)
class StatementData:
    person_id: int | None
    given_on: datetime.date | None
    text: str


def _person(case: Case, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    return current_persons(case).filter(pk=person_id).first()


def _copy_refusals(
    case: Case, data: CopyData, recipient: Person | None, child: Person | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.relation not in Relation.values:
        errors["relation"] = ["Kies wie het afschrift krijgt: de cliënt, een ouder of het kind."]
    if data.identity_document not in IdentityDocument.values:
        errors["identity_document"] = ["Kies welk identiteitsbewijs u hebt gecontroleerd."]
    if not data.reason.strip():
        errors["reason"] = ["Schrijf op waarom of op wiens verzoek u het afschrift geeft."]
    elif len(data.reason) > REASON_MAX:
        errors["reason"] = [f"Gebruik ten hoogste {REASON_MAX} tekens."]
    if selectors.safety_reasons(case):
        if not data.safety_weighed.strip():
            errors["safety_weighed"] = [
                "Dit dossier legt vast dat het gezin niet is ingelicht, voor iemands veiligheid. "
                "Schrijf op waarom dit afschrift niemand in gevaar brengt, of geef het (nog) niet."
            ]
        elif len(data.safety_weighed) > REASON_MAX:
            errors["safety_weighed"] = [f"Gebruik ten hoogste {REASON_MAX} tekens."]
    if len(data.child_consent_reason) > CONSENT_MAX:
        errors["child_consent_reason"] = [f"Gebruik ten hoogste {CONSENT_MAX} tekens."]
    if data.child_id is not None and child is None:
        errors["child"] = ["Kies het kind uit de betrokkenen van de casus."]
    if data.relation in Relation.values:
        request = eligibility.Request(
            case=case,
            relation=data.relation,
            recipient=recipient,
            child=child,
            child_consent=data.child_consent,
            child_consent_reason=data.child_consent_reason,
            identified=data.identified,
        )
        for name, message in eligibility.recipient_refusals(request, timezone.localdate()).items():
            errors.setdefault(name, []).append(message)
    elif not data.identified:
        errors["identified"] = ["Controleer eerst een identiteitsbewijs van de ontvanger."]
    return errors


def copy_give(*, actor: Actor, case: Case, data: CopyData) -> GivenCopy:
    """Give a copy of the file to a person of the case who may receive it: both files are made
    now, their SHA-256 recorded with who got it, and the export logged with the client (and the
    coordination file and follow-up plan it holds, each in its own chain)."""
    recipient = _person(case, data.recipient_id)
    child = _person(case, data.child_id)
    errors = _copy_refusals(case, data, recipient, child)
    if errors:
        raise RightsInputError(errors)
    if recipient is None:  # refused above already; for the type checker
        raise RightsInputError({"recipient": ["Kies aan wie u het afschrift geeft."]})
    reference = f"AF-{secrets.token_hex(6).upper()}"
    given_at = timezone.now()
    content = copy_build(
        CopyRequest(
            actor=actor,
            case=case,
            recipient=recipient,
            relation=data.relation,
            reference=reference,
            given_at=given_at,
            reason=data.reason.strip(),
        )
    )
    json_file = copy_json(content.data)
    pdf_file = copy_pdf(content.data)
    consent = data.child_consent_reason.strip() if data.relation == Relation.PARENT else ""
    with transaction.atomic():
        record = CopyGiven.objects.create(
            case=case,
            reference=reference,
            recipient=recipient,
            relation=data.relation,
            child=child if data.relation == Relation.PARENT else None,
            child_consent=consent if data.child_consent else "",
            identified=True,
            identity_document=data.identity_document,
            safety_weighed=data.safety_weighed.strip(),
            reason=data.reason.strip(),
            given_by=actor.user,
            organisation=actor.organisation,
            given_at=given_at,
            sha256_pdf=sha256(pdf_file),
            sha256_json=sha256(json_file),
        )
        events.copy_given(actor=actor, case=case, copy=record)
        for file_access in content.files:
            coordination_events.file_event(
                actor=actor,
                file=file_access.file,
                action=Action.EXPORT,
                part=COPY_PART,
                access=file_access,
            )
        for plan_access in content.plans:
            followup_events.plan_event(
                actor=actor,
                plan=plan_access.plan,
                action=Action.EXPORT,
                part=COPY_PART,
                access=plan_access,
            )
    return GivenCopy(record=record, pdf=pdf_file, json=json_file, content=content.data)


def statement_add(*, actor: Actor, case: Case, data: StatementData) -> ClientStatement:
    """Add the statement the client (or a parent, or the child) gave about their file. It is
    never changed or deleted; a newer statement may follow."""
    errors: dict[str, list[str]] = {}
    person = _person(case, data.person_id)
    if person is None:
        errors["person"] = ["Kies wie de verklaring gaf, uit de betrokkenen van de casus."]
    today = timezone.localdate()
    if data.given_on is None:
        errors["given_on"] = ["Geef de datum waarop de verklaring is gegeven."]
    elif data.given_on > today:
        errors["given_on"] = ["De datum kan niet in de toekomst liggen."]
    elif data.given_on < timezone.localdate(case.opened_at):
        errors["given_on"] = ["De datum kan niet vóór het openen van de casus liggen."]
    text = data.text.strip()
    if not text:
        errors["text"] = ["Schrijf de verklaring op zoals de cliënt die gaf."]
    elif len(text) > STATEMENT_MAX:
        errors["text"] = [f"Gebruik ten hoogste {STATEMENT_MAX} tekens."]
    if errors:
        raise RightsInputError(errors)
    if person is None or data.given_on is None:  # refused above already
        raise RightsInputError(errors)
    with transaction.atomic():
        statement = ClientStatement.objects.create(
            case=case,
            given_by=person,
            given_on=data.given_on,
            text=text,
            recorded_by=actor.user,
            organisation=actor.organisation,
            recorded_at=timezone.now(),
        )
        events.statement_recorded(actor=actor, case=case, statement=statement)
    return statement
