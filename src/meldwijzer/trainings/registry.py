"""The meldcode registry of an organisation: its meldcode, its aandachtsfunctionarissen and the
meldcode trainings its professionals followed.

Reads (selectors) take the actor and show only the actor's own organisation — or, for a
professional, their own trainings. Writes (services) are keyword-only, take plain values, check
them with a Dutch message per field (`RegistryInputError`, nothing changed), run in one
transaction and write the access-log row inside it. The functioneel beheerder
(`Permission.TRAININGS_MANAGE`) keeps the registry current for their own organisation only: any id
of another organisation is 'not found', logged (`events.trainings_refused`).

A training is *valid* until its refresh is due (`TrainingRecord.due_on`), *due soon* within
`DUE_SOON_DAYS` before that, and *overdue* after it. Each professional's status follows their
latest training (the one whose refresh is due last).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action, Subject
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import CLIENT_DATA_ROLES, Permission
from meldwijzer.trainings.events import trainings_event, trainings_refused
from meldwijzer.trainings.models import (
    DEFAULT_REFRESH_MONTHS,
    MeldcodeAdoption,
    OfficerRegistration,
    TrainingKind,
    TrainingRecord,
)

SUBJECT = Subject.MELDCODE_REGISTRY

DUE_SOON_DAYS = 60
"""The beheerder's list shows who must refresh within this many days."""

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
"""A meldcode document is a PDF of at most 10 MB."""

DOCUMENT_DIR = "meldcodes"
"""Where meldcode documents are kept, under the data directory."""

FUTURE = "Deze datum ligt in de toekomst. Vul een datum van vandaag of eerder in."


class RegistryInputError(ValueError):
    """Input that fails its checks; `errors` holds the Dutch message(s) per field. Nothing was
    changed."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))


class Status(StrEnum):
    NONE = "geen"
    VALID = "geldig"
    DUE_SOON = "binnenkort"
    OVERDUE = "verlopen"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NONE: "Geen training vastgelegd",
    Status.VALID: "Geldig",
    Status.DUE_SOON: "Opfrissen binnenkort",
    Status.OVERDUE: "Verlopen",
}


def status_of(record: TrainingRecord | None, today: datetime.date) -> Status:
    """Where one professional stands with their latest training on `today`."""
    if record is None:
        return Status.NONE
    if record.due_on < today:
        return Status.OVERDUE
    if (record.due_on - today).days <= DUE_SOON_DAYS:
        return Status.DUE_SOON
    return Status.VALID


def latest(records: Iterable[TrainingRecord]) -> TrainingRecord | None:
    """The training that counts: the one whose refresh is due last (the newest on a tie)."""
    return max(records, key=lambda r: (r.due_on, r.completed_on, r.pk), default=None)


def user_label(user: User) -> str:
    return user.get_full_name() or user.username


# -- reads ------------------------------------------------------------------------------------------


def professionals(organisation: Organisation) -> list[User]:
    """The organisation's professionals: everyone with an active role that works on cases."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=CLIENT_DATA_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def members(organisation: Organisation) -> list[User]:
    """Everyone with an active role in the organisation (for choosing whom to register)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def officers_current(organisation: Organisation, today: datetime.date) -> list[OfficerRegistration]:
    return list(
        OfficerRegistration.objects.filter(organisation=organisation, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def adoption_current(organisation: Organisation) -> MeldcodeAdoption | None:
    return MeldcodeAdoption.objects.filter(organisation=organisation).first()


@dataclass(frozen=True)
class ProfessionalLine:
    user: User
    record: TrainingRecord | None
    status: Status

    days_left: int | None
    """Days until the refresh is due; negative when overdue."""

    @property
    def name(self) -> str:
        return user_label(self.user)

    @property
    def days_late(self) -> int | None:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else None


@dataclass(frozen=True)
class Registry:
    organisation: Organisation
    adoption: MeldcodeAdoption | None
    adoptions: list[MeldcodeAdoption]
    officers: list[OfficerRegistration]
    lines: list[ProfessionalLine]
    today: datetime.date

    @property
    def current_officers(self) -> list[OfficerRegistration]:
        return [o for o in self.officers if o.ended_on is None or o.ended_on > self.today]

    def count(self, status: Status) -> int:
        return sum(1 for line in self.lines if line.status == status)

    @property
    def attention(self) -> list[ProfessionalLine]:
        """Who is overdue, then who must refresh within 60 days, then who has no training."""
        order = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.NONE: 2}
        shown = [line for line in self.lines if line.status in order]
        return sorted(
            shown,
            key=lambda line: (
                order[line.status],
                line.record.due_on if line.record else datetime.date.max,
            ),
        )


def training_lines(organisation: Organisation, today: datetime.date) -> list[ProfessionalLine]:
    """Every professional of the organisation with their latest training: two queries."""
    people = professionals(organisation)
    by_user: dict[int, list[TrainingRecord]] = {}
    for found in TrainingRecord.objects.filter(
        organisation=organisation, user__in=[p.pk for p in people]
    ):
        by_user.setdefault(found.user_id, []).append(found)
    lines = []
    for person in people:
        record = latest(by_user.get(person.pk, []))
        lines.append(
            ProfessionalLine(
                user=person,
                record=record,
                status=status_of(record, today),
                days_left=None if record is None else (record.due_on - today).days,
            )
        )
    return lines


def registry_get(*, actor: Actor, today: datetime.date | None = None) -> Registry:
    """The registry of the actor's organisation, for its functioneel beheerder (logged)."""
    if not actor.can(Permission.TRAININGS_MANAGE):
        trainings_refused(actor=actor, subject=SUBJECT, subject_id=str(actor.organisation.pk))
    today = today or timezone.localdate()
    organisation = actor.organisation
    adoptions = list(
        MeldcodeAdoption.objects.filter(organisation=organisation).select_related("recorded_by")
    )
    officers = list(
        OfficerRegistration.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("ended_on", "user__last_name", "user__first_name")
    )
    registry = Registry(
        organisation=organisation,
        adoption=adoptions[0] if adoptions else None,
        adoptions=adoptions,
        officers=officers,
        lines=training_lines(organisation, today),
        today=today,
    )
    trainings_event(
        actor=actor,
        action=Action.READ,
        subject=SUBJECT,
        subject_id=str(organisation.pk),
        part="register",
    )
    return registry


