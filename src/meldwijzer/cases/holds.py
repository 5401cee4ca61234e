"""Legal holds on a meldcode dossier (the hold itself is `privacy.LegalHold`).

Whoever may place a hold (`Permission.RETENTION_HOLD`: the aandachtsfunctionaris and the
functioneel beheerder) reaches any case of their own organisation for it, open or closed, but
sees only its reference and its holds: a hold is about keeping the file, not reading it. The case
page offers the hold page to them (`case_actions`, registered in `apps.py`).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from meldwijzer.cases import events
from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy.models import LegalHold, ResourceKind

PART = "bewaarplicht"


def case_for_holds(*, actor: Actor, case_id: int) -> Case:
    """A case of the actor's organisation, for its holds; anything else is 'not found', logged."""
    case = (
        Case.objects.filter(pk=case_id)
        .only("pk", "reference", "organisation_id", "client_pseudonym", "responsible_id")
        .first()
    )
    if (
        case is None
        or case.organisation_id != actor.organisation.pk
        or not actor.can(Permission.RETENTION_HOLD)
    ):
        events.case_refused(actor=actor, case_id=case_id, case=case, part=PART)
    events.case_holds_read(actor=actor, case=case)
    return case


def case_holds(case: Case) -> QuerySet[LegalHold]:
    return privacy_selectors.holds_for_file(resource_kind=ResourceKind.CASE, resource_id=case.pk)


def case_hold_get(*, actor: Actor, case: Case, hold_id: int) -> LegalHold:
    """One hold of this case; any other id is 'not found', logged naming the case's client."""
    hold = case_holds(case).filter(pk=hold_id).first()
    if hold is None:
        events.case_refused(actor=actor, case_id=case.pk, case=case, part=PART)
    return hold


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """The hold page, on the case page, for whoever places holds."""
    if not actor.can(Permission.RETENTION_HOLD) or case.organisation_id != actor.organisation.pk:
        return []
    held = privacy_selectors.hold_active(resource_kind=ResourceKind.CASE, resource_id=case.pk)
    label = "Bewaarplicht (legal hold)" + (": actief" if held else "")
    return [CaseAction(label=label, url=reverse("cases:holds", kwargs={"case_id": case.pk}))]
