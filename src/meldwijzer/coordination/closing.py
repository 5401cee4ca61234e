"""Closing a coordination file, and opening it again.

A file closes the way a meldcode dossier does after afweging 5 = ja: with agreements with the
family and the partners on how safety is followed afterwards — who follows, how, until when
(`cases.extensions.FollowupAgreement`). Without them it stays open. The agreements start a
follow-up plan in the same transaction (the app that keeps plans registers the starter), so a
refused plan leaves the file open. Only the casusregisseur closes the file.

A file opens again when worries return during follow-up ('niet veilig' in a follow-up contact):
the casusregisseur it had is its casusregisseur again, the team as it was.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases import extensions
from meldwijzer.cases.services import followup_check
from meldwijzer.coordination import events
from meldwijzer.coordination.models import CoordinationFile, FileState
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import CoordinationError, file_touch
from meldwijzer.organisations.actor import Actor


@transaction.atomic
def file_close(
    *,
    actor: Actor,
    access: FileAccess,
    expected_version: int,
    followup: extensions.FollowupAgreement | None,
) -> CoordinationFile:
    """Close the file with follow-up agreements; the casusregisseur only. Raises
    `cases.services.CaseInputError` (per field) when an agreement is missing or refused."""
    file = access.file
    if not access.may_lead:
        raise CoordinationError("Alleen de casusregisseur sluit een lopend regiedossier af.")
    followup_check(followup)
    assert followup is not None  # followup_check refuses None
    file_touch(file, expected_version=expected_version)
    now = timezone.now()
    CoordinationFile.objects.filter(pk=file.pk).update(state=FileState.CLOSED, closed_at=now)
    file.refresh_from_db()
    events.file_event(actor=actor, file=file, action=Action.UPDATE, part="afsluiten")
    source = extensions.FollowupSource(
        kind="regiedossier", id=file.pk, client_pseudonym=file.client_pseudonym
    )
    extensions.followup_start(actor=actor, source=source, agreement=followup)
    return file


def file_reopen(*, actor: Actor, file: CoordinationFile, reason: str) -> CoordinationFile:
    """Open a closed file again because worries returned (called inside the caller's
    transaction, by whoever may: the follow-up plan's professional through their plan). The
    file's casusregisseur and team are as they were."""
    if not reason.strip():
        raise CoordinationError("Geef aan waarom het regiedossier weer opengaat.")
    changed = CoordinationFile.objects.filter(pk=file.pk, state=FileState.CLOSED).update(
        state=FileState.OPEN, closed_at=None, updated_at=timezone.now()
    )
    if changed:
        file.refresh_from_db()
        events.file_event(actor=actor, file=file, action=Action.UPDATE, part="heropenen")
    return file