def training_list(*, actor: Actor) -> list[TrainingRecord]:
    """Every training recorded for the actor's organisation, newest first (logged)."""
    if not actor.can(Permission.TRAININGS_MANAGE):
        trainings_refused(actor=actor, subject=SUBJECT, subject_id=str(actor.organisation.pk))
    records = list(
        TrainingRecord.objects.filter(organisation=actor.organisation)
        .select_related("user", "organisation")
        .order_by("-completed_on", "-pk")
    )
    trainings_event(
        actor=actor,
        action=Action.READ,
        subject=SUBJECT,
        subject_id=str(actor.organisation.pk),
        part="trainingen",
    )
    return records


@dataclass(frozen=True)
class OwnStatus:
    """A professional's own trainings, newest first, and where they stand."""

    records: list[TrainingRecord]
    current: TrainingRecord | None
    status: Status
    today: datetime.date
    adoption: MeldcodeAdoption | None
    officers: list[OfficerRegistration]

    @property
    def days_left(self) -> int | None:
        return None if self.current is None else (self.current.due_on - self.today).days

    @property
    def days_late(self) -> int | None:
        left = self.days_left
        return -left if left is not None and left < 0 else None


def own_status(*, actor: Actor, today: datetime.date | None = None) -> OwnStatus:
    """The actor's own meldcode trainings (in every organisation they work for), and the
    meldcode and aandachtsfunctionarissen of the organisation they act for."""
    today = today or timezone.localdate()
    records = list(
        TrainingRecord.objects.filter(user=actor.user)
        .select_related("organisation")
        .order_by("-completed_on", "-pk")
    )
    current = latest(records)
    return OwnStatus(
        records=records,
        current=current,
        status=status_of(current, today),
        today=today,
        adoption=adoption_current(actor.organisation),
        officers=officers_current(actor.organisation, today),
    )


def member_get(*, actor: Actor, user_id: int) -> User:
    """A person with an active role in the actor's organisation; anyone else is 'not found',
    logged."""
    user = (
        User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__organisation=actor.organisation,
            memberships__is_active=True,
        )
        .distinct()
        .first()
    )
    if user is None:
        trainings_refused(actor=actor, subject=SUBJECT, subject_id=f"medewerker:{user_id}")
    return user


def officer_get(*, actor: Actor, officer_id: int) -> OfficerRegistration:
    """A registration of the actor's own organisation, for its beheerder; else 'not found'."""
    officer = (
        OfficerRegistration.objects.filter(pk=officer_id, organisation=actor.organisation)
        .select_related("user")
        .first()
    )
    if officer is None or not actor.can(Permission.TRAININGS_MANAGE):
        trainings_refused(
            actor=actor, subject=SUBJECT, subject_id=f"aandachtsfunctionaris:{officer_id}"
        )
    return officer


