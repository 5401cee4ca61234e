"""Handing over the regie: the casusregisseur proposes, the receiver accepts or declines, the
proposer may withdraw. Only one proposal per file is open at a time (a database constraint).

To a casusregisseur of another organisation the file goes on a recorded ground of the leading
organisation (`Handover.ground`: consent, or a conflict of duties; the meldrecht only towards
Veilig Thuis), with a note for the receiver. Accepting changes, in one transaction, the file's
casusregisseur and leading organisation, puts the receiver in the team, and lets the former lead's
team members keep reading the file on a grant of the new lead (`KEEP_DAYS`), resting on a ground
the receiving organisation records on accepting: the meldrecht when the former lead is Veilig
Thuis, otherwise the hand-over's ground carried over; the file's match signals go to the new
casusregisseur (`matching.file_signals_move`). The file's `coordinator` column holds
exactly one person; an accept changes it only if the proposal is still open and its proposer is
still the casusregisseur, so two accepts can never both win.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.coordination import events, matching, rules
from meldwijzer.coordination.models import (
    CoordinationFile,
    FileParts,
    FileState,
    Handover,
    HandoverState,
    MemberState,
    TeamMember,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import CoordinationError, file_touch
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership, Organisation, Sector
from meldwijzer.organisations.roles import Permission, Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind, ResourceKind, SharingGround
from meldwijzer.privacy.selectors import ground_is_active

FILE = ResourceKind.COORDINATION_FILE
KEEP_DAYS = 180
"""How long the former lead's team members keep reading the file after a hand-over."""
NOTE_LIMIT = 2000
RECEIVER_ROLE = "Ik ben de casusregisseur: uw vaste aanspreekpunt."


@dataclass(frozen=True)
class GroundData:
    """The ground for handing the file to another organisation, as plain data."""

    kind: str
    given_by: str = ""
    reasoning: str = ""
    checks: tuple[str, ...] = field(default_factory=tuple)
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class Receiver:
    """A casusregisseur on the platform, for one organisation: whom the regie can go to."""

    user: User
    organisation: Organisation

    @property
    def key(self) -> str:
        return f"{self.user.pk}:{self.organisation.pk}"

    @property
    def label(self) -> str:
        return f"{self.user.get_full_name() or self.user.username}, {self.organisation.name}"


