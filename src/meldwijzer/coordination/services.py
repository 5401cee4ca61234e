"""Opening a coordination file and putting people in its team: the writes every other part of
coordination builds on. Each service is keyword-only, takes plain data, checks the rules, and
writes its rows and access-log rows in one transaction.

The area modules hold the rest: `inbox` (reports arriving at Veilig Thuis), `handover`,
`team` (invitations, the casusregisseur), `agreements`, `safety_plan`, `contacts`, `matching`,
`conferences`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.coordination import events, matching, rules
from meldwijzer.coordination.models import (
    CoordinationFile,
    FamilyMember,
    FamilyRole,
    FileParts,
    MemberState,
    TeamMember,
)
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import AccessGrant, GroundKind, ResourceKind, SharingGround
from meldwijzer.privacy.pseudonyms import identity_key, identity_key_id


class CoordinationError(Exception):
    """Something that cannot be done in a file; the message is shown to the professional."""


class ConflictError(CoordinationError):
    """Someone else changed the same thing first; nothing was overwritten."""


@dataclass(frozen=True)
class FamilyMemberData:
    role: str
    name: str
    relation: str = ""
    date_of_birth: datetime.date | None = None
    phone: str = ""
    bsn: str = ""
    """Only to make the identity key for matching; never stored."""


def _reference(now: datetime.datetime) -> str:
    count = CoordinationFile.objects.filter(opened_at__year=now.year).count() + 1
    while True:
        reference = f"RD-{now.year}-{count:04d}"
        if not CoordinationFile.objects.filter(reference=reference).exists():
            return reference
        count += 1


def family_member_add(
    *, file: CoordinationFile, member: FamilyMemberData, now: datetime.datetime | None = None
) -> FamilyMember:
    """Add someone of the family or network to the file (the caller checks and logs)."""
    if member.role not in FamilyRole.values:
        raise CoordinationError("Kies de rol in het gezin of netwerk.")
    name = member.name.strip()
    if not name:
        raise CoordinationError("Vul de naam in.")
    key = identity_key(bsn=member.bsn, name=name, date_of_birth=member.date_of_birth)
    family_member = FamilyMember.objects.create(
        file=file,
        role=member.role,
        name=name[:200],
        relation=member.relation.strip()[:120],
        date_of_birth=member.date_of_birth,
        phone=member.phone.strip()[:30],
        identity_key=key,
        identity_key_id=identity_key_id() if key else "",
        added_at=now or timezone.now(),
    )
    # Another organisation may have registered the same person: both are told (`matching`).
    matching.family_member_registered(family_member)
    return family_member


@transaction.atomic
def file_open(
    *,
    actor: Actor,
    title: str,
    family: Sequence[FamilyMemberData] = (),
    role_description: str = "Ik ben de casusregisseur: uw vaste aanspreekpunt.",
    phone: str = "",
) -> CoordinationFile:
    """Open a coordination file with the actor as its casusregisseur and first team member."""
    if not rules.may_open_file(actor):
        raise CoordinationError("Alleen een casusregisseur kan een regiedossier openen.")
    title = title.strip()
    if not title:
        raise CoordinationError("Geef het regiedossier een korte omschrijving, zonder namen.")
    if len(title) > 120:
        raise CoordinationError("Houd de omschrijving korter dan 120 tekens.")
    now = timezone.now()
    fields = {
        "title": title,
        "lead_organisation": actor.organisation,
        "coordinator": actor.user,
        "opened_by": actor.user,
        "opened_at": now,
        "updated_at": now,
    }
    for attempt in range(10):
        try:
            with transaction.atomic():
                file = CoordinationFile.objects.create(reference=_reference(now), **fields)
            break
        except IntegrityError:
            if attempt == 9:
                raise
    TeamMember.objects.create(
        file=file,
        user=actor.user,
        organisation=actor.organisation,
        role_description=role_description.strip()[:500],
        phone=phone.strip()[:30] or actor.user.phone,
        state=MemberState.ACTIVE,
        invited_by=actor.user,
        invited_at=now,
        answered_at=now,
    )
    for member in family:
        family_member_add(file=file, member=member, now=now)
    events.file_event(actor=actor, file=file, action=Action.CREATE, part="regiedossier")
    return file


def file_touch(file: CoordinationFile, *, expected_version: int | None = None) -> None:
    """Mark the file changed; with `expected_version`, refuse when someone else changed it since
    (the caller's transaction then rolls back)."""
    queryset = CoordinationFile.objects.filter(pk=file.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    changed = queryset.update(updated_at=timezone.now(), version=F("version") + 1)
    if not changed:
        raise ConflictError(
            "Iemand anders heeft dit regiedossier intussen gewijzigd. Laad de pagina opnieuw en "
            "kijk of uw wijziging nog nodig is."
        )
    file.refresh_from_db(fields=["updated_at", "version"])


def team_grant_terms_check(
    *,
    file: CoordinationFile,
    organisation: Organisation,
    ground: SharingGround | None,
    parts: Iterable[str],
    until: datetime.date | None,
) -> None:
    """Refuse the terms on which a professional of another organisation would read the file: a
    ground of the leading organisation for this family, in force, and an end date it covers.
    Checked when the casusregisseur invites, and again (by `privacy`) when the grant is made."""
    if organisation.pk == file.lead_organisation_id:
        return
    if ground is None or until is None:
        raise CoordinationError(
            "Voor een professional van een andere organisatie is een grondslag nodig: "
            "toestemming van het gezin of een conflict van plichten, en een einddatum."
        )
    unknown = set(parts) - set(FileParts.values)
    if unknown:
        raise CoordinationError("Onbekend onderdeel van het dossier: " + ", ".join(sorted(unknown)))
    if (
        ground.organisation_id != file.lead_organisation_id
        or ground.client_pseudonym != file.client_pseudonym
    ):
        raise CoordinationError("Deze grondslag hoort niet bij dit gezin.")
    if not ground.in_force:
        raise CoordinationError("Deze grondslag geldt niet meer (ingetrokken of verlopen).")
    if ground.kind == GroundKind.MELDRECHT and organisation.sector != Sector.VEILIG_THUIS:
        raise CoordinationError(
            "Het meldrecht geldt alleen voor Veilig Thuis. Voor delen met een andere organisatie "
            "is toestemming nodig, of een conflict van plichten."
        )
    try:
        privacy_services.grant_until_check(ResourceKind.COORDINATION_FILE, until)
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error
    if ground.valid_until is not None and until > ground.valid_until:
        raise CoordinationError(
            f"De grondslag geldt tot en met {ground.valid_until:%d-%m-%Y}; kies uiterlijk die "
            "datum."
        )


def team_grant_create(
    *,
    actor: Actor,
    file: CoordinationFile,
    user: User,
    organisation: Organisation,
    ground: SharingGround | None,
    parts: Iterable[str],
    until: datetime.date | None,
) -> AccessGrant | None:
    """The grant on which `user`, acting for `organisation`, reads the file: none for the leading
    organisation; for another, on `ground` for the team and `parts` until `until`. `actor` is the
    casusregisseur, who gives it (the caller's transaction holds it)."""
    if organisation.pk == file.lead_organisation_id:
        return None
    team_grant_terms_check(
        file=file, organisation=organisation, ground=ground, parts=parts, until=until
    )
    assert ground is not None and until is not None
    try:
        return privacy_services.access_grant_create(
            actor=actor,
            user=user,
            organisation=organisation,
            resource_kind=ResourceKind.COORDINATION_FILE,
            resource_id=file.pk,
            client_pseudonym=file.client_pseudonym,
            ground=ground,
            until=until,
            parts=sorted({FileParts.TEAM, *parts}),
        )
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error


@transaction.atomic
def team_member_add(
    *,
    actor: Actor,
    file: CoordinationFile,
    user: User,
    organisation: Organisation,
    role_description: str,
    ground: SharingGround | None = None,
    parts: Iterable[str] = (),
    until: datetime.date | None = None,
    phone: str = "",
) -> TeamMember:
    """Put `user` (acting for `organisation`) in the team at once, active. Someone of another
    organisation than the leading one needs a ground of the leading organisation and reads the
    file on a grant for `parts` until `until`, made by `team_grant_create` — as when an invited
    professional accepts (`team.invitation_accept`). The demo and tests use it directly."""
    if not rules.file_access(actor, file, None, None).may_lead:
        raise CoordinationError("Alleen de casusregisseur stelt het team samen.")
    description = role_description.strip()
    if not description:
        raise CoordinationError(
            "Beschrijf wat het gezin en het team van deze professional mogen verwachten."
        )
    grant = team_grant_create(
        actor=actor,
        file=file,
        user=user,
        organisation=organisation,
        ground=ground,
        parts=parts,
        until=until,
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                file=file,
                user=user,
                organisation=organisation,
                role_description=description[:500],
                phone=phone.strip()[:30] or user.phone,
                state=MemberState.ACTIVE,
                grant=grant,
                invited_by=actor.user,
                invited_at=now,
                answered_at=now,
            )
    except IntegrityError as error:
        raise CoordinationError("Deze professional zit al in het team.") from error
    file_touch(file)
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part="team")
    return member
