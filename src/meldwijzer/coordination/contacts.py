"""Contact notes: safety in every contact.

Every professional in the team who sees the family writes a short note of the contact in the
file, and cannot save it without answering the safety question: is the safety plan kept
(`PlanKept`), are there new worries, and is it safe enough now (`SafetyAnswer`)? The form, this
service and the API all refuse a note without the answers; the database's check constraint is
the backstop.

A note that says *niet veilig* alerts the casusregisseur — on 'Mijn regiedossiers' and by e-mail
(with the file's reference only, never content) — until they acknowledge it with what they did
(`UnsafeAcknowledgement`). The author is offered to weigh again in their own organisation's
meldcode dossier for this family, when there is one (`reweigh_case`); another organisation's
dossier is never named.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases.models import Case
from meldwijzer.coordination import events, selectors
from meldwijzer.coordination.models import (
    ContactNote,
    CoordinationFile,
    FileParts,
    FileState,
    IncomingReport,
    PlanKept,
    SafetyAnswer,
    UnsafeAcknowledgement,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import CoordinationError, file_touch
from meldwijzer.organisations.actor import Actor

logger = logging.getLogger(__name__)

ALERT_SUBJECT = "Niet veilig gemeld in een regiedossier"

_muted: ContextVar[bool] = ContextVar("unsafe_alert_muted", default=False)


@contextmanager
def alerts_muted() -> Iterator[None]:
    """Record notes without e-mailing anyone (the demo's made-up contacts)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


class ContactInputError(CoordinationError):
    """The note as sent is not complete: nothing was saved. `errors` per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("De contactnotitie is niet opgeslagen: verbeter de gemarkeerde velden.")
        self.errors = errors


@dataclass(frozen=True)
class ContactData:
    contact_date: datetime.date | None
    with_whom: str
    summary: str
    plan_kept: str
    """Is the safety plan kept? One of `PlanKept`; no default: it must be answered."""
    safety: str
    """Is it safe enough now? One of `SafetyAnswer`; no default: it must be answered."""
    new_worries: str = ""


def _validate(data: ContactData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if data.contact_date is None:
        errors["contact_date"] = ["Vul de datum van het contact in."]
    elif data.contact_date > today:
        errors["contact_date"] = ["Een contact in de toekomst kunt u nog niet vastleggen."]
    elif data.contact_date < today - datetime.timedelta(days=365):
        errors["contact_date"] = ["Kies een datum in het afgelopen jaar."]
    if not data.with_whom.strip():
        errors["with_whom"] = ["Vul in met wie u contact had."]
    elif len(data.with_whom.strip()) > 200:
        errors["with_whom"] = ["Houd dit korter dan 200 tekens."]
    if not data.summary.strip():
        errors["summary"] = ["Beschrijf kort wat er is besproken."]
    elif len(data.summary) > 5000:
        errors["summary"] = ["Houd dit korter dan 5000 tekens."]
    if data.plan_kept not in PlanKept.values:
        errors["plan_kept"] = [
            "Beantwoord de veiligheidsvraag: wordt het veiligheidsplan nagekomen?"
        ]
    if data.safety not in SafetyAnswer.values:
        errors["safety"] = ["Beantwoord de veiligheidsvraag: is het nu veilig genoeg?"]
    if len(data.new_worries) > 5000:
        errors["new_worries"] = ["Houd dit korter dan 5000 tekens."]
    return errors


@transaction.atomic
def contact_note_create(*, actor: Actor, access: FileAccess, data: ContactData) -> ContactNote:
    """Record a contact with the family, with the safety question answered. 'Niet veilig'
    alerts the casusregisseur by e-mail once the note is committed."""
    if not access.may_write or not access.sees(FileParts.CONTACTS):
        raise CoordinationError("Alleen het team van een lopend regiedossier legt contacten vast.")
    errors = _validate(data)
    if errors:
        raise ContactInputError(errors)
    assert data.contact_date is not None
    file = access.file
    note = ContactNote.objects.create(
        file=file,
        contact_date=data.contact_date,
        with_whom=data.with_whom.strip(),
        summary=data.summary.strip(),
        plan_kept=data.plan_kept,
        new_worries=data.new_worries.strip(),
        safety=data.safety,
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now(),
    )
    file_touch(file)
    events.file_event(
        actor=actor, file=file, action=Action.CREATE, part=FileParts.CONTACTS, access=access
    )
    alert = note.safety == SafetyAnswer.UNSAFE and file.coordinator_id != actor.user.pk
    if alert and not _muted.get():
        transaction.on_commit(partial(_alert_send, file_id=file.pk), robust=True)
    return note


def _alert_send(*, file_id: int) -> None:
    """E-mail the casusregisseur that a contact note says 'niet veilig': the reference and a link,
    no content, because e-mail leaves the protected environment."""
    file = CoordinationFile.objects.select_related("coordinator").get(pk=file_id)
    address = file.coordinator.email
    if not address:
        return
    body = render_to_string(
        "coordination/plan/email/unsafe.txt",
        {
            "reference": file.reference,
            "link": settings.BASE_URL.rstrip("/")
            + reverse("coordination:contacts", kwargs={"file_id": file.pk}),
        },
    )
    try:
        with get_connection() as connection:
            connection.send_messages([EmailMessage(subject=ALERT_SUBJECT, body=body, to=[address])])
    except OSError:
        logger.exception(
            "E-mail over 'niet veilig' in regiedossier %s niet verstuurd; de melding staat wel "
            "in Meldwijzer.",
            file.reference,
        )


@transaction.atomic
def unsafe_acknowledge(
    *, actor: Actor, access: FileAccess, note_id: int, action: str
) -> UnsafeAcknowledgement:
    """The casusregisseur saw a 'niet veilig' note and says what they did about it."""
    if not access.is_coordinator or not access.sees(FileParts.CONTACTS):
        raise CoordinationError("Alleen de casusregisseur bevestigt een melding ‘niet veilig’.")
    note = ContactNote.objects.filter(file=access.file, pk=note_id).first()
    if note is None or note.safety != SafetyAnswer.UNSAFE:
        raise CoordinationError("Deze contactnotitie meldt niet ‘niet veilig’.")
    action = action.strip()
    if not action:
        raise ContactInputError({"action": ["Beschrijf wat u hebt gedaan."]})
    if len(action) > 500:
        raise ContactInputError({"action": ["Houd dit korter dan 500 tekens."]})
    try:
        with transaction.atomic():
            acknowledgement = UnsafeAcknowledgement.objects.create(
                note=note, by=actor.user, action=action, created_at=timezone.now()
            )
    except IntegrityError as error:
        raise CoordinationError("Deze melding is al bevestigd.") from error
    file_touch(access.file)
    events.file_event(
        actor=actor,
        file=access.file,
        action=Action.UPDATE,
        part=FileParts.CONTACTS,
        access=access,
    )
    return acknowledgement


# --- Reading ----------------------------------------------------------------------------------------


def contact_notes(access: FileAccess) -> list[ContactNote]:
    """The file's contact notes, newest contact first, with author, organisation and any
    acknowledgement (one query)."""
    if not access.sees(FileParts.CONTACTS):
        raise CoordinationError("U kunt de contactnotities van dit regiedossier niet inzien.")
    return list(
        ContactNote.objects.filter(file=access.file)
        .select_related("author", "organisation", "acknowledged", "acknowledged__by")
        .order_by("-contact_date", "-pk")
    )


def unsafe_open_for_file(file: CoordinationFile) -> int:
    """How many 'niet veilig' notes in the file still wait for the casusregisseur."""
    return ContactNote.objects.filter(
        file=file, safety=SafetyAnswer.UNSAFE, acknowledged__isnull=True
    ).count()


def unsafe_open(actor: Actor) -> list[ContactNote]:
    """'Niet veilig' notes waiting for the actor as casusregisseur, oldest first (one query)."""
    return list(
        ContactNote.objects.filter(
            file__coordinator=actor.user,
            file__lead_organisation=actor.organisation,
            file__state=FileState.OPEN,
            safety=SafetyAnswer.UNSAFE,
            acknowledged__isnull=True,
        )
        .select_related("file", "author", "organisation")
        .order_by("created_at", "pk")
    )


def reweigh_case(actor: Actor, file: CoordinationFile) -> Case | None:
    """The meldcode dossier of the actor's own organisation for this family, to weigh again
    after 'niet veilig': the dossier a report to this file came from, when the actor's
    organisation made it. Never another organisation's dossier."""
    report = (
        IncomingReport.objects.filter(
            file=file,
            from_organisation=actor.organisation,
            case__organisation=actor.organisation,
        )
        .select_related("case")
        .order_by("-sent_at", "-pk")
        .first()
    )
    if (
        report is None
        or report.case is None
        or report.case.organisation_id != actor.organisation.pk
    ):
        return None
    return report.case


def unsafe_files_for_case(actor: Actor, case: Case) -> list[CoordinationFile]:
    """The open files that a report from this dossier (of the actor's organisation) went into,
    whose contacts the actor sees, with a 'niet veilig' note still waiting: the dossier's page
    points the professional there, to weigh again. Nothing for a file whose contacts the actor
    does not see. Most dossiers sent no report into a file: for them this is one small query."""
    if case.organisation_id != actor.organisation.pk:
        return []
    reported_into = list(
        IncomingReport.objects.filter(
            case=case, from_organisation=actor.organisation, file__isnull=False
        ).values_list("file_id", flat=True)
    )
    if not reported_into:
        return []
    files = CoordinationFile.objects.filter(
        pk__in=reported_into,
        state=FileState.OPEN,
        contacts__safety=SafetyAnswer.UNSAFE,
        contacts__acknowledged__isnull=True,
    ).distinct()
    return [
        file for file in files if selectors.file_access_for(actor, file).sees(FileParts.CONTACTS)
    ]
