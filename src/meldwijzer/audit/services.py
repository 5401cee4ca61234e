"""Writing the access log. Call these in the same transaction as the action they record.

If writing the log fails, `AuditWriteError` is raised and the surrounding transaction — and so the
action — fails with it. Denied attempts are written too; views call `access_denied` outside
any transaction, so the refusal is committed even though the request fails. Every
`AUDIT_CHECKPOINT_EVERY` rows a signed checkpoint of the head goes outside the database once the
row is committed (`audit.checkpoints`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from meldwijzer.audit import chain, checkpoints
from meldwijzer.audit.context import client_ip
from meldwijzer.audit.models import (
    NO_ORGANISATION_CHAIN,
    AccessLogEntry,
    AccessLogHead,
    AccessOutcome,
    Action,
    Purpose,
    Subject,
)
from meldwijzer.organisations.roles import Role

if TYPE_CHECKING:
    from meldwijzer.accounts.models import User
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.organisations.models import Organisation


class AuditWriteError(Exception):
    """The access log could not be written, so the action it records may not happen."""


class ClientMissingError(ValueError):
    """A row about a client's data was asked for without naming the client: a programming error."""


def _checked_subject(subject: Subject, client_id: str, outcome: AccessOutcome) -> str:
    """The subject as stored, after checking that a row about a client's data names the client.

    Only a refusal may lack one: an id that does not exist has no client to name."""
    subject = Subject(subject)
    if subject.is_about_client and not client_id and outcome != AccessOutcome.DENIED:
        raise ClientMissingError(
            f"Een regel over '{subject}' moet de cliënt noemen (client_id ontbreekt)."
        )
    return str(subject)


_PURPOSE_BY_ROLE = {
    Role.POLICY_ADVISER: Purpose.POLICY,
    Role.FUNCTIONAL_ADMIN: Purpose.ADMINISTRATION,
    Role.PLATFORM_ADMIN: Purpose.ADMINISTRATION,
    Role.CASE_COORDINATOR: Purpose.COORDINATION,
}


def derive_purpose(role: str) -> Purpose:
    return _PURPOSE_BY_ROLE.get(role, Purpose.CARE)  # type: ignore[call-overload]


def _stored_address(value: str | None) -> str | None:
    """The client address in the form the database gives back, so the row's hash still matches
    when it is read; None when it is not an IP address."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _head_for_update(chain_id: int) -> AccessLogHead:
    """The chain's head, locked until the transaction ends; created with the chain's first row.
    When two transactions start a new chain at once, the unique `chain` lets one create the head;
    the other's insert fails (on PostgreSQL after waiting for the first to commit), and it then
    locks the head the first one made."""
    heads = AccessLogHead.objects.select_for_update()
    head = heads.filter(chain=chain_id).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AccessLogHead.objects.create(chain=chain_id)
    except IntegrityError:
        return heads.get(chain=chain_id)


def access_log_chain_lock(*, chain: int = NO_ORGANISATION_CHAIN) -> None:
    """Hold a chain's head until the surrounding transaction ends, so that work which decides
    whether to log (such as the bound on failed logins) runs one at a time for that chain."""
    _head_for_update(chain)


def access_log_record(
    *,
    actor: Actor | None,
    action: Action,
    subject: Subject,
    subject_id: str = "",
    client_id: str = "",
    part: str = "",
    ground: str = "",
    purpose: Purpose | None = None,
    outcome: AccessOutcome = AccessOutcome.ALLOWED,
    role: str | None = None,
    user: User | None = None,
    organisation: Organisation | None = None,
    username: str = "",
) -> AccessLogEntry:
    """Append one row to its organisation's chain in the access log and move that chain's head
    along.

    Call it from an app's `events.py`, one typed function per event. A row about a client's data
    (`CLIENT_SUBJECTS`) must name the client unless it records a refusal; otherwise
    `ClientMissingError` is raised and nothing is written."""
    subject_type = _checked_subject(subject, client_id, outcome)
    if actor is not None:
        user = actor.user
        organisation = actor.organisation
        role = role if role is not None else actor.role_for()
    role = role or ""
    chain_id = chain.chain_of(organisation.pk if organisation else None)
    try:
        with transaction.atomic():
            head = _head_for_update(chain_id)
            fields = {
                "chain": chain_id,
                "sequence": head.sequence + 1,
                "occurred_at": timezone.now(),
                "user_id": user.pk if user else None,
                "username": user.get_username() if user else username[:150],
                "organisation_id": organisation.pk if organisation else None,
                "role": role,
                "action": str(action),
                "subject_type": subject_type,
                "subject_id": str(subject_id)[:64],
                "client_id": str(client_id)[:64],
                "part": part,
                "ground": ground[:40],
                "purpose": str(purpose or derive_purpose(role)),
                "outcome": str(outcome),
                "ip_address": _stored_address(client_ip.get()),
            }
            digest = chain.entry_hash(head.entry_hash or chain.GENESIS, fields)
            entry = AccessLogEntry.objects.create(
                previous_hash=head.entry_hash or chain.GENESIS, entry_hash=digest, **fields
            )
            head.sequence = entry.sequence
            head.entry_hash = digest
            head.mac = chain.head_mac(chain_id, entry.sequence, digest)
            head.save(update_fields=["sequence", "entry_hash", "mac"])
            if checkpoints.is_checkpoint_due(entry.sequence):
                transaction.on_commit(
                    partial(checkpoints.checkpoint_after_commit, chain_id, entry.sequence, digest)
                )
    except DatabaseError as error:
        raise AuditWriteError("Het toegangslogboek kon niet worden bijgewerkt.") from error
    return entry


def access_log_record_each(
    *,
    actor: Actor,
    action: Action,
    subject: Subject,
    rows: Sequence[tuple[str, str]],
    part: str = "",
    purpose: Purpose | None = None,
    role: str | None = None,
) -> None:
    """One row per object an actor read at once — a list page that discloses something about
    each of its rows' clients — as `access_log_record` would write them one by one: `rows` holds
    (subject_id, client_id) pairs. The chain's head is locked and moved once, so the number of
    queries does not grow with the number of rows."""
    _record_rows(
        actor=actor,
        action=action,
        subject=subject,
        rows=[(subject_id, client_id, part) for subject_id, client_id in rows],
        purpose=purpose,
        role=role,
    )


def access_log_record_parts(
    *,
    actor: Actor,
    action: Action,
    subject: Subject,
    subject_id: str,
    client_id: str,
    parts: Sequence[str],
    purpose: Purpose | None = None,
    role: str | None = None,
) -> None:
    """One row per part of one object that a page shows at once (the case page: the dossier and
    who looked at it), as `access_log_record` would write them one by one, in one transaction:
    the chain's head is locked and moved once."""
    _record_rows(
        actor=actor,
        action=action,
        subject=subject,
        rows=[(subject_id, client_id, part) for part in parts],
        purpose=purpose,
        role=role,
    )


