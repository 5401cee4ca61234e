"""Zorgen delen: a worry described without identifying data, its answer, and what it became.

A professional who is unsure whether what they see is reason for worry shares it — without a
name, a date of birth, an address or a BSN — with the aandachtsfunctionaris of their
organisation or with the regional consultation line: the Veilig Thuis organisation that works
in the municipality of the professional's organisation, whose case workers answer. The answer
comes back in Meldwijzer (a `WorryMessage`; the asker gets an e-mail without content); the
asker can ask again, close the worry, or start a meldcode case from it ("dit wordt een casus").

Who sees a worry (`worry_get`): the professional who asked it (acting for the same
organisation); the aandachtsfunctionaris (case oversight) of that organisation when it was
addressed to them; the case workers of the line organisation when it was addressed to the line.
Anyone else gets 'not found', logged. Every text — the worry and every message — is checked
with `identifiers.identifiers_find`; a text with findings is refused per field and nothing
changes.

The datalab counts the worries per quarter (`worries_per_quarter`) and protects the counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.paginator import Page
from django.db import IntegrityError, transaction
from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear, Length
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import Action, Subject
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, ClientKind, EntryKind
from meldwijzer.cases.notifications import officer_addresses
from meldwijzer.cases.services import CaseError
from meldwijzer.core.paging import page_of
from meldwijzer.organisations.models import Membership, Organisation, Profession, Sector
from meldwijzer.organisations.roles import ROLE_PERMISSIONS, Permission
from meldwijzer.organisations.selectors import actor_profession
from meldwijzer.trainings.events import trainings_event, trainings_refused
from meldwijzer.trainings.identifiers import identifiers_find
from meldwijzer.trainings.models import Worry, WorryMessage, WorryRecipient, WorryState

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.organisations.models import Municipality

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "ZD"
QUESTION_MAX = 3000
MESSAGE_MAX = 5000

TARGET_GROUPS: list[tuple[str, str]] = [
    ("kind", "Een kind of jongere"),
    ("ouder", "Een ouder of verzorger"),
    ("volwassene", "Een andere volwassene"),
    ("oudere", "Een oudere (ouderenmishandeling)"),
    ("uitbuiting", "Uitbuiting of mensenhandel"),
    ("eergerelateerd", "Eergerelateerd geweld"),
    ("kopp", "Kind van ouders met psychische problemen of verslaving"),
    ("arbeidsmigrant", "Arbeidsmigranten"),
    ("statushouder", "Statushouders"),
]
"""For whom the worry is, optional: it helps the answerer and the figures, never a person."""

ANSWERED_SUBJECT = "Er is een antwoord op uw gedeelde zorg in Meldwijzer"
NEW_SUBJECT = "Een nieuwe gedeelde zorg in Meldwijzer"


class WorryError(Exception):
    """A change that is not possible; the message is shown to the professional."""


class WorryInputError(WorryError):
    """Input that fails its checks: the Dutch messages per field. Nothing was changed."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


_muted: ContextVar[bool] = ContextVar("worry_mail_muted", default=False)


