"""Who may see and do what in a coordination file, as plain functions of the actor, the file and
what the actor holds in it (`FileAccess`). The selectors ask these and log the answer; views and
the API never decide for themselves.

- The casusregisseur, acting for the organisation that leads, sees and does everything.
- A team member of the leading organisation sees the whole file: the file is that organisation's.
- A team member of another organisation sees the file on an access grant in force
  (`privacy.AccessGrant`), which rests on a recorded ground — consent per purpose, partner and
  period, or a conflict of duties — and lists the parts the ground opens. Without one they see
  nothing of the family, only their invitation.
- Everyone else, the leading organisation's other staff too, is refused as 'not found'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meldwijzer.coordination.models import (
    BASE_PARTS,
    CoordinationFile,
    FileParts,
    FileState,
    TeamMember,
)
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import AccessGrant

ALL_PARTS = frozenset(FileParts)


@dataclass(frozen=True)
class FileAccess:
    """What one actor holds in one file: their team membership, the grant they read it on (for
    another organisation), and so the parts they may see."""

    file: CoordinationFile
    is_coordinator: bool = False
    member: TeamMember | None = None
    grant: AccessGrant | None = None
    parts: frozenset[str] = field(default_factory=frozenset)

    @property
    def allowed(self) -> bool:
        return bool(self.parts)

    def sees(self, part: str) -> bool:
        return part in self.parts

    @property
    def ground_label(self) -> str:
        """What the access-log row says the disclosure rests on ('toestemming:12'); empty for the
        leading organisation, which reads its own file."""
        if self.grant is None:
            return ""
        return f"{self.grant.ground.kind}:{self.grant.ground_id}"

    @property
    def may_write(self) -> bool:
        """Record agreements, contact notes and plan revisions: an active team member who sees
        the team, on an open file."""
        return (
            self.allowed
            and self.file.state == FileState.OPEN
            and (self.is_coordinator or self.member is not None)
        )

    @property
    def may_lead(self) -> bool:
        """Invite, hand over, plan conferences: the casusregisseur only."""
        return self.is_coordinator and self.file.state == FileState.OPEN


def file_access(
    actor: Actor, file: CoordinationFile, member: TeamMember | None, grant: AccessGrant | None
) -> FileAccess:
    """The access `actor` has to `file`, given their active team membership in it (if any) and
    the grant in force for them (if any). Pure: the caller looks both up."""
    if not actor.can(Permission.CASE_WORK):
        return FileAccess(file)
    own = actor.organisation.pk == file.lead_organisation_id
    if own and file.coordinator_id == actor.user.pk:
        return FileAccess(file, is_coordinator=True, member=member, parts=ALL_PARTS)
    if member is None or member.organisation_id != actor.organisation.pk:
        return FileAccess(file)
    if own:
        return FileAccess(file, member=member, parts=ALL_PARTS)
    if grant is None:
        return FileAccess(file, member=member)
    opened = frozenset(grant.parts) & ALL_PARTS if grant.parts else ALL_PARTS
    return FileAccess(file, member=member, grant=grant, parts=BASE_PARTS | opened)


# What a change asks of the access, for `selectors.file_get(need=…)`: checked before the read is
# logged, so that a refused change is logged as refused only.


def may_write(access: FileAccess) -> bool:
    return access.may_write


def may_lead(access: FileAccess) -> bool:
    return access.may_lead


def is_coordinator(access: FileAccess) -> bool:
    """Acknowledging a 'niet veilig' note: the casusregisseur, also on a closed file."""
    return access.is_coordinator


def may_open_file(actor: Actor) -> bool:
    """Opening a coordination file, and being a casusregisseur: the casusregisseur's role."""
    return actor.can(Permission.CASE_COORDINATE)


def is_veilig_thuis(actor: Actor) -> bool:
    """Someone who works for Veilig Thuis and may read its inbox."""
    return actor.organisation.sector == Sector.VEILIG_THUIS and actor.can(Permission.CASE_WORK)
