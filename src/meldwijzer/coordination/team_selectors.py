"""Reading the team, the family, agreements and invitations, with their access checks.

`file_for` is `selectors.file_get` with one more condition (lead, write, keep the family): the
condition is checked *before* the read is logged, so a refusal is one logged 'not found' and
never a read. Objects inside a file (a team member, someone of the family, an agreement) are
looked up in that file only; an id of another file is 'not found', logged.

An invitation is read by the invited professional only, before they see anything of the family:
what the file is called (without names), who leads it, what is asked of them and on what ground.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Min, Model, Q, QuerySet
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.coordination import events
from meldwijzer.coordination.models import (
    Agreement,
    AgreementState,
    CoordinationFile,
    FamilyMember,
    FileParts,
    FileState,
    MemberState,
    TeamMember,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.selectors import FILE, file_get
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import selectors as privacy_selectors

M = TypeVar("M", bound=Model)


def file_for(
    *,
    actor: Actor,
    file_id: int,
    part: str = FileParts.TEAM,
    action: Action = Action.READ,
    need: Callable[[FileAccess], bool] | None = None,
) -> FileAccess:
    """The file, if the actor sees `part` of it and (with `need`) may do what is asked; the read
    is logged with its ground. Anything else is 'not found', logged (`selectors.file_get`)."""
    return file_get(actor=actor, file_id=file_id, part=part, action=action, need=need)


def may_keep_family(access: FileAccess) -> bool:
    """Adding and correcting the family: the leading organisation's team (see `team`)."""
    return access.may_write and access.sees(FileParts.FAMILY) and access.grant is None


def _in_file(
    actor: Actor,
    access: FileAccess,
    queryset: QuerySet[M],
    object_id: int,
    part: str,
    action: Action,
) -> M:
    found = queryset.filter(file=access.file, pk=object_id).first()
    if found is None:
        events.file_refused(
            actor=actor, file_id=access.file.pk, file=access.file, part=part, action=action
        )
    return found


def team_member_get(
    *, actor: Actor, access: FileAccess, team_member_id: int, action: Action = Action.UPDATE
) -> TeamMember:
    queryset = TeamMember.objects.select_related("user", "organisation", "grant", "ground", "file")
    member: TeamMember = _in_file(actor, access, queryset, team_member_id, "team", action)
    return member


def team_member_to_end(*, actor: Actor, access: FileAccess, team_member_id: int) -> TeamMember:
    """A membership the actor may end: anyone's for the casusregisseur, their own for a member.
    Any other is 'not found', logged."""
    member = team_member_get(actor=actor, access=access, team_member_id=team_member_id)
    own = member.user_id == actor.user.pk and member.organisation_id == actor.organisation.pk
    if not (access.may_lead or own):
        events.file_refused(
            actor=actor, file_id=access.file.pk, file=access.file, part="team", action=Action.UPDATE
        )
    return member


def family_member_get(
    *, actor: Actor, access: FileAccess, family_member_id: int, action: Action = Action.UPDATE
) -> FamilyMember:
    member: FamilyMember = _in_file(
        actor, access, FamilyMember.objects.all(), family_member_id, FileParts.FAMILY, action
    )
    return member


def agreement_get(
    *, actor: Actor, access: FileAccess, agreement_id: int, action: Action = Action.UPDATE
) -> Agreement:
    queryset = Agreement.objects.select_related("owner")
    agreement: Agreement = _in_file(actor, access, queryset, agreement_id, "afspraak", action)
    return owner_names_for(access, [agreement])[0]


def owner_names_for(access: FileAccess, agreements: list[Agreement]) -> list[Agreement]:
    """Who of the family or network keeps an agreement is a name of the family: read with the
    `gezin` part only. For anyone else the agreements (as read, never saved) name the party
    ('Gezin', 'Netwerk') instead."""
    if not access.sees(FileParts.FAMILY):
        for agreement in agreements:
            if agreement.owner_id is None:
                agreement.owner_name = str(agreement.get_party_display())
    return agreements


# --- Lists in a file (one query each, whatever their length) -------------------------------------


def team_list(file: CoordinationFile, *, current: bool = True) -> list[TeamMember]:
    """The team: active members and waiting invitations, or (current=False) everyone who ever
    was invited, with their organisation."""
    members = TeamMember.objects.filter(file=file).select_related(
        "user", "organisation", "ground", "grant__ground"
    )
    if current:
        members = members.filter(state__in=[MemberState.ACTIVE, MemberState.INVITED])
    return list(members.order_by("invited_at", "pk"))


