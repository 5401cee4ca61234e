"""The hold page of a coordination file (`coordination.holds`): place a legal hold with a reason,
or lift the active one with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meldwijzer.coordination import holds
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.forms import HoldForm
from meldwijzer.privacy.models import ResourceKind
from meldwijzer.privacy.services import HoldError


@actor_required()
def file_holds_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    file = holds.file_for_holds(actor=actor, file_id=file_id)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        hold_id = request.POST.get("hold", "")
        try:
            if hold_id:
                hold = holds.file_hold_get(
                    actor=actor,
                    file=file,
                    hold_id=int(hold_id) if hold_id.isdigit() and len(hold_id) < 18 else 0,
                )
                privacy_services.legal_hold_lift(actor=actor, hold=hold, reason=reason)
                messages.success(request, "De bewaarplicht is opgeheven.")
            else:
                privacy_services.legal_hold_place(
                    actor=actor,
                    resource_kind=ResourceKind.COORDINATION_FILE,
                    resource_id=file.pk,
                    reason=reason,
                )
                messages.success(request, "De bewaarplicht is geplaatst.")
        except HoldError as error:
            form.add_error("reason", str(error))
        else:
            return redirect("coordination:file_holds", file_id=file.pk)
    all_holds = list(holds.file_holds(file))
    context = {"what": "Regiedossier", "reference": file.reference, "holds": all_holds}
    active = next((hold for hold in all_holds if hold.active), None)
    return render(request, "privacy/holds.html", {**context, "active": active, "form": form})
