"""Reading coordination files with their access checks: every view and API endpoint comes here.

`file_get` returns the file with what the actor holds in it (`rules.FileAccess`) and logs the read
of the part asked for — with the ground, for a reader of another organisation — or refuses it as
'not found' and logs the refusal. A condition for a change (`need`: lead, write) is checked before
anything is logged, so a refused change is one refusal in the log, never a change allowed. `file_list` lists the files the actor is casusregisseur or a team
member of.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from meldwijzer.audit.models import Action
from meldwijzer.coordination import events, rules
from meldwijzer.coordination.models import (
    CoordinationFile,
    FileParts,
    FileState,
    MemberState,
    TeamMember,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy.models import ResourceKind

FILE = ResourceKind.COORDINATION_FILE


def active_member(actor: Actor, file: CoordinationFile) -> TeamMember | None:
    return TeamMember.objects.filter(
        file=file, user=actor.user, organisation=actor.organisation, state=MemberState.ACTIVE
    ).first()


def file_access_for(actor: Actor, file: CoordinationFile) -> FileAccess:
    """What `actor` holds in `file` now, without logging (for deciding what to offer)."""
    member = active_member(actor, file)
    grant = None
    if member is not None and member.organisation_id != file.lead_organisation_id:
        grant = privacy_selectors.grant_active(
            user=actor.user,
            organisation=actor.organisation,
            resource_kind=FILE,
            resource_id=file.pk,
        )
    return rules.file_access(actor, file, member, grant)


def file_get(
    *,
    actor: Actor,
    file_id: int,
    part: str = FileParts.TEAM,
    action: Action = Action.READ,
    need: Callable[[FileAccess], bool] | None = None,
) -> FileAccess:
    """One file the actor may see `part` of (and, with `need`, may do what is asked in), logged;
    anything else is 'not found' and logged."""
    file = (
        CoordinationFile.objects.select_related("lead_organisation", "coordinator")
        .filter(pk=file_id)
        .first()
    )
    if file is None:
        events.file_refused(actor=actor, file_id=file_id, file=None, part=part, action=action)
    access = file_access_for(actor, file)
    if not access.sees(part) or (need is not None and not need(access)):
        events.file_refused(actor=actor, file_id=file_id, file=file, part=part, action=action)
    events.file_event(actor=actor, file=file, action=action, part=part, access=access)
    return access


def file_list(*, actor: Actor, state: str = FileState.OPEN) -> list[CoordinationFile]:
    """'Mijn regiedossiers': the files the actor coordinates or is an active team member of (for
    another organisation: with a grant in force), newest activity first. One query for the files,
    one for the grants, whatever their number."""
    if not actor.can(Permission.CASE_WORK):
        events.file_list_refused(actor=actor)
    files = (
        CoordinationFile.objects.filter(state=state)
        .filter(
            Q(coordinator=actor.user, lead_organisation=actor.organisation)
            | Q(
                team__user=actor.user,
                team__organisation=actor.organisation,
                team__state=MemberState.ACTIVE,
            )
        )
        .select_related("lead_organisation", "coordinator")
        .distinct()
    )
    granted = set(
        privacy_selectors.grants_for_user(
            user=actor.user, organisation=actor.organisation, resource_kind=FILE
        ).values_list("resource_id", flat=True)
    )
    events.file_list_read(actor=actor)
    return [
        file
        for file in files
        if file.lead_organisation_id == actor.organisation.pk or file.pk in granted
    ]
