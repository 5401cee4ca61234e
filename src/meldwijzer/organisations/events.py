"""Organisation and membership events for the access log: one typed function per event, one row
each. None of them is about a client's data."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.accounts.models import User
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.organisations.models import Organisation


def _member_row(actor: Actor, user: User, action: Action, part: str = "") -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.USER,
        subject_id=str(user.pk),
        part=part,
        role=actor.role_for(Permission.MEMBERS_MANAGE),
        purpose=Purpose.ADMINISTRATION,
    )


def member_added(*, actor: Actor, user: User) -> None:
    _member_row(actor, user, Action.CREATE)


def member_roles_changed(*, actor: Actor, user: User) -> None:
    _member_row(actor, user, Action.UPDATE, "rollen")


def member_deactivated(*, actor: Actor, user: User) -> None:
    _member_row(actor, user, Action.UPDATE, "uitgeschakeld")


def member_reactivated(*, actor: Actor, user: User) -> None:
    _member_row(actor, user, Action.UPDATE, "heractiveerd")


def member_second_factor_reset(*, actor: Actor, user: User) -> None:
    _member_row(actor, user, Action.UPDATE, "tweestapsverificatie")


def organisation_admin_added(*, actor: Actor, user: User, organisation: Organisation) -> None:
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.USER,
        subject_id=str(user.pk),
        part=f"beheerder van organisatie {organisation.pk}",
        role=actor.role_for(Permission.ORGANISATIONS_MANAGE),
        purpose=Purpose.ADMINISTRATION,
    )


def organisation_saved(*, actor: Actor, organisation: Organisation, created: bool) -> None:
    access_log_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        subject=Subject.ORGANISATION,
        subject_id=str(organisation.pk),
        role=actor.role_for(Permission.ORGANISATIONS_MANAGE),
        purpose=Purpose.ADMINISTRATION,
    )


def api_key_role_switched(*, actor: Actor, role: str, on: bool) -> None:
    access_log_record(
        actor=actor,
        action=Action.UPDATE,
        subject=Subject.ORGANISATION,
        subject_id=str(actor.organisation.pk),
        part=f"api-sleutels {'aan' if on else 'uit'}: {role}",
        role=actor.role_for(Permission.API_KEYS_MANAGE),
        purpose=Purpose.ADMINISTRATION,
    )


def organisation_refused(*, actor: Actor, organisation_id: int | None = None) -> NoReturn:
    """Managing organisations refused (403), or an organisation id not found (404)."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.ORGANISATION,
        subject_id=str(organisation_id) if organisation_id is not None else "",
        not_found=organisation_id is not None,
    )


def aggregates_refused(*, actor: Actor) -> NoReturn:
    access_denied(actor=actor, action=Action.READ, subject=Subject.AGGREGATES)


def member_list_refused(*, actor: Actor) -> NoReturn:
    access_denied(
        actor=actor, action=Action.READ, subject=Subject.USERS, purpose=Purpose.ADMINISTRATION
    )


def member_refused(*, actor: Actor, user_id: int) -> NoReturn:
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.USER,
        subject_id=str(user_id),
        purpose=Purpose.ADMINISTRATION,
        not_found=True,
    )


def api_key_count_refused(*, actor: Actor) -> NoReturn:
    access_denied(
        actor=actor, action=Action.READ, subject=Subject.API_KEYS, purpose=Purpose.ADMINISTRATION
    )
