"""Sociale kaart events for the access log: one typed function per event, one row each. The
sociale kaart holds organisations' services, never a client's data."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.social_map.models import Location, Provider, Service


def _editor_role(actor: Actor) -> str:
    return actor.role_for(
        Permission.DIRECTORY_MANAGE
        if actor.can(Permission.DIRECTORY_MANAGE)
        else Permission.DIRECTORY_EDIT_OWN
    )


def _record_row(
    actor: Actor, subject: Subject, record_id: int, action: Action, part: str = ""
) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=subject,
        subject_id=str(record_id),
        part=part,
        role=_editor_role(actor),
        purpose=Purpose.ADMINISTRATION,
    )


def _saved(created: bool) -> Action:
    return Action.CREATE if created else Action.UPDATE


def provider_saved(*, actor: Actor, provider: Provider, created: bool) -> None:
    _record_row(actor, Subject.SOCIAL_MAP_PROVIDER, provider.pk, _saved(created))


def provider_checked(*, actor: Actor, provider: Provider) -> None:
    """The provider's details confirmed as still correct."""
    _record_row(actor, Subject.SOCIAL_MAP_PROVIDER, provider.pk, Action.UPDATE, "gecontroleerd")


def location_saved(*, actor: Actor, location: Location, created: bool) -> None:
    _record_row(actor, Subject.SOCIAL_MAP_LOCATION, location.pk, _saved(created))


def service_saved(*, actor: Actor, service: Service, created: bool) -> None:
    _record_row(actor, Subject.SOCIAL_MAP_SERVICE, service.pk, _saved(created))


def service_checked(*, actor: Actor, service: Service) -> None:
    """The service's details confirmed as still correct."""
    _record_row(actor, Subject.SOCIAL_MAP_SERVICE, service.pk, Action.UPDATE, "gecontroleerd")


def imported(*, actor: Actor, created: int, updated: int) -> None:
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.SOCIAL_MAP_IMPORT,
        part=f"{created} nieuw, {updated} bijgewerkt"[:40],
        role=_editor_role(actor),
        purpose=Purpose.ADMINISTRATION,
    )


def exported_in_full(*, actor: Actor | None, part: str, username: str = "") -> None:
    """A full export (with contact persons and confidential addresses); from the command line
    without an actor, named by `username`."""
    access_log_record(
        actor=actor,
        username=username,
        action=Action.EXPORT,
        subject=Subject.SOCIAL_MAP,
        part=part,
        role=actor.role_for(Permission.DIRECTORY_MANAGE) if actor is not None else None,
        purpose=Purpose.ADMINISTRATION,
    )


def editing_refused(
    *, actor: Actor, subject: Subject, record_id: object = "", action: Action = Action.UPDATE
) -> NoReturn:
    """A record the actor may not edit, or none with this id: 'not found'; without a record (the
    editors' list, the editing pages), 403."""
    access_denied(
        actor=actor,
        action=action,
        subject=subject,
        subject_id=str(record_id)[:64],
        purpose=Purpose.ADMINISTRATION,
        not_found=record_id != "",
    )
