"""Agreements in a file: who does what by when — a professional of the team, someone of the
family or of the informal network — with their state. Overdue open agreements are flagged to
their owner and to the casusregisseur."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.coordination import events
from meldwijzer.coordination.models import (
    Agreement,
    AgreementState,
    ConferenceItem,
    CoordinationFile,
    FileParts,
    MemberState,
    PartyKind,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import ConflictError, CoordinationError, file_touch
from meldwijzer.organisations.actor import Actor


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    access: FileAccess,
    what: str,
    party: str,
    due_date: datetime.date,
    owner: User | None = None,
    owner_name: str = "",
    in_safety_plan: bool = False,
    conference_item: ConferenceItem | None = None,
) -> Agreement:
    """Record an agreement in the file `access` is for. A professional owner must be an active
    member of the team; someone of the family or network is named."""
    file: CoordinationFile = access.file
    if not access.may_write:
        raise CoordinationError("Alleen het team van een lopend regiedossier legt afspraken vast.")
    what = what.strip()
    if not what:
        raise CoordinationError("Beschrijf wat er is afgesproken.")
    if len(what) > 500:
        raise CoordinationError("Houd de afspraak korter dan 500 tekens.")
    if party not in PartyKind.values:
        raise CoordinationError(
            "Kies wie de afspraak nakomt: een professional, het gezin of het netwerk."
        )
    owner_name = owner_name.strip()
    if party == PartyKind.PROFESSIONAL:
        if owner is None or not file.team.filter(user=owner, state=MemberState.ACTIVE).exists():
            raise CoordinationError("Kies een professional uit het team.")
        owner_name = ""
    else:
        if not owner_name:
            raise CoordinationError("Vul in wie uit het gezin of netwerk de afspraak nakomt.")
        owner = None
    now = timezone.now()
    agreement = Agreement.objects.create(
        file=file,
        what=what,
        party=party,
        owner=owner,
        owner_name=owner_name[:200],
        due_date=due_date,
        in_safety_plan=in_safety_plan,
        conference_item=conference_item,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
    )
    file_touch(file)
    events.file_event(
        actor=actor, file=file, action=Action.CREATE, part=FileParts.TEAM, access=access
    )
    return agreement


def agreement_version(agreement: Agreement) -> int:
    """The agreement's version as the reader saw it: the moment of its last change, in
    microseconds. Sent back with a change; a different value means someone else changed it."""
    return int(agreement.updated_at.timestamp() * 1_000_000)


@transaction.atomic
def agreement_update(
    *,
    actor: Actor,
    access: FileAccess,
    agreement: Agreement,
    state: str,
    due_date: datetime.date,
    expected_version: int,
) -> Agreement:
    """Change an agreement's state (open, done, not done, cancelled) or its date. Someone else's
    change since `expected_version` is a conflict: nothing is overwritten."""
    file: CoordinationFile = access.file
    if not access.may_write:
        raise CoordinationError("Alleen het team van een lopend regiedossier wijzigt afspraken.")
    if agreement.file_id != file.pk:
        raise CoordinationError("Deze afspraak hoort niet bij dit regiedossier.")
    if state not in AgreementState.values:
        raise CoordinationError("Kies of de afspraak loopt, gedaan is, niet gelukt of vervallen.")
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement_version(current) != expected_version:
        raise ConflictError(
            "Iemand anders heeft deze afspraak intussen gewijzigd. Bekijk de afspraak opnieuw en "
            "kijk of uw wijziging nog nodig is."
        )
    if current.state == state and current.due_date == due_date:
        return current
    moved = due_date != current.due_date
    if moved and state == AgreementState.OPEN and due_date < timezone.localdate():
        raise CoordinationError("Kies voor een lopende afspraak vandaag of een latere datum.")
    current.state = state
    current.due_date = due_date
    current.updated_at = timezone.now()
    current.save(update_fields=["state", "due_date", "updated_at"])
    file_touch(file)
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part="afspraak", access=access)
    return current