def receivers(*, actor: Actor) -> list[Receiver]:
    """The casusregisseurs of active organisations, the actor excepted (one query)."""
    memberships = (
        Membership.objects.filter(
            role=Role.CASE_COORDINATOR, organisation__is_active=True, user__is_active=True
        )
        .exclude(user=actor.user)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
    return [Receiver(m.user, m.organisation) for m in memberships]


# --- Reading --------------------------------------------------------------------------------------


def _is_receiver(actor: Actor, handover: Handover) -> bool:
    return (
        actor.user.pk == handover.to_user_id
        and actor.organisation.pk == handover.to_organisation_id
        and actor.can(Permission.CASE_WORK)
    )


def _is_proposer(actor: Actor, handover: Handover) -> bool:
    return (
        actor.user.pk == handover.from_user_id
        and actor.organisation.pk == handover.from_organisation_id
        and actor.can(Permission.CASE_WORK)
    )


def _receiver_reads(actor: Actor, handover: Handover) -> bool:
    """A receiver of another organisation than the one leading the file reads the proposal on
    its ground: while it is open and the ground is in force. Once the regie is theirs, the file
    is their organisation's."""
    if actor.organisation.pk == handover.file.lead_organisation_id:
        return True
    return handover.state == HandoverState.PROPOSED and (
        handover.ground is None or ground_is_active(handover.ground)
    )


RECEIVER = "ontvanger"
PROPOSER = "voorsteller"


def handover_get(
    *, actor: Actor, handover_id: int, action: Action = Action.READ, party: str = ""
) -> Handover:
    """One hand-over the actor proposed or is asked to take over, its read logged (with the
    hand-over's ground for a receiver of another organisation, who reads it only while that
    ground holds: `_receiver_reads`); anything else is 'not found'. With `party`, only for the
    receiver (to answer) or the proposer (to withdraw)."""
    handover = (
        Handover.objects.select_related(
            "file",
            "file__coordinator",
            "file__lead_organisation",
            "from_user",
            "from_organisation",
            "to_user",
            "to_organisation",
            "ground",
        )
        .filter(pk=handover_id)
        .first()
    )
    allowed = handover is not None and (
        (party != PROPOSER and _is_receiver(actor, handover) and _receiver_reads(actor, handover))
        or (party != RECEIVER and _is_proposer(actor, handover))
    )
    if handover is None or not allowed:
        events.handover_refused(
            actor=actor, handover_id=handover_id, handover=handover, action=action
        )
    foreign = actor.organisation.pk != handover.file.lead_organisation_id
    ground = f"{handover.ground.kind}:{handover.ground_id}" if foreign and handover.ground else ""
    events.handover_event(
        actor=actor, file=handover.file, handover=handover, action=action, ground=ground
    )
    return handover


def handovers_of_file(file: CoordinationFile) -> list[Handover]:
    """The file's hand-overs, newest first (the caller has checked access to the file)."""
    return list(
        Handover.objects.filter(file=file).select_related(
            "from_user", "from_organisation", "to_user", "to_organisation", "ground"
        )
    )


def handovers_waiting(*, actor: Actor) -> list[Handover]:
    """Open proposals the actor is asked to answer, or made and waits on (one query)."""
    return list(
        Handover.objects.filter(state=HandoverState.PROPOSED)
        .filter(
            Q(to_user=actor.user, to_organisation=actor.organisation)
            | Q(from_user=actor.user, from_organisation=actor.organisation)
        )
        .select_related("file", "from_user", "from_organisation", "to_user", "to_organisation")
    )


# --- Proposing ------------------------------------------------------------------------------------


def _ground_record(
    actor: Actor, file: CoordinationFile, receiver: Receiver, ground: GroundData
) -> SharingGround:
    if ground.kind == GroundKind.MELDRECHT and receiver.organisation.sector != Sector.VEILIG_THUIS:
        raise CoordinationError(
            "Het meldrecht geldt alleen voor Veilig Thuis. Voor een overdracht aan een andere "
            "organisatie is toestemming nodig, of een conflict van plichten."
        )
    try:
        return privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=file.client_pseudonym,
            kind=ground.kind,
            what="Het regiedossier: team, gezin, afspraken, veiligheidsplan en contactnotities",
            with_whom=receiver.label,
            purpose="Overdracht van de casusregie",
            given_by=ground.given_by,
            reasoning=ground.reasoning,
            checks=ground.checks,
            valid_until=ground.valid_until,
        )
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error


@transaction.atomic
def handover_propose(
    *,
    actor: Actor,
    access: FileAccess,
    to_user: User,
    to_organisation: Organisation,
    note: str,
    ground: GroundData | None = None,
) -> Handover:
    """Propose to hand the regie to a casusregisseur of the same or another organisation. To
    another organisation a ground is recorded first; the receiver reads the note."""
    file = access.file
    if not access.may_lead:
        raise CoordinationError("Alleen de casusregisseur kan de regie overdragen.")
    receiver_actor = actor_for_user(user=to_user, organisation_id=to_organisation.pk)
    if receiver_actor is None or not rules.may_open_file(receiver_actor):
        raise CoordinationError("Kies iemand die bij die organisatie casusregisseur is.")
    if to_user.pk == actor.user.pk:
        raise CoordinationError("U hebt de regie al; kies iemand anders.")
    note = note.strip()
    if not note:
        raise CoordinationError("Schrijf voor wie het overneemt wat die moet weten.")
    if len(note) > NOTE_LIMIT:
        raise CoordinationError(f"Houd de toelichting korter dan {NOTE_LIMIT} tekens.")
    if Handover.objects.filter(file=file, state=HandoverState.PROPOSED).exists():
        raise CoordinationError("Er staat al een overdracht open. Trek die eerst in.")
    recorded = None
    if to_organisation.pk != file.lead_organisation_id:
        if ground is None or not ground.kind:
            raise CoordinationError(
                "Voor een overdracht aan een andere organisatie is een grondslag nodig: "
                "toestemming van het gezin of een conflict van plichten."
            )
        recorded = _ground_record(actor, file, Receiver(to_user, to_organisation), ground)
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                file=file,
                from_user=actor.user,
                from_organisation=actor.organisation,
                to_user=to_user,
                to_organisation=to_organisation,
                note=note,
                ground=recorded,
                proposed_at=timezone.now(),
            )
    except IntegrityError as error:
        raise CoordinationError("Er staat al een overdracht open. Trek die eerst in.") from error
    events.handover_event(actor=actor, file=file, handover=handover, action=Action.CREATE)
    return handover