def document_may_read(actor: Actor, adoption: MeldcodeAdoption) -> bool:
    """Members of the organisation read its meldcode; so do the roles that see the coverage of
    the municipality the organisation works in (policy, platform)."""
    if adoption.organisation_id == actor.organisation.pk:
        return True
    if not actor.can(Permission.AGGREGATES_VIEW):
        return False
    municipality_id = actor.organisation.municipality_id
    organisation = adoption.organisation
    return (
        organisation.municipality_id == municipality_id
        or organisation.works_in.filter(pk=municipality_id).exists()
    )


def document_get(*, actor: Actor, adoption_id: int) -> tuple[MeldcodeAdoption, Path]:
    """A meldcode document and where it is kept, for a download (logged); else 'not found'."""
    adoption = (
        MeldcodeAdoption.objects.filter(pk=adoption_id).select_related("organisation").first()
    )
    if adoption is None or not adoption.document or not document_may_read(actor, adoption):
        trainings_refused(actor=actor, subject=SUBJECT, subject_id=f"meldcode:{adoption_id}")
    path = Path(settings.DATA_DIR) / adoption.document.name
    if not path.is_file():
        trainings_refused(actor=actor, subject=SUBJECT, subject_id=f"meldcode:{adoption_id}")
    trainings_event(
        actor=actor,
        action=Action.EXPORT,
        subject=SUBJECT,
        subject_id=f"meldcode:{adoption.pk}",
        part="document",
    )
    return adoption, path


def consultant_options(actor: Actor) -> list[tuple[int, str]]:
    """The current aandachtsfunctionarissen of the actor's organisation, for step 2 of a case:
    (user id, 'Naam — Organisatie')."""
    today = timezone.localdate()
    return [
        (officer.user_id, f"{user_label(officer.user)} — {actor.organisation.name}")
        for officer in officers_current(actor.organisation, today)
        if officer.user.is_active
    ]


# -- writes -----------------------------------------------------------------------------------------


def _manager(actor: Actor) -> None:
    if not actor.can(Permission.TRAININGS_MANAGE):
        trainings_refused(
            actor=actor,
            subject=SUBJECT,
            subject_id=str(actor.organisation.pk),
            action=Action.CREATE,
        )


def _date(
    errors: dict[str, list[str]],
    name: str,
    value: datetime.date | None,
    *,
    today: datetime.date,
    required: bool = False,
) -> None:
    if value is None:
        if required:
            errors.setdefault(name, []).append("Vul een datum in.")
        return
    if value > today:
        errors.setdefault(name, []).append(FUTURE)


def _text(errors: dict[str, list[str]], name: str, value: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(name, []).append(message)
    elif len(value) > limit:
        errors.setdefault(name, []).append(f"Gebruik hoogstens {limit} tekens.")
    return value


def document_check(content: bytes | None) -> list[str]:
    """What is wrong with an uploaded meldcode document: a PDF (by its content, not its name)
    of at most 10 MB."""
    if content is None:
        return []
    if len(content) > MAX_DOCUMENT_BYTES:
        return ["Het bestand is groter dan 10 MB. Kies een kleiner bestand."]
    if not content.startswith(b"%PDF-"):
        return ["Dit is geen pdf-bestand. Kies de meldcode als pdf."]
    return []


def document_store(content: bytes) -> str:
    """Keep the document under the data directory with a name of its own; its relative path."""
    name = f"{DOCUMENT_DIR}/{secrets.token_hex(16)}.pdf"
    path = Path(settings.DATA_DIR) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name


def adoption_record(
    *,
    actor: Actor,
    title: str,
    adopted_on: datetime.date | None,
    document: bytes | None = None,
    document_name: str = "",
    today: datetime.date | None = None,
) -> MeldcodeAdoption:
    """Record the meldcode the actor's organisation adopted (a new version is a new row)."""
    _manager(actor)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, "Vul de naam van de meldcode in.", 200)
    _date(errors, "adopted_on", adopted_on, today=today, required=True)
    problems = document_check(document)
    if problems:
        errors["document"] = problems
    if errors:
        raise RegistryInputError(errors)
    assert adopted_on is not None
    stored = document_store(document) if document else ""
    try:
        with transaction.atomic():
            adoption = MeldcodeAdoption.objects.create(
                organisation=actor.organisation,
                title=title,
                adopted_on=adopted_on,
                document=stored,
                document_name=Path(document_name or "meldcode.pdf").name[:200] if stored else "",
                recorded_by=actor.user,
            )
            trainings_event(
                actor=actor,
                action=Action.CREATE,
                subject=SUBJECT,
                subject_id=f"meldcode:{adoption.pk}",
                part="meldcode",
            )
    except BaseException:
        if stored:
            (Path(settings.DATA_DIR) / stored).unlink(missing_ok=True)
        raise
    return adoption


