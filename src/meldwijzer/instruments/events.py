"""Instrument events for the access log: one typed function per event, one row each.

A draft belongs to a case, so its rows name the case's client; managing the organisation's
instruments is about no client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.cases.models import Case
    from meldwijzer.organisations.actor import Actor


def _draft_row(actor: Actor, case: Case, action: Action) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.CASE,
        subject_id=str(case.pk),
        client_id=case.client_pseudonym,
        part="instrument-concept",
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.CARE,
    )


def draft_saved(*, actor: Actor, case: Case, created: bool) -> None:
    _draft_row(actor, case, Action.CREATE if created else Action.UPDATE)


def draft_discarded(*, actor: Actor, case: Case) -> None:
    _draft_row(actor, case, Action.DELETE)


def result_refused(*, actor: Actor, case: Case, result_id: int) -> NoReturn:
    """A result id that is not one of `case`'s: 'not found', named with the case's client."""
    access_denied(
        actor=actor,
        action=Action.READ,
        subject=Subject.INSTRUMENT_RESULT,
        subject_id=str(result_id),
        client_id=case.client_pseudonym,
        part="instrumenten",
        not_found=True,
    )


def _managed(actor: Actor, action: Action, key: str, part: str) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.INSTRUMENT,
        subject_id=key,
        part=part[:40],
        role=actor.role_for(Permission.INSTRUMENTS_MANAGE),
        purpose=Purpose.ADMINISTRATION,
    )


def instrument_added(*, actor: Actor, key: str, version: str) -> None:
    _managed(actor, Action.CREATE, key, f"versie {version}")


def instrument_adapted(*, actor: Actor, key: str, version: str) -> None:
    _managed(actor, Action.CREATE, key, f"versie {version} (aangepast)")


def instrument_switched(*, actor: Actor, key: str, enabled: bool) -> None:
    _managed(actor, Action.UPDATE, key, "ingeschakeld" if enabled else "uitgeschakeld")


def catalogue_refused(*, actor: Actor) -> NoReturn:
    access_denied(actor=actor, action=Action.READ, subject=Subject.INSTRUMENTS)


def instrument_edit_refused(*, actor: Actor, key: str, not_found: bool) -> NoReturn:
    """No right to manage instruments (403), or no such instrument here (404)."""
    access_denied(
        actor=actor,
        action=Action.UPDATE,
        subject=Subject.INSTRUMENT,
        subject_id=key[:64],
        not_found=not_found,
    )
