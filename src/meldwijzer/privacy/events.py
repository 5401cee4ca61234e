"""What happens to grounds for sharing, grants and retention periods, as access-log events: one
typed function per event, one row each. A ground or a grant is about one client's data, so its row
names the client pseudonym it was recorded for."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.privacy.models import AccessGrant, SharingGround


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