def officer_register(
    *,
    actor: Actor,
    user_id: int,
    started_on: datetime.date | None,
    training: str = "",
    trained_on: datetime.date | None = None,
    register: str = "",
    register_number: str = "",
    vog_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> OfficerRegistration:
    """Register a member of the actor's organisation as aandachtsfunctionaris."""
    _manager(actor)
    user = member_get(actor=actor, user_id=user_id)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _date(errors, "started_on", started_on, today=today, required=True)
    _date(errors, "trained_on", trained_on, today=today)
    _date(errors, "vog_on", vog_on, today=today)
    for name, value, limit in (
        ("training", training, 200),
        ("register", register, 200),
        ("register_number", register_number, 50),
    ):
        if len(value or "") > limit:
            errors.setdefault(name, []).append(f"Gebruik hoogstens {limit} tekens.")
    if register_number and not register:
        errors.setdefault("register", []).append(
            "Vul ook het register in bij een registratienummer."
        )
    if OfficerRegistration.objects.filter(
        organisation=actor.organisation, user=user, ended_on__isnull=True
    ).exists():
        errors.setdefault("user", []).append(
            "Deze medewerker staat al geregistreerd als aandachtsfunctionaris."
        )
    if errors or started_on is None:
        raise RegistryInputError(errors)
    try:
        with transaction.atomic():
            officer = OfficerRegistration.objects.create(
                organisation=actor.organisation,
                user=user,
                training=(training or "").strip(),
                trained_on=trained_on,
                register=(register or "").strip(),
                register_number=(register_number or "").strip(),
                vog_on=vog_on,
                started_on=started_on,
                recorded_by=actor.user,
            )
            trainings_event(
                actor=actor,
                action=Action.CREATE,
                subject=SUBJECT,
                subject_id=f"aandachtsfunctionaris:{officer.pk}",
                part="aandachtsfunctionaris",
            )
    except IntegrityError as error:
        raise RegistryInputError(
            {"user": ["Deze medewerker staat al geregistreerd als aandachtsfunctionaris."]}
        ) from error
    return officer


def officer_end(
    *,
    actor: Actor,
    officer_id: int,
    ended_on: datetime.date | None,
    today: datetime.date | None = None,
) -> OfficerRegistration:
    """Record that an aandachtsfunctionaris stopped (the registration stays, with its end)."""
    _manager(actor)
    officer = officer_get(actor=actor, officer_id=officer_id)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _date(errors, "ended_on", ended_on, today=today, required=True)
    if ended_on is not None and ended_on < officer.started_on:
        errors.setdefault("ended_on", []).append(
            f"De einddatum ligt vóór de startdatum ({officer.started_on:%d-%m-%Y}). "
            "Kies een datum op of na de startdatum."
        )
    if officer.ended_on is not None:
        errors.setdefault("ended_on", []).append("Deze registratie is al beëindigd.")
    if errors:
        raise RegistryInputError(errors)
    with transaction.atomic():
        officer.ended_on = ended_on
        officer.save(update_fields=["ended_on", "updated_at"])
        trainings_event(
            actor=actor,
            action=Action.UPDATE,
            subject=SUBJECT,
            subject_id=f"aandachtsfunctionaris:{officer.pk}",
            part="aandachtsfunctionaris",
        )
    return officer


def training_record(
    *,
    actor: Actor,
    user_id: int,
    kind: str,
    completed_on: datetime.date | None,
    provider: str,
    refresh_months: int | None = None,
    today: datetime.date | None = None,
) -> TrainingRecord:
    """Record a meldcode training a professional of the actor's organisation followed."""
    _manager(actor)
    user = member_get(actor=actor, user_id=user_id)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in TrainingKind.values:
        errors["kind"] = ["Kies de soort training."]
    _date(errors, "completed_on", completed_on, today=today, required=True)
    provider = _text(errors, "provider", provider, "Vul de aanbieder van de training in.", 200)
    months = DEFAULT_REFRESH_MONTHS if refresh_months is None else refresh_months
    if not 1 <= months <= 60:
        errors["refresh_months"] = ["Kies een termijn van 1 tot en met 60 maanden."]
    if errors or completed_on is None:
        raise RegistryInputError(errors)
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            organisation=actor.organisation,
            user=user,
            kind=kind,
            completed_on=completed_on,
            provider=provider,
            refresh_months=months,
            recorded_by=actor.user,
        )
        trainings_event(
            actor=actor,
            action=Action.CREATE,
            subject=SUBJECT,
            subject_id=f"training:{record.pk}",
            part="training",
        )
    return record
