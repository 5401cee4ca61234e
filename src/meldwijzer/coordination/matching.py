"""Finding each other: a match signal when two organisations registered the same person.

A *registration* is a person with an identity key (`privacy.pseudonyms.identity_key`, the keyed
hash of a BSN, or of name and date of birth) in a meldcode case (`cases.Person`, its newest
version) or in a coordination file (`FamilyMember`). Its *professional* is the case's responsible
professional, or the file's casusregisseur, acting for the case's or the file's organisation.

When a registration is saved, `registration_match` looks for registrations of the same key, made
with the same key (the same key id) in the last two years, at another organisation; each pair of
case or file gets one `MatchSignal`. The two professionals are then told only of each other: name,
organisation, phone and e-mail, and whether the family has a casusregisseur (and who) — never what
the other recorded (no title, no names of the family, no signals, no dates of birth). They can
then agree who coordinates. No signal is made within one organisation, nor with someone already in
the file's team: they know each other.

A signal expires two years after it was made: it is then never shown again, and `signals_purge`
(`meldwijzer manage match_signals --purge`) deletes it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.cases import extensions
from meldwijzer.cases.models import Case, Person
from meldwijzer.coordination import events
from meldwijzer.coordination.models import (
    CoordinationFile,
    FamilyMember,
    FileState,
    MatchSignal,
    MemberState,
    TeamMember,
)
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission

logger = logging.getLogger(__name__)

SIGNAL_YEARS = 2
"""A signal is active for two years; so is a registration, for making new signals."""


def years_later(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same moment `years` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


@dataclass(frozen=True)
class Registration:
    """Someone registered in one case or file, by one professional for one organisation."""

    identity_key: str
    identity_key_id: str
    client_pseudonym: str
    user_id: int
    organisation_id: int
    file_id: int | None = None
    """The coordination file, when the registration is a family member of one."""


def registration_of_person(person: Person) -> Registration:
    case = person.case
    return Registration(
        identity_key=person.identity_key,
        identity_key_id=person.identity_key_id,
        client_pseudonym=case.client_pseudonym,
        user_id=case.responsible_id,
        organisation_id=case.organisation_id,
    )


def registration_of_family_member(member: FamilyMember) -> Registration:
    file = member.file
    return Registration(
        identity_key=member.identity_key,
        identity_key_id=member.identity_key_id,
        client_pseudonym=file.client_pseudonym,
        user_id=file.coordinator_id,
        organisation_id=file.lead_organisation_id,
        file_id=file.pk,
    )


def registrations_of(*, key: str, key_id: str, since: datetime.datetime) -> list[Registration]:
    """Every registration of this identity key, made with this key, since `since` (two
    queries)."""
    people = Person.objects.filter(
        identity_key=key,
        identity_key_id=key_id,
        replaced_by__isnull=True,
        created_at__gte=since,
    ).values_list("case__client_pseudonym", "case__responsible_id", "case__organisation_id")
    members = FamilyMember.objects.filter(
        identity_key=key, identity_key_id=key_id, added_at__gte=since
    ).values_list(
        "file__client_pseudonym", "file__coordinator_id", "file__lead_organisation_id", "file_id"
    )
    return [
        *(Registration(key, key_id, pseudonym, user, org) for pseudonym, user, org in people),
        *(
            Registration(key, key_id, pseudonym, user, org, file_id)
            for pseudonym, user, org, file_id in members
        ),
    ]


def _already_together(first: Registration, second: Registration) -> bool:
    """Whether one side's professional is already invited to or in the other side's file."""
    for file_side, other in ((first, second), (second, first)):
        if file_side.file_id is not None and (
            TeamMember.objects.filter(
                file_id=file_side.file_id,
                user_id=other.user_id,
                organisation_id=other.organisation_id,
                state__in=[MemberState.INVITED, MemberState.ACTIVE],
            ).exists()
        ):
            return True
    return False


@transaction.atomic
def registration_match(
    *, registration: Registration, now: datetime.datetime | None = None
) -> list[MatchSignal]:
    """Make a signal for every registration of the same person at another organisation that
    has none yet (or only an expired one, which the new one replaces). Returns the new signals."""
    if not (registration.identity_key and registration.identity_key_id):
        return []
    now = now or timezone.now()
    others = registrations_of(
        key=registration.identity_key,
        key_id=registration.identity_key_id,
        since=years_later(now, -SIGNAL_YEARS),
    )
    made: list[MatchSignal] = []
    for other in others:
        if (
            other.organisation_id == registration.organisation_id
            or other.user_id == registration.user_id
            or other.client_pseudonym == registration.client_pseudonym
        ):
            continue
        first, second = sorted((registration, other), key=lambda side: side.client_pseudonym)
        pair = MatchSignal.objects.filter(
            first_client_pseudonym=first.client_pseudonym,
            second_client_pseudonym=second.client_pseudonym,
        )
        existing = pair.first()
        if existing is not None and existing.expires_at > now:
            continue
        if _already_together(first, second):
            continue
        if existing is not None:
            _delete(existing)
        try:
            with transaction.atomic():
                signal = MatchSignal.objects.create(
                    identity_key=registration.identity_key,
                    identity_key_id=registration.identity_key_id,
                    first_user_id=first.user_id,
                    first_organisation_id=first.organisation_id,
                    first_client_pseudonym=first.client_pseudonym,
                    second_user_id=second.user_id,
                    second_organisation_id=second.organisation_id,
                    second_client_pseudonym=second.client_pseudonym,
                    created_at=now,
                    expires_at=years_later(now, SIGNAL_YEARS),
                )
        except IntegrityError:
            continue  # made at the same moment by the other side's save
        events.match_signal_system_event(signal=signal, action=Action.CREATE)
        made.append(signal)
    return made


def person_registered(person: Person) -> None:
    """The listener `cases` calls after saving a person (registered in `apps.py`)."""
    if person.identity_key:
        registration_match(registration=registration_of_person(person))


def family_member_registered(member: FamilyMember) -> None:
    """Match a family member added to a file, once the file's transaction commits. Like the
    listener for `cases`, it can neither slow down nor undo the save: a failure is logged."""
    if member.identity_key and not extensions.person_recorded_is_quiet():
        transaction.on_commit(partial(_family_member_match, member))


def _family_member_match(member: FamilyMember) -> None:
    try:
        registration_match(registration=registration_of_family_member(member))
    except Exception:
        logger.exception("Matching failed for family member %s", member.pk)


def _delete(signal: MatchSignal) -> bool:
    """Delete one signal and log it — unless someone else deleted it first."""
    deleted, _ = MatchSignal.objects.filter(pk=signal.pk).delete()
    if deleted:
        events.match_signal_system_event(signal=signal, action=Action.DELETE)
    return bool(deleted)


@transaction.atomic
def signals_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every expired signal, each with its access-log rows; running it again deletes
    nothing more. Returns how many were deleted."""
    expired = MatchSignal.objects.filter(expires_at__lte=now or timezone.now()).select_related(
        "first_organisation", "second_organisation"
    )
    return sum(_delete(signal) for signal in expired)