# --- Answering ------------------------------------------------------------------------------------


def _answer(handover: Handover, state: str, note: str = "") -> None:
    """Close the open proposal, or refuse when someone else answered or withdrew it first."""
    changed = Handover.objects.filter(pk=handover.pk, state=HandoverState.PROPOSED).update(
        state=state, answered_at=timezone.now(), answer_note=note.strip()[:500]
    )
    if not changed:
        raise CoordinationError("Deze overdracht is al beantwoord of ingetrokken.")
    handover.refresh_from_db(fields=["state", "answered_at", "answer_note"])


def _keep_ground(
    actor: Actor, file: CoordinationFile, former: Organisation, handover: Handover
) -> SharingGround:
    """The ground on which the new lead lets the former lead's members keep reading."""
    with_whom = f"Het team van {former.name} dat tot de overdracht de regie had"
    purpose = "Betrokken blijven na de overdracht van de casusregie"
    try:
        if former.sector == Sector.VEILIG_THUIS:
            return privacy_services.sharing_ground_record(
                actor=actor,
                client_pseudonym=file.client_pseudonym,
                kind=GroundKind.MELDRECHT,
                what="Het regiedossier",
                with_whom=with_whom,
                purpose=purpose,
            )
        source = handover.ground
        assert source is not None  # a hand-over to another organisation has one
        return privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=file.client_pseudonym,
            kind=source.kind,
            what="Het regiedossier",
            with_whom=with_whom,
            purpose=purpose,
            given_by=source.given_by,
            reasoning=source.reasoning
            or f"Overgenomen van de grondslag van de overdracht ({source.get_kind_display()}).",
            checks=source.checks,
            valid_until=source.valid_until,
        )
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error


def _former_members_keep_access(
    actor: Actor, file: CoordinationFile, former: Organisation, handover: Handover
) -> None:
    members = list(
        TeamMember.objects.filter(file=file, organisation=former, state=MemberState.ACTIVE)
        .exclude(user=actor.user)
        .select_related("user")
    )
    if not members:
        return
    ground = _keep_ground(actor, file, former, handover)
    until = timezone.localdate() + datetime.timedelta(days=KEEP_DAYS)
    if ground.valid_until is not None:
        until = min(until, ground.valid_until)
    for member in members:
        grant = privacy_selectors.grant_active(
            user=member.user, organisation=former, resource_kind=FILE, resource_id=file.pk
        )
        if grant is None:
            try:
                grant = privacy_services.access_grant_create(
                    actor=actor,
                    user=member.user,
                    organisation=former,
                    resource_kind=FILE,
                    resource_id=file.pk,
                    client_pseudonym=file.client_pseudonym,
                    ground=ground,
                    until=until,
                    parts=FileParts.values,
                )
            except privacy_services.SharingError as error:
                raise CoordinationError(str(error)) from error
        member.grant = grant
        member.save(update_fields=["grant"])


def _receiver_joins(
    actor: Actor, file: CoordinationFile, handover: Handover, role_description: str, phone: str
) -> None:
    """The receiver is an active team member for the organisation that now leads."""
    current = TeamMember.objects.filter(
        file=file, user=actor.user, state__in=[MemberState.INVITED, MemberState.ACTIVE]
    ).first()
    now = timezone.now()
    if current is not None and current.organisation_id == actor.organisation.pk:
        current.state = MemberState.ACTIVE
        current.answered_at = current.answered_at or now
        current.role_description = (role_description.strip() or RECEIVER_ROLE)[:500]
        current.save(update_fields=["state", "answered_at", "role_description"])
        return
    if current is not None:  # in the team for another of their organisations
        current.state = MemberState.LEFT
        current.left_at = now
        current.save(update_fields=["state", "left_at"])
    TeamMember.objects.create(
        file=file,
        user=actor.user,
        organisation=actor.organisation,
        role_description=(role_description.strip() or RECEIVER_ROLE)[:500],
        phone=phone.strip()[:30] or actor.user.phone,
        state=MemberState.ACTIVE,
        invited_by_id=handover.from_user_id,
        invited_at=now,
        answered_at=now,
    )


