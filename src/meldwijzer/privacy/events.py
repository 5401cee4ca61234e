"""What happens to grounds for sharing, grants and retention periods, as access-log events: one
typed function per event, one row each. A ground or a grant is about one client's data, so its row
names the client pseudonym it was recorded for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record, access_log_record_each
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import ResourceKind

if TYPE_CHECKING:
    from meldwijzer.audit.partitions import Month
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.organisations.models import Organisation
    from meldwijzer.privacy.models import AccessGrant, LegalHold, SharingGround
    from meldwijzer.privacy.retention import RetentionPeriod
    from meldwijzer.privacy.retention_sources import RetainedFile


def _ground(actor: Actor, ground: SharingGround, action: Action, part: str) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.SHARING_GROUND,
        subject_id=str(ground.pk),
        client_id=ground.client_pseudonym,
        part=part,
        role=actor.role_for(Permission.CASE_WORK),
        purpose=Purpose.CARE,
    )


def ground_recorded(*, actor: Actor, ground: SharingGround) -> None:
    _ground(actor, ground, Action.CREATE, ground.kind)


def consent_withdrawn(*, actor: Actor, ground: SharingGround) -> None:
    _ground(actor, ground, Action.UPDATE, "intrekken")


# Why a kind of file is shared: a consultation summary to advise, a family's file to coordinate.
_GRANT_PURPOSE = {"consultatieverslag": Purpose.CONSULTATION, "regiedossier": Purpose.COORDINATION}


def _grant(actor: Actor, grant: AccessGrant, action: Action, part: str) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.ACCESS_GRANT,
        subject_id=str(grant.pk),
        client_id=grant.client_pseudonym,
        part=part,
        role=actor.role_for(Permission.CASE_WORK),
        purpose=_GRANT_PURPOSE.get(grant.resource_kind, Purpose.CONSULTATION),
    )


def access_granted(*, actor: Actor, grant: AccessGrant) -> None:
    _grant(actor, grant, Action.CREATE, grant.resource_kind)


def access_grant_revoked(*, actor: Actor, grant: AccessGrant) -> None:
    _grant(actor, grant, Action.UPDATE, "intrekken")


def retention_period_set(*, actor: Actor, file_kind: str) -> None:
    """The organisation's own retention period for one kind of file, set or returned to default."""
    access_log_record(
        actor=actor,
        action=Action.UPDATE,
        subject=Subject.RETENTION,
        subject_id=file_kind,
        role=actor.role_for(Permission.RETENTION_MANAGE),
        purpose=Purpose.ADMINISTRATION,
    )


def retention_change_refused(*, actor: Actor) -> NoReturn:
    """Someone without the permission tried to set a retention period: refused and logged."""
    access_denied(actor=actor, action=Action.UPDATE, subject=Subject.RETENTION)


def _hold(actor: Actor, hold: LegalHold, action: Action, part: str) -> None:
    access_log_record(
        actor=actor,
        action=action,
        subject=Subject.LEGAL_HOLD,
        subject_id=str(hold.pk),
        client_id=hold.client_pseudonym,
        part=part,
        role=actor.role_for(Permission.RETENTION_HOLD),
        purpose=Purpose.ADMINISTRATION,
    )


def legal_hold_placed(*, actor: Actor, hold: LegalHold) -> None:
    _hold(actor, hold, Action.CREATE, f"{hold.resource_kind}:{hold.resource_id}")


def legal_hold_lifted(*, actor: Actor, hold: LegalHold) -> None:
    _hold(actor, hold, Action.UPDATE, "opheffen")


def legal_hold_refused(*, actor: Actor, resource_kind: str, resource_id: int) -> NoReturn:
    """Someone tried to place or see a hold on a file out of their reach: refused as 'not
    found' and logged, naming the file asked for."""
    access_denied(
        actor=actor,
        action=Action.UPDATE,
        subject=Subject.LEGAL_HOLD,
        subject_id=f"{resource_kind}:{resource_id}"[:64],
        not_found=True,
    )


# What the access log calls each kind of file the retention job destroys.
_DESTROYED_SUBJECT = {
    ResourceKind.CASE: Subject.CASE,
    ResourceKind.COORDINATION_FILE: Subject.COORDINATION_FILE,
    ResourceKind.FOLLOWUP_PLAN: Subject.FOLLOWUP_PLAN,
    ResourceKind.INCOMING_REPORT: Subject.INCOMING_REPORT,
}


def file_destroyed(
    *, file: RetainedFile, period: RetentionPeriod, organisation: Organisation
) -> None:
    """The retention job destroyed one file: a row in the owning organisation's chain, by no
    user, naming the client pseudonym, the file, 'bewaartermijn verstreken' with the period, and
    the table the period came from (the default table of its date, or the organisation's own
    period of its date) — the basis itself is in that table."""
    table = "eigen termijn" if period.overridden else "bewaartabel"
    access_log_record(
        actor=None,
        organisation=organisation,
        username=JOB_USERNAME,
        action=Action.DELETE,
        subject=_DESTROYED_SUBJECT[ResourceKind(file.resource_kind)],
        subject_id=str(file.file_id),
        client_id=file.client_pseudonym,
        part=f"bewaartermijn verstreken: {period.years} jaar"[:40],
        ground=f"{table} {period.as_of:%Y-%m-%d}",
        purpose=Purpose.ADMINISTRATION,
    )


# The name the retention job's rows carry instead of a user.
JOB_USERNAME = "bewaartermijn (meldwijzer retention)"
PRUNE_USERNAME = "bewaartermijn (meldwijzer audit prune)"


def access_log_pruned(*, term: RetentionPeriod, months: Sequence[Month]) -> None:
    """The access log's months older than its term were removed: a row in the chain without an
    organisation (every organisation's chain lost those months), by no user, naming the months,
    'bewaartermijn verstreken' with the term, and the table the term came from."""
    table = "eigen termijn" if term.overridden else "bewaartabel"
    access_log_record(
        actor=None,
        username=PRUNE_USERNAME,
        action=Action.DELETE,
        subject=Subject.ACCESS_LOG,
        subject_id=f"{months[0]} t/m {months[-1]}",
        part=f"bewaartermijn verstreken: {term.years} jaar"[:40],
        ground=f"{table} {term.as_of:%Y-%m-%d}",
        purpose=Purpose.ADMINISTRATION,
    )


def legal_hold_forbidden(*, actor: Actor) -> NoReturn:
    """Someone without the permission asked for holds: refused (403) and logged."""
    access_denied(actor=actor, action=Action.READ, subject=Subject.LEGAL_HOLD)


def legal_holds_read(*, actor: Actor, holds: Sequence[LegalHold]) -> None:
    """A list of holds read: one row per hold, naming its client."""
    access_log_record_each(
        actor=actor,
        action=Action.READ,
        subject=Subject.LEGAL_HOLD,
        rows=[(str(hold.pk), hold.client_pseudonym) for hold in holds],
        role=actor.role_for(Permission.RETENTION_HOLD),
        purpose=Purpose.ADMINISTRATION,
    )
