"""Legal holds on a coordination file (the hold itself is `privacy.LegalHold`), as on a case
(`cases.holds`): whoever may place holds reaches every file their organisation leads, open or
closed, for its reference and its holds only. Anything else is 'not found' and logged."""

from __future__ import annotations

from django.db.models import QuerySet

from meldwijzer.audit.models import Action
from meldwijzer.coordination import events
from meldwijzer.coordination.models import CoordinationFile
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy.models import LegalHold, ResourceKind

PART = "bewaarplicht"


def file_for_holds(*, actor: Actor, file_id: int) -> CoordinationFile:
    file = CoordinationFile.objects.filter(pk=file_id).first()
    if (
        file is None
        or file.lead_organisation_id != actor.organisation.pk
        or not actor.can(Permission.RETENTION_HOLD)
    ):
        events.file_refused(actor=actor, file_id=file_id, file=file, part=PART)
    events.file_event(actor=actor, file=file, action=Action.READ, part=PART)
    return file


def file_holds(file: CoordinationFile) -> QuerySet[LegalHold]:
    return privacy_selectors.holds_for_file(
        resource_kind=ResourceKind.COORDINATION_FILE, resource_id=file.pk
    )


def file_hold_get(*, actor: Actor, file: CoordinationFile, hold_id: int) -> LegalHold:
    hold = file_holds(file).filter(pk=hold_id).first()
    if hold is None:
        events.file_refused(actor=actor, file_id=file.pk, file=file, part=PART)
    return hold