def file_signals_move(
    *, file: CoordinationFile, user: User, organisation: Organisation
) -> list[MatchSignal]:
    """The regie of `file` moved to `user`, for `organisation`: the file's signals are theirs
    now, not yet seen — the former casusregisseur no longer hears of them. A signal whose other
    side is that organisation is no signal any more (never within one organisation) and goes.
    The caller's transaction holds it; each moved signal is logged. Returns the moved ones."""
    moved = []
    for side, other in (("first", "second"), ("second", "first")):
        signals = MatchSignal.objects.filter(**{f"{side}_client_pseudonym": file.client_pseudonym})
        for signal in signals.select_related("first_organisation", "second_organisation"):
            if getattr(signal, f"{other}_organisation_id") == organisation.pk:
                _delete(signal)
                continue
            setattr(signal, f"{side}_user", user)
            setattr(signal, f"{side}_organisation", organisation)
            setattr(signal, f"{side}_seen_at", None)
            signal.save(update_fields=[f"{side}_user", f"{side}_organisation", f"{side}_seen_at"])
            events.match_signal_system_event(signal=signal, action=Action.UPDATE)
            moved.append(signal)
    return moved


# --- What a professional reads ---------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """The professional's own case or file a signal is about."""

    kind: str
    reference: str
    url: str


@dataclass(frozen=True)
class Notice:
    """One match signal as one of its two professionals reads it: only who the other is and how
    to reach them, and whether the family has a casusregisseur."""

    signal: MatchSignal
    mine: Record | None
    client_pseudonym: str
    other: User
    other_organisation: Organisation
    coordinator: str
    """'' when the family has no casusregisseur in Meldwijzer; otherwise who, and where."""
    seen: bool


def _mine(actor: Actor) -> Q:
    return Q(first_user=actor.user, first_organisation=actor.organisation) | Q(
        second_user=actor.user, second_organisation=actor.organisation
    )


def _is_first(actor: Actor, signal: MatchSignal) -> bool:
    return (
        signal.first_user_id == actor.user.pk
        and signal.first_organisation_id == actor.organisation.pk
    )


def _active(now: datetime.datetime | None = None) -> Q:
    return Q(expires_at__gt=now or timezone.now())


def unseen_count(*, actor: Actor) -> int:
    """How many active signals the actor has not marked as seen (one query)."""
    if not actor.can(Permission.CASE_WORK):
        return 0
    unseen = Q(
        first_user=actor.user, first_organisation=actor.organisation, first_seen_at__isnull=True
    ) | Q(
        second_user=actor.user,
        second_organisation=actor.organisation,
        second_seen_at__isnull=True,
    )
    return MatchSignal.objects.filter(_active(), unseen).count()


def has_signals_for(*, actor: Actor, client_pseudonym: str) -> bool:
    """Whether the actor has an active signal about this case or file of theirs (one query)."""
    if not actor.can(Permission.CASE_WORK):
        return False
    about = Q(first_client_pseudonym=client_pseudonym) | Q(second_client_pseudonym=client_pseudonym)
    return MatchSignal.objects.filter(_active(), _mine(actor), about).exists()