def family_list(file: CoordinationFile) -> list[FamilyMember]:
    return list(FamilyMember.objects.filter(file=file).order_by("role", "name", "pk"))


def agreement_list(access: FileAccess) -> list[Agreement]:
    """The file's agreements: open ones first (soonest due first), then the rest; the family's
    names only for who sees the family (`owner_names_for`)."""
    agreements = Agreement.objects.filter(file=access.file).select_related("owner")
    return owner_names_for(
        access,
        sorted(agreements, key=lambda a: (a.state != AgreementState.OPEN, a.due_date, a.pk)),
    )


# --- Invitations ----------------------------------------------------------------------------------


def invitation_list(*, actor: Actor) -> list[TeamMember]:
    """The invitations waiting for the actor, acting for their organisation, in open files."""
    if not actor.can(Permission.CASE_WORK):
        events.file_list_refused(actor=actor)
    events.file_list_read(actor=actor)
    return list(
        TeamMember.objects.filter(
            user=actor.user,
            organisation=actor.organisation,
            state=MemberState.INVITED,
            file__state=FileState.OPEN,
        )
        .select_related(
            "file__lead_organisation", "file__coordinator", "invited_by", "ground", "organisation"
        )
        .order_by("-invited_at", "-pk")
    )


def invitation_get(
    *, actor: Actor, invitation_id: int, action: Action = Action.UPDATE
) -> TeamMember:
    """One invitation waiting for the actor; any other is 'not found', logged with its file."""
    member = (
        TeamMember.objects.select_related("file__lead_organisation", "file__coordinator", "ground")
        .filter(pk=invitation_id)
        .first()
    )
    if (
        member is None
        or member.user_id != actor.user.pk
        or member.organisation_id != actor.organisation.pk
        or member.state != MemberState.INVITED
        or member.file.state != FileState.OPEN
    ):
        file = member.file if member is not None else None
        events.file_refused(
            actor=actor,
            file_id=file.pk if file is not None else 0,
            file=file,
            part="uitnodiging",
            action=action,
        )
    events.file_event(actor=actor, file=member.file, action=action, part="uitnodiging")
    return member


# --- Overdue agreements, for the worklist ---------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    """Overdue open agreements in one file: how many, since when, how many are the actor's."""

    file: CoordinationFile
    count: int
    mine: int
    oldest: datetime.date


def overdue_agreements(*, actor: Actor) -> list[Overdue]:
    """Files with open agreements past their date, for the casusregisseur (all of the file's)
    and for a team member who owns one (theirs). Counts only, no content: the file itself shows
    and logs the agreements. Two queries, whatever the number of files."""
    today = timezone.localdate()
    overdue = Q(agreements__state=AgreementState.OPEN, agreements__due_date__lt=today)
    mine = overdue & Q(agreements__owner=actor.user)
    files = (
        CoordinationFile.objects.filter(state=FileState.OPEN)
        .filter(
            Q(coordinator=actor.user, lead_organisation=actor.organisation)
            | Q(
                team__user=actor.user,
                team__organisation=actor.organisation,
                team__state=MemberState.ACTIVE,
            )
        )
        .distinct()
    )
    rows = (
        CoordinationFile.objects.filter(pk__in=files.values("pk"))
        .annotate(
            overdue_count=Count("agreements", filter=overdue, distinct=True),
            mine_count=Count("agreements", filter=mine, distinct=True),
            oldest=Min("agreements__due_date", filter=overdue),
        )
        .filter(overdue_count__gt=0)
        .order_by("oldest", "pk")
    )
    granted: set[int] | None = None
    result = []
    for file in rows:
        coordinates = (
            file.coordinator_id == actor.user.pk
            and file.lead_organisation_id == actor.organisation.pk
        )
        if not coordinates and file.mine_count == 0:
            continue
        if file.lead_organisation_id != actor.organisation.pk:
            if granted is None:
                granted = set(
                    privacy_selectors.grants_for_user(
                        user=actor.user, organisation=actor.organisation, resource_kind=FILE
                    ).values_list("resource_id", flat=True)
                )
            if file.pk not in granted:
                continue
        result.append(
            Overdue(
                file=file,
                count=file.overdue_count if coordinates else file.mine_count,
                mine=file.mine_count,
                oldest=file.oldest,
            )
        )
    return result
