"""The team around a family: invitations, leaving, the family and its network, the next contact.

The casusregisseur *invites* a professional — of the leading organisation, or of another one —
with what the family and the team may expect of them. For another organisation the invitation
carries the terms on which they would read the file: the ground (consent per purpose, partner and
period, or a conflict of duties), the parts it opens and the end date. Nothing is shared while the
invitation waits: the access grant is made only when the professional accepts, and an invitation
that is declined leaves nothing behind.

A member can leave; the casusregisseur can end a membership. Either way the grant is revoked at
once. When the family withdraws its consent, every membership resting on it ends with it.

Every service is keyword-only, checks the rules of `rules.FileAccess`, and writes its rows and its
access-log row in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.coordination import events
from meldwijzer.coordination.models import (
    CoordinationFile,
    FamilyMember,
    FamilyRole,
    FileParts,
    MemberState,
    TeamMember,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import (
    ConflictError,
    CoordinationError,
    FamilyMemberData,
    family_member_add,
    file_touch,
    team_grant_create,
    team_grant_terms_check,
)
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import AccessGrant, GroundKind, SharingGround

# The part of the file each change is logged under.
TEAM = FileParts.TEAM
FAMILY = FileParts.FAMILY


def _lead_actor(file: CoordinationFile) -> Actor:
    """The casusregisseur acting for the leading organisation: who gives and revokes grants, also
    when the professional themselves accepts or leaves."""
    actor = actor_for_user(user=file.coordinator, organisation_id=file.lead_organisation_id)
    if actor is None or actor.organisation.pk != file.lead_organisation_id:
        raise CoordinationError(
            "De casusregisseur werkt niet meer voor de organisatie met de regie. Neem contact op "
            "met die organisatie."
        )
    return actor


def _grant_revoke(file: CoordinationFile, grant: AccessGrant | None) -> None:
    if grant is None or grant.revoked_at is not None:
        return
    # Already revoked in the meantime: nothing is left to close.
    with contextlib.suppress(privacy_services.SharingError):
        privacy_services.access_grant_revoke(actor=_lead_actor(file), grant=grant)


@dataclass(frozen=True)
class NewGround:
    """A ground recorded with the invitation: the family's consent (who gave it, until when) or
    a conflict of duties (every check confirmed, with the reasoning)."""

    kind: str
    given_by: str = ""
    reasoning: str = ""
    checks: tuple[str, ...] = ()
    valid_until: datetime.date | None = None


PURPOSE = "Samenwerken aan de veiligheid van het gezin"


def _ground_record(
    actor: Actor,
    file: CoordinationFile,
    user: User,
    organisation: Organisation,
    parts: Iterable[str],
    new: NewGround,
) -> SharingGround:
    try:
        return privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=file.client_pseudonym,
            kind=new.kind,
            what=", ".join(FileParts(part).label.lower() for part in (FileParts.TEAM, *parts)),
            with_whom=f"{user.get_full_name() or user.username}, {organisation.name}",
            purpose=PURPOSE,
            given_by=new.given_by,
            reasoning=new.reasoning,
            checks=new.checks,
            valid_until=new.valid_until,
        )
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error


@transaction.atomic
def invitation_send(
    *,
    actor: Actor,
    access: FileAccess,
    user: User,
    organisation: Organisation,
    role_description: str,
    phone: str = "",
    ground: SharingGround | None = None,
    parts: Iterable[str] = (),
    until: datetime.date | None = None,
    new_ground: NewGround | None = None,
) -> TeamMember:
    """Invite `user`, acting for `organisation`, into the team. For another organisation than
    the leading one the invitation holds the ground, the parts and the end date; the grant is
    made only when they accept (`invitation_accept`). A `new_ground` is recorded with it, in the
    same transaction: a refused invitation records nothing."""
    file = access.file
    if not access.may_lead:
        raise CoordinationError("Alleen de casusregisseur nodigt professionals uit.")
    description = role_description.strip()
    if not description:
        raise CoordinationError(
            "Beschrijf wat het gezin en het team van deze professional mogen verwachten."
        )
    if len(description) > 500:
        raise CoordinationError("Houd de beschrijving korter dan 500 tekens.")
    member_actor = actor_for_user(user=user, organisation_id=organisation.pk)
    if (
        member_actor is None
        or member_actor.organisation.pk != organisation.pk
        or not member_actor.can(Permission.CASE_WORK)
    ):
        raise CoordinationError(
            "Deze persoon werkt niet (meer) als professional voor die organisatie."
        )
    other = organisation.pk != file.lead_organisation_id
    parts = sorted(set(parts) - {FileParts.TEAM}) if other else []
    if other and new_ground is not None and ground is None:
        if set(parts) - set(FileParts.values):
            raise CoordinationError("Onbekend onderdeel van het dossier.")
        ground = _ground_record(actor, file, user, organisation, parts, new_ground)
    team_grant_terms_check(
        file=file, organisation=organisation, ground=ground, parts=parts, until=until
    )
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                file=file,
                user=user,
                organisation=organisation,
                role_description=description,
                phone=phone.strip()[:30] or user.phone,
                state=MemberState.INVITED,
                ground=ground if other else None,
                parts=parts,
                until=until if other else None,
                invited_by=actor.user,
                invited_at=timezone.now(),
            )
    except IntegrityError as error:
        raise CoordinationError(
            "Deze professional zit al in het team of is al uitgenodigd."
        ) from error
    file_touch(file)
    events.file_event(actor=actor, file=file, action=Action.CREATE, part="uitnodiging")
    return member


def _open_invitation(actor: Actor, member: TeamMember) -> CoordinationFile:
    if (
        member.user_id != actor.user.pk
        or member.organisation_id != actor.organisation.pk
        or member.state != MemberState.INVITED
    ):
        raise CoordinationError("Deze uitnodiging is niet (meer) voor u.")
    file = member.file
    if file.state != "open":
        raise CoordinationError("Dit regiedossier is afgesloten.")
    return file


@transaction.atomic
def invitation_accept(*, actor: Actor, member: TeamMember) -> TeamMember:
    """The invited professional joins the team. Now, and not before, the grant for another
    organisation is made — on the ground of the invitation, which must still be in force."""
    member = TeamMember.objects.select_for_update().select_related("file").get(pk=member.pk)
    file = _open_invitation(actor, member)
    grant = team_grant_create(
        actor=_lead_actor(file),
        file=file,
        user=member.user,
        organisation=member.organisation,
        ground=member.ground,
        parts=member.parts,
        until=member.until,
    )
    member.state = MemberState.ACTIVE
    member.grant = grant
    member.answered_at = timezone.now()
    member.save(update_fields=["state", "grant", "answered_at"])
    file_touch(file)
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part="uitnodiging aangenomen")
    return member


@transaction.atomic
def invitation_decline(*, actor: Actor, member: TeamMember) -> TeamMember:
    """The invited professional declines; nothing was shared, nothing is."""
    member = TeamMember.objects.select_for_update().select_related("file").get(pk=member.pk)
    file = _open_invitation(actor, member)
    member.state = MemberState.DECLINED
    member.answered_at = timezone.now()
    member.save(update_fields=["state", "answered_at"])
    file_touch(file)
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part="uitnodiging afgeslagen")
    return member


def _membership_close(member: TeamMember, now: datetime.datetime) -> None:
    grant = member.grant
    member.state = MemberState.LEFT
    member.left_at = now
    member.save(update_fields=["state", "left_at"])
    _grant_revoke(member.file, grant)


@transaction.atomic
def membership_end(*, actor: Actor, access: FileAccess, member: TeamMember) -> TeamMember:
    """End a membership or withdraw a waiting invitation: the casusregisseur for anyone but
    themselves, or a member for themselves (leaving). The grant is revoked at once."""
    file = access.file
    member = TeamMember.objects.select_for_update().select_related("file").get(pk=member.pk)
    if member.file_id != file.pk or member.state not in (MemberState.INVITED, MemberState.ACTIVE):
        raise CoordinationError("Deze professional zit niet (meer) in het team.")
    if member.user_id == file.coordinator_id:
        raise CoordinationError(
            "De casusregisseur blijft in het team tot de regie is overgedragen."
        )
    own = member.user_id == actor.user.pk and member.organisation_id == actor.organisation.pk
    if not (access.may_lead or (own and access.member is not None)):
        raise CoordinationError("Alleen de casusregisseur beëindigt iemands deelname.")
    _membership_close(member, timezone.now())
    file_touch(file)
    part = "team verlaten" if own else "deelname beëindigd"
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part=part, access=access)
    return member


@transaction.atomic
def member_consent_withdraw(
    *, actor: Actor, access: FileAccess, member: TeamMember, note: str = ""
) -> SharingGround:
    """Record that the family withdrew the consent a member's sharing rests on. The ground
    stays as history; what it opened ends with it: every membership and waiting invitation of
    this file on that ground, and their grants."""
    if not access.may_lead:
        raise CoordinationError(
            "Alleen de casusregisseur legt vast dat toestemming is ingetrokken."
        )
    ground = member.ground or (member.grant.ground if member.grant is not None else None)
    if member.file_id != access.file.pk or ground is None:
        raise CoordinationError("De deelname van deze professional rust niet op toestemming.")
    if ground.kind != GroundKind.CONSENT:
        raise CoordinationError("Alleen toestemming kan worden ingetrokken.")
    try:
        ground = privacy_services.consent_withdraw(actor=actor, ground=ground, note=note)
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error
    now = timezone.now()
    resting = (
        TeamMember.objects.select_for_update(of=("self",))
        .filter(file=access.file, state__in=[MemberState.INVITED, MemberState.ACTIVE])
        .filter(ground=ground)
        .select_related("grant", "file")
    )
    granted = TeamMember.objects.filter(
        file=access.file, state=MemberState.ACTIVE, grant__ground=ground
    ).select_related("grant", "file")
    for resting_member in {*resting, *granted}:
        _membership_close(resting_member, now)
    file_touch(access.file)
    events.file_event(
        actor=actor, file=access.file, action=Action.UPDATE, part="toestemming ingetrokken"
    )
    return ground


# --- The family and its network -------------------------------------------------------------------


def _family_check(access: FileAccess) -> None:
    """The family's names are kept by the leading organisation's team: a partner reads them at
    most, on a grant."""
    if not (access.may_write and access.sees(FAMILY) and access.grant is None):
        raise CoordinationError(
            "Alleen het team van de organisatie met de regie legt het gezin en netwerk vast."
        )


@transaction.atomic
def family_member_create(
    *, actor: Actor, access: FileAccess, member: FamilyMemberData
) -> FamilyMember:
    _family_check(access)
    created = family_member_add(file=access.file, member=member)
    file_touch(access.file)
    events.file_event(actor=actor, file=access.file, action=Action.CREATE, part=FAMILY)
    return created


def family_member_version(family_member: FamilyMember) -> int:
    """The details of someone of the family as the reader saw them, as a number: sent back with a
    correction; a different number means someone else corrected them in between."""
    born = family_member.date_of_birth.isoformat() if family_member.date_of_birth else ""
    seen = "\x1f".join(
        [family_member.role, family_member.name, family_member.relation, born, family_member.phone]
    )
    return int(hashlib.sha256(seen.encode()).hexdigest()[:12], 16)


@transaction.atomic
def family_member_update(
    *,
    actor: Actor,
    access: FileAccess,
    family_member: FamilyMember,
    member: FamilyMemberData,
    expected_version: int | None = None,
) -> FamilyMember:
    """Correct or complete what the file knows of someone of the family or network. The identity
    key is not remade: the BSN is never stored, and matching already ran when they were added.
    With `expected_version`, a correction someone else made in between is a conflict, not
    overwritten."""
    _family_check(access)
    if family_member.file_id != access.file.pk:
        raise CoordinationError("Deze persoon hoort niet bij dit regiedossier.")
    family_member = FamilyMember.objects.select_for_update().get(pk=family_member.pk)
    if expected_version is not None and family_member_version(family_member) != expected_version:
        raise ConflictError(
            "Iemand anders heeft deze gegevens intussen gewijzigd. Bekijk ze opnieuw en kijk of "
            "uw wijziging nog nodig is."
        )
    if member.role not in FamilyRole.values:
        raise CoordinationError("Kies de rol in het gezin of netwerk.")
    name = member.name.strip()
    if not name:
        raise CoordinationError("Vul de naam in.")
    family_member.role = member.role
    family_member.name = name[:200]
    family_member.relation = member.relation.strip()[:120]
    family_member.date_of_birth = member.date_of_birth
    family_member.phone = member.phone.strip()[:30]
    family_member.save(update_fields=["role", "name", "relation", "date_of_birth", "phone"])
    file_touch(access.file)
    events.file_event(actor=actor, file=access.file, action=Action.UPDATE, part=FAMILY)
    return family_member


# --- The next contact with the family -------------------------------------------------------------


@dataclass(frozen=True)
class NextContact:
    date: datetime.date | None
    version: int


@transaction.atomic
def next_contact_set(
    *,
    actor: Actor,
    access: FileAccess,
    next_contact: datetime.date | None,
    expected_version: int | None = None,
) -> NextContact:
    """The casusregisseur sets (or clears) when the family is next contacted. With
    `expected_version`, a change someone else made in between is a conflict, not overwritten."""
    if not access.may_lead:
        raise CoordinationError(
            "Alleen de casusregisseur plant het volgende contact met het gezin."
        )
    if next_contact is not None and next_contact < timezone.localdate():
        raise CoordinationError("Kies voor het volgende contact vandaag of een latere datum.")
    file = access.file
    file_touch(file, expected_version=expected_version)
    CoordinationFile.objects.filter(pk=file.pk).update(next_contact=next_contact)
    file.next_contact = next_contact
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part="volgend contact")
    return NextContact(next_contact, file.version)