def _record_rows(
    *,
    actor: Actor,
    action: Action,
    subject: Subject,
    rows: Sequence[tuple[str, str, str]],
    purpose: Purpose | None,
    role: str | None,
) -> None:
    """Append allowed rows of one actor, (subject_id, client_id, part) each, in one transaction."""
    if not rows:
        return
    subject_type = str(Subject(subject))
    for _, client_id, _ in rows:
        _checked_subject(subject, client_id, AccessOutcome.ALLOWED)
    role = role if role is not None else actor.role_for()
    chain_id = chain.chain_of(actor.organisation.pk)
    common = {
        "chain": chain_id,
        "user_id": actor.user.pk,
        "username": actor.user.get_username(),
        "organisation_id": actor.organisation.pk,
        "role": role,
        "action": str(action),
        "subject_type": subject_type,
        "ground": "",
        "purpose": str(purpose or derive_purpose(role)),
        "outcome": str(AccessOutcome.ALLOWED),
        "ip_address": _stored_address(client_ip.get()),
    }
    try:
        with transaction.atomic():
            head = _head_for_update(chain_id)
            # Taken once the head is held, as in `access_log_record`: within a chain, a later row
            # never has an earlier time, so each month holds one stretch of it (ADR 0040).
            common["occurred_at"] = timezone.now()
            previous = head.entry_hash or chain.GENESIS
            sequence = head.sequence
            entries = []
            due = []
            for subject_id, client_id, part in rows:
                sequence += 1
                fields = {
                    **common,
                    "sequence": sequence,
                    "subject_id": str(subject_id)[:64],
                    "client_id": str(client_id)[:64],
                    "part": part,
                }
                digest = chain.entry_hash(previous, fields)
                entries.append(AccessLogEntry(previous_hash=previous, entry_hash=digest, **fields))
                if checkpoints.is_checkpoint_due(sequence):
                    due.append((sequence, digest))
                previous = digest
            AccessLogEntry.objects.bulk_create(entries)
            head.sequence = sequence
            head.entry_hash = previous
            head.mac = chain.head_mac(chain_id, sequence, previous)
            head.save(update_fields=["sequence", "entry_hash", "mac"])
            for due_sequence, digest in due:
                transaction.on_commit(
                    partial(checkpoints.checkpoint_after_commit, chain_id, due_sequence, digest)
                )
    except DatabaseError as error:
        raise AuditWriteError("Het toegangslogboek kon niet worden bijgewerkt.") from error


def access_denied(
    *,
    actor: Actor | None,
    action: Action,
    subject: Subject,
    subject_id: str = "",
    client_id: str = "",
    part: str = "",
    purpose: Purpose | None = None,
    not_found: bool = False,
) -> NoReturn:
    """Record a refused attempt and refuse it: 404 for objects out of reach, 403 otherwise."""
    access_log_record(
        actor=actor,
        action=action,
        subject=subject,
        subject_id=subject_id,
        client_id=client_id,
        part=part,
        purpose=purpose,
        outcome=AccessOutcome.DENIED,
    )
    if not_found:
        raise Http404("Niet gevonden.")
    raise PermissionDenied("U hebt geen toegang tot deze gegevens.")
