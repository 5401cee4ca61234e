"""The hold page of one file, the same for every kind: place a legal hold with a reason, or lift
the active one with a reason. The app that owns the file has already let the actor in (and logged
it); it passes how to find one of the file's holds by id, so an id of another file is refused and
logged by that app."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meldwijzer.organisations.actor import Actor
from meldwijzer.privacy import selectors, services
from meldwijzer.privacy.forms import HoldForm
from meldwijzer.privacy.models import LegalHold
from meldwijzer.privacy.services import HoldError


def hold_page(
    request: HttpRequest,
    *,
    actor: Actor,
    file: tuple[str, int],
    what: str,
    reference: str,
    hold_get: Callable[[int], LegalHold],
    done_url: str,
) -> HttpResponse:
    """`file` is the resource kind and id; `hold_get` one of its holds, refused otherwise."""
    resource_kind, resource_id = file
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        hold_id = request.POST.get("hold", "")
        try:
            if hold_id:
                hold = hold_get(int(hold_id) if hold_id.isdigit() and len(hold_id) < 18 else 0)
                services.legal_hold_lift(actor=actor, hold=hold, reason=reason)
                messages.success(request, "De bewaarplicht is opgeheven.")
            else:
                services.legal_hold_place(
                    actor=actor, resource_kind=resource_kind, resource_id=resource_id, reason=reason
                )
                messages.success(request, "De bewaarplicht is geplaatst.")
        except HoldError as error:
            form.add_error("reason", str(error))
        else:
            return redirect(done_url)
    holds = list(selectors.holds_for_file(resource_kind=resource_kind, resource_id=resource_id))
    active = next((hold for hold in holds if hold.active), None)
    context = {"what": what, "reference": reference, "holds": holds, "active": active}
    return render(request, "privacy/holds.html", {**context, "form": form})
