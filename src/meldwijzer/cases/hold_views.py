"""The hold page of a case (`cases.holds`, `privacy.hold_page`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from meldwijzer.cases import holds
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.hold_page import hold_page
from meldwijzer.privacy.models import ResourceKind


@actor_required(Permission.RETENTION_HOLD)
def case_holds_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = holds.case_for_holds(actor=actor, case_id=case_id)
    return hold_page(
        request,
        actor=actor,
        file=(ResourceKind.CASE, case.pk),
        what="Casus",
        reference=case.reference,
        hold_get=lambda hold_id: holds.case_hold_get(actor=actor, case=case, hold_id=hold_id),
        done_url=reverse("cases:holds", kwargs={"case_id": case.pk}),
    )
