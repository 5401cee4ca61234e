"""The private calendar address: the page where a professional makes, replaces or ends it
(`followups.calendar`), and the feed itself, opened by calendar apps without a login."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.followups import calendar
from meldwijzer.organisations.roles import Permission

MAKE = "maken"
END = "beeindigen"


@actor_required(Permission.CASE_WORK)
def calendar_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    new_url = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("actie", "")
        if action == MAKE:
            new_url = calendar.feed_url(calendar.calendar_feed_create(actor=actor))
        elif action == END:
            if calendar.calendar_feed_end(actor=actor):
                messages.success(request, "Uw agenda-adres is beëindigd: het werkt niet meer.")
            else:
                messages.info(request, "U had geen agenda-adres.")
            return redirect("followups:calendar")
        else:
            messages.error(request, "Kies: een agenda-adres maken of beëindigen.")
            status = 400
    response = render(
        request,
        "followups/calendar.html",
        {"feed": calendar.feed_current(actor=actor), "new_url": new_url},
        status=status,
    )
    return response


@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the secret in the address is the credential; any other address is 'not
    found'."""
    actor = calendar.feed_actor(token)
    if actor is None:
        raise Http404
    response = HttpResponse(
        calendar.feed_build(actor=actor), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="meldwijzer-vervolgcontacten.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
