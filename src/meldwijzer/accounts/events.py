"""Account events for the access log — logging in and out, the second factor, passwords, API
keys: one typed function per event, one row each. None of them is about a client's data."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import AccessOutcome, Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record

if TYPE_CHECKING:
    from meldwijzer.accounts.models import ApiToken, User
    from meldwijzer.organisations.actor import Actor


def logged_in(*, actor: Actor | None, user: User) -> None:
    access_log_record(
        actor=actor,
        user=user,
        action=Action.LOGIN,
        subject=Subject.SESSION,
        purpose=Purpose.SECURITY,
    )


def login_failed(*, username: str, user: User | None = None, part: str = "") -> None:
    """A failed password step (or the summary of further ones, in `part`)."""
    access_log_record(
        actor=None,
        user=user,
        username=username,
        action=Action.LOGIN,
        subject=Subject.SESSION,
        part=part,
        purpose=Purpose.SECURITY,
        outcome=AccessOutcome.DENIED,
    )


def second_factor_failed(*, actor: Actor | None) -> None:
    """A wrong code when the second factor is asked for again."""
    access_log_record(
        actor=actor,
        action=Action.LOGIN,
        subject=Subject.SESSION,
        part="code opnieuw gevraagd",
        purpose=Purpose.SECURITY,
        outcome=AccessOutcome.DENIED,
    )


def logged_out(*, actor: Actor | None, user: User) -> None:
    access_log_record(
        actor=actor,
        user=user,
        action=Action.LOGOUT,
        subject=Subject.SESSION,
        purpose=Purpose.SECURITY,
    )


def logged_out_everywhere(*, actor: Actor) -> None:
    access_log_record(
        actor=actor,
        action=Action.LOGOUT,
        subject=Subject.SESSION,
        part="overal uitgelogd",
        purpose=Purpose.SECURITY,
    )


def password_reset(*, user: User) -> None:
    access_log_record(
        actor=None,
        user=user,
        action=Action.UPDATE,
        subject=Subject.USER,
        subject_id=str(user.pk),
        part="wachtwoord opnieuw ingesteld",
        purpose=Purpose.SECURITY,
    )


def enrolment_code_issued(
    *, actor: Actor | None, user: User, issued_by: str, role: str | None
) -> None:
    """A new enrolment code; `issued_by` names who made it when there is no actor."""
    access_log_record(
        actor=actor,
        username=issued_by,
        action=Action.CREATE,
        subject=Subject.USER,
        subject_id=str(user.pk),
        part="activeringscode",
        role=role,
        purpose=Purpose.ADMINISTRATION if actor else Purpose.SECURITY,
    )


def second_factor_reset_by_command(*, user: User, issued_by: str) -> None:
    """The authenticator of `user` removed from the command line (key recovery)."""
    access_log_record(
        actor=None,
        username=issued_by,
        action=Action.UPDATE,
        subject=Subject.USER,
        subject_id=str(user.pk),
        part="tweestapsverificatie",
        purpose=Purpose.SECURITY,
    )


def authenticator_enrolled(*, actor: Actor | None, user: User) -> None:
    access_log_record(
        actor=actor,
        user=user,
        action=Action.CREATE,
        subject=Subject.USER,
        subject_id=str(user.pk),
        part="authenticator ingesteld",
        purpose=Purpose.SECURITY,
    )


def api_key_refused(*, actor: Actor, action: Action, token: ApiToken | None = None) -> None:
    """API keys refused to the actor's roles by their organisation (no raise)."""
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.API_KEY,
        subject_id=str(token.pk) if token else "",
        part="niet toegestaan",
        purpose=Purpose.SECURITY,
        outcome=AccessOutcome.DENIED,
    )


def api_key_created(*, actor: Actor, token: ApiToken) -> None:
    access_log_record(
        actor=actor,
        action=Action.CREATE,
        subject=Subject.API_KEY,
        subject_id=str(token.pk),
        purpose=Purpose.SECURITY,
    )


def api_key_revoked(*, actor: Actor, token: ApiToken) -> None:
    access_log_record(
        actor=actor,
        action=Action.DELETE,
        subject=Subject.API_KEY,
        subject_id=str(token.pk),
        purpose=Purpose.SECURITY,
    )


def api_key_refused_not_found(*, actor: Actor, token_id: int) -> NoReturn:
    """Someone else's API key, or none with this id: 'not found'."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.API_KEY,
        subject_id=str(token_id),
        purpose=Purpose.SECURITY,
        not_found=True,
    )
