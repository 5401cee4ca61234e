"""Reading coordination files with their access checks: every view and API endpoint comes here.

`file_get` returns the file with what the actor holds in it (`rules.FileAccess`) and logs the read
of the part asked for — with the ground, for a reader of another organisation — or refuses it as
'not found' and logs the refusal. A condition for a change (`need`: lead, write) is checked before
anything is logged, so a refused change is one refusal in the log, never a change allowed. `file_list` lists the files the actor is casusregisseur or a team
member of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet

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
from meldwijzer.core.paging import page_of
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


def file_list_queryset(*, actor: Actor, state: str = FileState.OPEN) -> QuerySet[CoordinationFile]:
    """'Mijn regiedossiers': the files the actor coordinates or is an active team member of (for
    another organisation: with a grant in force), newest activity first — filtered and sorted in
    the database. A refusal is logged here; the read by `file_list_read`."""
    if not actor.can(Permission.CASE_WORK):
        events.file_list_refused(actor=actor)
    in_team = TeamMember.objects.filter(
        file=OuterRef("pk"),
        user=actor.user,
        organisation=actor.organisation,
        state=MemberState.ACTIVE,
    )
    granted = privacy_selectors.grants_for_user(
        user=actor.user, organisation=actor.organisation, resource_kind=FILE
    ).filter(resource_id=OuterRef("pk"))
    return (
        CoordinationFile.objects.filter(state=state)
        .filter(
            Q(coordinator=actor.user, lead_organisation=actor.organisation) | Q(Exists(in_team))
        )
        .filter(Q(lead_organisation=actor.organisation) | Q(Exists(granted)))
        .select_related("lead_organisation", "coordinator")
        .order_by("-updated_at", "-pk")
    )


def file_list_read(*, actor: Actor, files: Iterable[CoordinationFile]) -> list[CoordinationFile]:
    """The files a page of the list shows, logged as one read (a list names no client)."""
    shown = list(files)
    events.file_list_read(actor=actor)
    return shown


FILE_PAGE_SIZE = 50


def file_list_page(
    *, actor: Actor, state: str = FileState.OPEN, page: str | int | None = None
) -> Page[CoordinationFile]:
    """One page (50 files) of `file_list_queryset`, counted in the database, logged."""
    found = page_of(file_list_queryset(actor=actor, state=state), page, FILE_PAGE_SIZE)
    file_list_read(actor=actor, files=found.object_list)
    return found


def file_list(*, actor: Actor, state: str = FileState.OPEN) -> list[CoordinationFile]:
    """Every file of `file_list_queryset`, logged (pages use `file_list_page`)."""
    return file_list_read(actor=actor, files=file_list_queryset(actor=actor, state=state))