@contextmanager
def mail_muted() -> Iterator[None]:
    """Share and answer worries without e-mailing anyone (the demo's made-up worries)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# --- who answers -------------------------------------------------------------------------------


def line_for(organisation: Organisation) -> Organisation | None:
    """The regional consultation line for a professional of `organisation`: the active Veilig
    Thuis organisation that works in the municipality where `organisation` is seated."""
    return (
        Organisation.objects.filter(
            Q(works_in=organisation.municipality_id) | Q(municipality=organisation.municipality_id),
            sector=Sector.VEILIG_THUIS,
            is_active=True,
        )
        .order_by("name")
        .distinct()
        .first()
    )


def _roles_with(permission: Permission) -> list[str]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


def has_officer(organisation: Organisation) -> bool:
    """Whether someone in `organisation` can answer as its aandachtsfunctionaris."""
    return Membership.objects.filter(
        organisation=organisation,
        role__in=_roles_with(Permission.CASE_OVERSEE),
        is_active=True,
        user__is_active=True,
    ).exists()


@dataclass(frozen=True)
class WorryAccess:
    """A worry as the actor may see it, and what they may do with it."""

    worry: Worry
    is_asker: bool
    is_answerer: bool

    @property
    def is_open(self) -> bool:
        return self.worry.state != WorryState.CLOSED

    @property
    def may_answer(self) -> bool:
        return self.is_answerer and self.is_open

    @property
    def may_reply(self) -> bool:
        return self.is_asker and self.is_open

    @property
    def may_close(self) -> bool:
        return self.is_asker and self.is_open

    @property
    def may_make_case(self) -> bool:
        return self.is_asker and self.worry.case_id is None


def _answers(actor: Actor, worry: Worry) -> bool:
    if worry.recipient == WorryRecipient.OFFICER:
        return worry.organisation_id == actor.organisation.pk and actor.can(Permission.CASE_OVERSEE)
    return worry.line_organisation_id == actor.organisation.pk and actor.can(Permission.CASE_WORK)


def _asks(actor: Actor, worry: Worry) -> bool:
    return worry.asked_by_id == actor.user.pk and worry.organisation_id == actor.organisation.pk


# --- reads -------------------------------------------------------------------------------------


def _worries() -> QuerySet[Worry]:
    return Worry.objects.select_related("organisation", "asked_by", "line_organisation", "case")


def worry_get(
    *, actor: Actor, worry_id: int, part: str = "zorg", action: Action = Action.READ
) -> WorryAccess:
    """One worry for the actor, its read logged; out of reach or missing is 'not found', logged."""
    worry = _worries().filter(pk=worry_id).first()
    if worry is None:
        trainings_refused(
            actor=actor, subject=Subject.WORRY, subject_id=str(worry_id), action=action
        )
    is_asker, is_answerer = _asks(actor, worry), _answers(actor, worry)
    if not (is_asker or is_answerer):
        trainings_refused(
            actor=actor, subject=Subject.WORRY, subject_id=str(worry_id), action=action
        )
    if action == Action.READ:
        trainings_event(
            actor=actor,
            action=Action.READ,
            subject=Subject.WORRY,
            subject_id=str(worry.pk),
            part=part,
        )
    return WorryAccess(worry=worry, is_asker=is_asker, is_answerer=is_answerer)


def worry_messages(worry: Worry) -> list[WorryMessage]:
    return list(worry.messages.select_related("author"))


def _listed(worries: QuerySet[Worry]) -> QuerySet[Worry]:
    """Open first, then answered, then closed; newest first within each; with the number of
    messages, in one query."""
    order = CaseWhen(
        When(state=WorryState.OPEN, then=Value(0)),
        When(state=WorryState.ANSWERED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return worries.annotate(state_order=order, message_count=Count("messages")).order_by(
        "state_order", "-created_at", "-id"
    )


def worries_mine_queryset(*, actor: Actor) -> QuerySet[Worry]:
    """The worries the actor shared for the organisation they act for, open first (not logged:
    show them through `worries_shown`)."""
    return _listed(_worries().filter(asked_by=actor.user, organisation=actor.organisation))


def _inbox_filter(actor: Actor) -> Q | None:
    reach = Q()
    if actor.can(Permission.CASE_OVERSEE):
        reach |= Q(recipient=WorryRecipient.OFFICER, organisation=actor.organisation)
    if actor.can(Permission.CASE_WORK):
        reach |= Q(recipient=WorryRecipient.LINE, line_organisation=actor.organisation)
    return reach or None


def worries_inbox_queryset(*, actor: Actor) -> QuerySet[Worry]:
    """The worries the actor answers: their organisation's, addressed to its
    aandachtsfunctionaris (with case oversight), and those addressed to the line when the actor
    works on cases at the line organisation. Open first (not logged: see `worries_shown`)."""
    reach = _inbox_filter(actor)
    return _listed(_worries().filter(reach)) if reach is not None else Worry.objects.none()


MINE = "mijn"
INBOX = "voor mij"


def worries_shown(*, actor: Actor, worries: Iterable[Worry], part: str) -> list[Worry]:
    """The worries a list shows, logged as one read of the list (`MINE` or `INBOX`)."""
    shown = list(worries)
    trainings_event(actor=actor, action=Action.READ, subject=Subject.WORRIES, part=part)
    return shown


WORRY_PAGE_SIZE = 50


def worries_page(*, actor: Actor, inbox: bool, page: str | int | None = None) -> Page[Worry]:
    """One page (50) of the actor's shared worries or of those for them, counted in the
    database, logged."""
    rows = worries_inbox_queryset(actor=actor) if inbox else worries_mine_queryset(actor=actor)
    found = page_of(rows, page, WORRY_PAGE_SIZE)
    worries_shown(actor=actor, worries=found.object_list, part=INBOX if inbox else MINE)
    return found


def worries_mine(*, actor: Actor) -> list[Worry]:
    """Every worry of `worries_mine_queryset`, logged (pages use `worries_page`)."""
    return worries_shown(actor=actor, worries=worries_mine_queryset(actor=actor), part=MINE)


def worries_inbox(*, actor: Actor) -> list[Worry]:
    """Every worry of `worries_inbox_queryset`, logged (pages use `worries_page`)."""
    return worries_shown(actor=actor, worries=worries_inbox_queryset(actor=actor), part=INBOX)


def answers_worries(*, actor: Actor) -> bool:
    """Whether the actor answers worries: an aandachtsfunctionaris, or a case worker of a
    consultation line (the region's Veilig Thuis)."""
    return actor.can(Permission.CASE_OVERSEE) or (
        actor.can(Permission.CASE_WORK) and actor.organisation.sector == Sector.VEILIG_THUIS
    )


def worries_waiting_count(*, actor: Actor) -> int:
    """How many worries wait for the actor's answer (for the start page; not logged: no
    content)."""
    reach = _inbox_filter(actor)
    if reach is None:
        return 0
    return Worry.objects.filter(reach, state=WorryState.OPEN).count()


# --- writes ------------------------------------------------------------------------------------


def _text_errors(field: str, text: str, *, maximum: int, empty: str) -> dict[str, list[str]]:
    text = text.strip()
    if not text:
        return {field: [empty]}
    if len(text) > maximum:
        return {field: [f"Gebruik hoogstens {maximum} tekens (u gebruikte er {len(text)})."]}
    findings = identifiers_find(text)
    if findings:
        return {field: [finding.message for finding in findings]}
    return {}


def _next_reference(year: int) -> str:
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    last = (
        Worry.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def worry_share(
    *,
    actor: Actor,
    recipient: str,
    question: str,
    profession: str = "",
    target_group: str = "",
) -> Worry:
    """Share a worry with the organisation's aandachtsfunctionaris or the regional line. A text
    with identifying data, an unknown choice, or a recipient that does not exist here is refused
    per field; nothing is stored."""
    if not actor.can(Permission.CASE_WORK):
        raise WorryError("Met uw rol kunt u geen zorg delen.")
    errors: dict[str, list[str]] = {}
    line = None
    if recipient == WorryRecipient.LINE:
        line = line_for(actor.organisation)
        if line is None:
            errors["recipient"] = [
                "Voor de gemeente van uw organisatie is geen consultatielijn bekend. Kies de "
                "aandachtsfunctionaris."
            ]
    elif recipient == WorryRecipient.OFFICER:
        if not has_officer(actor.organisation):
            errors["recipient"] = [
                "Uw organisatie heeft nog geen aandachtsfunctionaris in Meldwijzer. Kies de "
                "regionale consultatielijn."
            ]
    else:
        errors["recipient"] = ["Kies aan wie u uw zorg voorlegt."]
    if profession and profession not in Profession.values:
        errors["profession"] = ["Kies een beroepsgroep uit de lijst."]
    if target_group and target_group not in dict(TARGET_GROUPS):
        errors["target_group"] = ["Kies een doelgroep uit de lijst, of laat het leeg."]
    errors |= _text_errors(
        "question", question, maximum=QUESTION_MAX, empty="Beschrijf uw zorg en uw vraag."
    )
    if errors:
        raise WorryInputError(errors)
    year = timezone.localdate().year
    # Two worries shared at the same moment may pick the same next reference: the unique
    # constraint decides, and the other takes the next number.
    for attempt in range(10):
        try:
            with transaction.atomic():
                worry = Worry.objects.create(
                    reference=_next_reference(year),
                    organisation=actor.organisation,
                    asked_by=actor.user,
                    recipient=recipient,
                    line_organisation=line,
                    profession=profession or actor_profession(actor=actor),
                    target_group=target_group,
                    question=question.strip(),
                )
                trainings_event(
                    actor=actor,
                    action=Action.CREATE,
                    subject=Subject.WORRY,
                    subject_id=str(worry.pk),
                    part="zorg",
                )
                _notify_answerers(worry)
            return worry
        except IntegrityError:
            if attempt == 9:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def worry_message(*, actor: Actor, worry_id: int, body: str) -> WorryMessage:
    """A message in the conversation. From whoever answers: the answer (the worry becomes
    'beantwoord' and the asker gets an e-mail without content). From the asker: a new question
    (the worry is open again). A closed worry takes no messages."""
    access = worry_get(actor=actor, worry_id=worry_id, action=Action.CREATE)
    if not (access.may_answer or access.may_reply):
        raise WorryError("Deze zorg is gesloten; er kunnen geen berichten meer bij.")
    errors = _text_errors("body", body, maximum=MESSAGE_MAX, empty="Schrijf uw bericht.")
    if errors:
        raise WorryInputError(errors)
    return _message_add(actor=actor, access=access, body=body.strip())


@transaction.atomic
def _message_add(*, actor: Actor, access: WorryAccess, body: str) -> WorryMessage:
    worry = Worry.objects.select_for_update().get(pk=access.worry.pk)
    if worry.state == WorryState.CLOSED:
        raise WorryError("Deze zorg is gesloten; er kunnen geen berichten meer bij.")
    message = WorryMessage.objects.create(worry=worry, author=actor.user, body=body)
    if access.is_answerer and not access.is_asker:
        worry.state = WorryState.ANSWERED
        worry.answered_at = timezone.now()
        worry.save(update_fields=["state", "answered_at"])
        _notify_asker(worry)
    else:
        worry.state = WorryState.OPEN
        worry.save(update_fields=["state"])
        _notify_answerers(worry)
    trainings_event(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.WORRY,
        subject_id=str(worry.pk),
        part="bericht",
    )
    return message


def worry_close(*, actor: Actor, worry_id: int) -> Worry:
    """The asker closes the worry: no more messages."""
    access = worry_get(actor=actor, worry_id=worry_id, action=Action.UPDATE)
    if not access.is_asker:
        raise WorryError("Alleen wie de zorg deelde, sluit haar.")
    if not access.may_close:
        raise WorryError("Deze zorg is al gesloten.")
    return _close(actor=actor, worry=access.worry)


@transaction.atomic
def _close(*, actor: Actor, worry: Worry) -> Worry:
    Worry.objects.filter(pk=worry.pk).update(state=WorryState.CLOSED)
    worry.refresh_from_db()
    trainings_event(
        actor=actor,
        action=Action.UPDATE,
        subject=Subject.WORRY,
        subject_id=str(worry.pk),
        part="stand",
    )
    return worry


def worry_to_case(*, actor: Actor, worry_id: int, client: str) -> Case:
    """'Dit wordt een casus': the asker opens a meldcode case from the worry, through the
    dossier's own service. The case's first note says it came from this worry; the worry's text
    is not copied (the professional records signals in the case as facts). The worry links to
    the case."""
    access = worry_get(actor=actor, worry_id=worry_id, action=Action.UPDATE)
    if not access.is_asker:
        raise WorryError("Alleen wie de zorg deelde, maakt er een casus van.")
    if not access.may_make_case:
        raise WorryError("Van deze zorg is al een casus gemaakt.")
    if client not in ClientKind.values:
        raise WorryInputError({"client": ["Kies of uw zorg over een kind of een volwassene gaat."]})
    return _to_case(actor=actor, worry=access.worry, client=client)


@transaction.atomic
def _to_case(*, actor: Actor, worry: Worry, client: str) -> Case:
    locked = Worry.objects.select_for_update().get(pk=worry.pk)
    if locked.case_id is not None:
        raise WorryError("Van deze zorg is al een casus gemaakt.")
    try:
        case = case_services.case_open(
            actor=actor,
            title=f"Uit gedeelde zorg {worry.reference}",
            profession=worry.profession or actor_profession(actor=actor),
            client=client,
        )
        case.refresh_from_db()
        case_services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=case.version,
            kind=EntryKind.NOTE,
            data={
                "text": f"Deze casus komt voort uit gedeelde zorg {worry.reference}, gedeeld op "
                f"{timezone.localtime(worry.created_at):%d-%m-%Y} zonder namen. Het gesprek "
                "staat in Meldwijzer bij ‘Mijn gedeelde zorgen’. Leg de signalen hier vast "
                "als feiten, met datum en bron."
            },
        )
    except CaseError as error:
        raise WorryError(str(error)) from error
    Worry.objects.filter(pk=worry.pk).update(case=case)
    trainings_event(
        actor=actor,
        action=Action.UPDATE,
        subject=Subject.WORRY,
        subject_id=str(worry.pk),
        part="casus",
    )
    return case


# --- e-mail without content --------------------------------------------------------------------


def _answerer_addresses(worry: Worry) -> list[str]:
    if worry.recipient == WorryRecipient.OFFICER:
        return officer_addresses(organisation=worry.organisation, exclude_user_id=worry.asked_by_id)
    memberships = Membership.objects.filter(
        organisation=worry.line_organisation,
        role__in=_roles_with(Permission.CASE_WORK),
        is_active=True,
        user__is_active=True,
    ).exclude(user__email="")
    return sorted(set(memberships.values_list("user__email", flat=True)))


def _notify_answerers(worry: Worry) -> None:
    if _muted.get():
        return
    transaction.on_commit(partial(_send_to_answerers, worry_id=worry.pk), robust=True)


def _notify_asker(worry: Worry) -> None:
    if _muted.get():
        return
    transaction.on_commit(partial(_send_to_asker, worry_id=worry.pk), robust=True)


def _send(*, addresses: list[str], subject: str, template: str, context: dict[str, str]) -> None:
    if not addresses:
        return
    body = render_to_string(template, context)
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError:
        logger.exception(
            "E-mail over gedeelde zorg %s niet verstuurd; het bericht staat wel in Meldwijzer.",
            context.get("reference", ""),
        )


def _link(name: str, worry: Worry) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(name, kwargs={"worry_id": worry.pk})


def _send_to_answerers(*, worry_id: int) -> None:
    worry = Worry.objects.select_related("organisation", "line_organisation").get(pk=worry_id)
    _send(
        addresses=_answerer_addresses(worry),
        subject=NEW_SUBJECT,
        template="trainings/worries/email/new.txt",
        context={"reference": worry.reference, "link": _link("trainings:worry", worry)},
    )


def _send_to_asker(*, worry_id: int) -> None:
    worry = Worry.objects.select_related("asked_by").get(pk=worry_id)
    email = worry.asked_by.email
    _send(
        addresses=[email] if email else [],
        subject=ANSWERED_SUBJECT,
        template="trainings/worries/email/answered.txt",
        context={"reference": worry.reference, "link": _link("trainings:worry", worry)},
    )


# --- figures for the datalab -------------------------------------------------------------------


def worries_per_quarter(*, municipality: Municipality) -> dict[tuple[int, int], int]:
    """How many worries were shared per (year, quarter) by organisations working in the
    municipality: raw counts for the datalab, which protects them before they are shown."""
    organisations = Organisation.objects.filter(
        Q(works_in=municipality) | Q(municipality=municipality)
    ).values("pk")
    rows = (
        Worry.objects.filter(organisation__in=organisations)
        .annotate(year=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
        .values("year", "quarter")
        .annotate(count=Count("id"))
        .order_by("year", "quarter")
    )
    return {(row["year"], row["quarter"]): row["count"] for row in rows}
