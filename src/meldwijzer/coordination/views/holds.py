"""The hold page of a coordination file (`coordination.holds`, `privacy.hold_page`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from meldwijzer.coordination import holds
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.privacy.hold_page import hold_page
from meldwijzer.privacy.models import ResourceKind


@actor_required()
def file_holds_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    file = holds.file_for_holds(actor=actor, file_id=file_id)
    return hold_page(
        request,
        actor=actor,
        file=(ResourceKind.COORDINATION_FILE, file.pk),
        what="Regiedossier",
        reference=file.reference,
        hold_get=lambda hold_id: holds.file_hold_get(actor=actor, file=file, hold_id=hold_id),
        done_url=reverse("coordination:file_holds", kwargs={"file_id": file.pk}),
    )