def _former_coordinator_steps_back(
    actor: Actor, file: CoordinationFile, handover: Handover
) -> None:
    """The one who handed over stays in the team, but is no longer the family's contact point:
    their role says so, so that 'wie doet wat' and the family's printout name one casusregisseur."""
    today = timezone.localdate().strftime("%d-%m-%Y")
    name = actor.user.get_full_name() or actor.user.username
    TeamMember.objects.filter(
        file=file,
        user_id=handover.from_user_id,
        organisation_id=handover.from_organisation_id,
        state=MemberState.ACTIVE,
    ).update(
        role_description=f"Ik had de regie tot {today}. Nu is {name} uw vaste aanspreekpunt."[:500]
    )


@transaction.atomic
def handover_accept(
    *,
    actor: Actor,
    handover: Handover,
    answer_note: str = "",
    role_description: str = "",
    phone: str = "",
) -> Handover:
    """Take over the regie: from now on the actor is the file's one casusregisseur, for their
    organisation; the former lead's team keeps reading on a grant of `KEEP_DAYS` days."""
    file = CoordinationFile.objects.select_for_update().get(pk=handover.file_id)
    if not _is_receiver(actor, handover):
        raise CoordinationError("Deze overdracht is niet aan u gericht.")
    if not rules.may_open_file(actor):
        raise CoordinationError("Alleen een casusregisseur kan de regie overnemen.")
    if file.state != FileState.OPEN:
        raise CoordinationError("Dit regiedossier is afgesloten.")
    if (
        file.coordinator_id != handover.from_user_id
        or file.lead_organisation_id != handover.from_organisation_id
    ):
        raise CoordinationError("De regie is intussen al verschoven; dit voorstel geldt niet meer.")
    if handover.ground is not None and not ground_is_active(handover.ground):
        raise CoordinationError(
            "De grondslag voor deze overdracht geldt niet meer (ingetrokken of verlopen). "
            "Vraag de casusregisseur om een nieuw voorstel."
        )
    _answer(handover, HandoverState.ACCEPTED, answer_note)
    former = file.lead_organisation
    file.coordinator = actor.user
    file.lead_organisation = actor.organisation
    file.save(update_fields=["coordinator", "lead_organisation"])
    file_touch(file)
    _former_coordinator_steps_back(actor, file, handover)
    _receiver_joins(actor, file, handover, role_description, phone)
    matching.file_signals_move(file=file, user=actor.user, organisation=actor.organisation)
    if former.pk != actor.organisation.pk:
        _former_members_keep_access(actor, file, former, handover)
    events.handover_event(actor=actor, file=file, handover=handover, action=Action.UPDATE)
    return handover


@transaction.atomic
def handover_decline(*, actor: Actor, handover: Handover, answer_note: str = "") -> Handover:
    """Say no to the proposal; the casusregisseur keeps the regie and sees why."""
    if not _is_receiver(actor, handover):
        raise CoordinationError("Deze overdracht is niet aan u gericht.")
    _answer(handover, HandoverState.DECLINED, answer_note)
    events.handover_event(actor=actor, file=handover.file, handover=handover, action=Action.UPDATE)
    return handover


@transaction.atomic
def handover_withdraw(*, actor: Actor, handover: Handover) -> Handover:
    """Take the proposal back before it is answered."""
    if not _is_proposer(actor, handover):
        raise CoordinationError("Alleen wie de overdracht voorstelde, kan haar intrekken.")
    _answer(handover, HandoverState.WITHDRAWN)
    events.handover_event(actor=actor, file=handover.file, handover=handover, action=Action.UPDATE)
    return handover