def _records(pseudonyms: set[str]) -> dict[str, Record]:
    """The cases and files these client pseudonyms name (two queries)."""
    records = {
        pseudonym: Record("casus", reference, reverse("cases:detail", args=[pk]))
        for pseudonym, pk, reference in Case.objects.filter(
            client_pseudonym__in=pseudonyms
        ).values_list("client_pseudonym", "pk", "reference")
    }
    for pseudonym, pk, reference in CoordinationFile.objects.filter(
        client_pseudonym__in=pseudonyms
    ).values_list("client_pseudonym", "pk", "reference"):
        records[pseudonym] = Record(
            "regiedossier", reference, reverse("coordination:detail", args=[pk])
        )
    return records


def _coordinators(signals: list[MatchSignal]) -> dict[tuple[str, str], str]:
    """Per identity key (and key id): the casusregisseur of an open file the person is in, as
    'name (organisation)' (one query)."""
    found: dict[tuple[str, str], str] = {}
    members = (
        FamilyMember.objects.filter(
            identity_key__in={signal.identity_key for signal in signals},
            file__state=FileState.OPEN,
        )
        .select_related("file__coordinator", "file__lead_organisation")
        .order_by("file__opened_at", "pk")
    )
    for member in members:
        coordinator = member.file.coordinator
        name = coordinator.get_full_name() or coordinator.get_username()
        found.setdefault(
            (member.identity_key, member.identity_key_id),
            f"{name} ({member.file.lead_organisation.name})",
        )
    return found


def signals_for(*, actor: Actor) -> list[Notice]:
    """'Samenloop': the actor's active match signals, newest first, each read logged with the
    client pseudonym of the actor's own case or file. A fixed number of queries, whatever the
    number of signals."""
    if not actor.can(Permission.CASE_WORK):
        events.match_signals_refused(actor=actor)
    signals = MatchSignal.objects.filter(_mine(actor), _active()).select_related(
        "first_user", "second_user", "first_organisation", "second_organisation"
    )
    return _notices(actor, list(signals))


def signal_notice(*, actor: Actor, signal: MatchSignal) -> Notice:
    """One signal the actor was allowed (`signal_get`), as they read it; logged."""
    return _notices(actor, [signal])[0]


def _notices(actor: Actor, signals: list[MatchSignal]) -> list[Notice]:
    if not signals:
        return []
    mine = {
        signal.pk: signal.first_client_pseudonym
        if _is_first(actor, signal)
        else signal.second_client_pseudonym
        for signal in signals
    }
    records = _records(set(mine.values()))
    coordinators = _coordinators(signals)
    notices = []
    for signal in signals:
        first = _is_first(actor, signal)
        notices.append(
            Notice(
                signal=signal,
                mine=records.get(mine[signal.pk]),
                client_pseudonym=mine[signal.pk],
                other=signal.second_user if first else signal.first_user,
                other_organisation=signal.second_organisation
                if first
                else signal.first_organisation,
                coordinator=coordinators.get((signal.identity_key, signal.identity_key_id), ""),
                seen=(signal.first_seen_at if first else signal.second_seen_at) is not None,
            )
        )
    events.match_signals_read(
        actor=actor, rows=[(notice.signal.pk, notice.client_pseudonym) for notice in notices]
    )
    return notices


def _is_party(actor: Actor, signal: MatchSignal) -> bool:
    return _is_first(actor, signal) or (
        signal.second_user_id == actor.user.pk
        and signal.second_organisation_id == actor.organisation.pk
    )


def signal_get(*, actor: Actor, signal_id: int, action: Action = Action.READ) -> MatchSignal:
    """One active signal of the actor's; any other — someone else's, expired, or none — is
    'not found', and logged."""
    signal = (
        MatchSignal.objects.select_related(
            "first_user", "second_user", "first_organisation", "second_organisation"
        )
        .filter(pk=signal_id)
        .first()
    )
    if (
        signal is None
        or not actor.can(Permission.CASE_WORK)
        or not _is_party(actor, signal)
        or signal.expires_at <= timezone.now()
    ):
        events.match_signal_refused(
            actor=actor,
            signal_id=signal_id,
            client_pseudonym=""
            if signal is None
            else signal.second_client_pseudonym
            if _is_party(actor, signal) and not _is_first(actor, signal)
            else signal.first_client_pseudonym,
            action=action,
        )
    return signal


def signal_mark_seen(*, actor: Actor, signal_id: int) -> MatchSignal:
    """The actor has seen the signal: it leaves their worklist (the other side's stays). The
    check comes first, outside the transaction, so that a refusal stays in the log."""
    signal = signal_get(actor=actor, signal_id=signal_id, action=Action.UPDATE)
    first = _is_first(actor, signal)
    field = "first_seen_at" if first else "second_seen_at"
    with transaction.atomic():
        if getattr(signal, field) is None:
            setattr(signal, field, timezone.now())
            signal.save(update_fields=[field])
        events.match_signal_event(
            actor=actor,
            signal=signal,
            action=Action.UPDATE,
            client_pseudonym=signal.first_client_pseudonym
            if first
            else signal.second_client_pseudonym,
        )
    return signal
