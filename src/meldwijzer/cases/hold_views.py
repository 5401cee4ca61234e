"""The hold page of a case (`cases.holds`): place a legal hold with a reason, or lift the active
one with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meldwijzer.cases import holds
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.forms import HoldForm
from meldwijzer.privacy.models import ResourceKind
from meldwijzer.privacy.services import HoldError


@actor_required(Permission.RETENTION_HOLD)
def case_holds_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = holds.case_for_holds(actor=actor, case_id=case_id)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if request.POST.get("hold"):
                hold = holds.case_hold_get(
                    actor=actor, case=case, hold_id=_int(request.POST["hold"])
                )
                privacy_services.legal_hold_lift(actor=actor, hold=hold, reason=reason)
                messages.success(request, "De bewaarplicht is opgeheven.")
            else:
                privacy_services.legal_hold_place(
                    actor=actor,
                    resource_kind=ResourceKind.CASE,
                    resource_id=case.pk,
                    reason=reason,
                )
                messages.success(request, "De bewaarplicht is geplaatst.")
        except HoldError as error:
            form.add_error("reason", str(error))
        else:
            return redirect("cases:holds", case_id=case.pk)
    all_holds = list(holds.case_holds(case))
    active = next((hold for hold in all_holds if hold.active), None)
    context = {"what": "Casus", "reference": case.reference, "holds": all_holds}
    return render(request, "privacy/holds.html", {**context, "active": active, "form": form})


def _int(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 18 else 0
