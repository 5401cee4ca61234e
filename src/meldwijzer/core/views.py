"""The start page per role, and the error pages."""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.cases import worklist
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.errors import error_response
from meldwijzer.organisations import selectors as organisation_selectors
from meldwijzer.organisations.roles import Permission


@actor_required()
def start_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    context: dict[str, object] = {
        "organisations": organisation_selectors.organisations_for_user(user=actor.user),
    }
    if actor.can(Permission.CASE_WORK):
        # What asks for attention now; read (and access-logged) like the list of one's cases.
        context["work"] = worklist.open_work(actor=actor)
    if actor.can(Permission.AGGREGATES_VIEW):
        context["sector_counts"] = organisation_selectors.organisation_counts_by_sector(actor=actor)
    if actor.can(Permission.MEMBERS_MANAGE):
        context["member_count"] = organisation_selectors.member_list(actor=actor).count()
    return render(request, "core/start.html", context)


def home_view(request: HttpRequest) -> HttpResponse:
    """The public front page: what Meldwijzer is, and where to go for help right now."""
    return render(request, "core/home.html")


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    """Error pages: JSON in the API's error format under /api/, a Dutch page elsewhere."""
    if request.path.startswith("/api/"):
        return error_response(status=status)
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _database_busy(exception):
        # The session could not be saved (`SessionInterrupted`): after the view, so a change it
        # made is stored, and sending it again would store it twice.
        return _busy(request, after_view=request.method not in SAFE_METHODS)
    return _error(request, 400, "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "errors/403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "errors/404.html")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
DATABASE_BUSY = (
    "De database was bezet of even niet bereikbaar, daarom is uw verzoek niet (helemaal) "
    "verwerkt. Probeer het over enkele seconden opnieuw; kijk bij een wijziging eerst of die er "
    "al staat."
)
DATABASE_BUSY_AFTER_CHANGE = (
    "Uw verzoek is verwerkt, maar daarna was de database bezet. Uw wijziging is dus mogelijk al "
    "opgeslagen. Stuur het verzoek niet opnieuw, want dan kan de wijziging dubbel worden "
    "opgeslagen: kijk over enkele seconden eerst of uw wijziging er staat."
)


def _database_busy(exception: BaseException | None) -> bool:
    """Whether the database failing (busy past its wait, or out of reach) caused `exception`."""
    while exception is not None:
        if isinstance(exception, OperationalError):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def _busy(request: HttpRequest, *, after_view: bool = False) -> HttpResponse:
    """503 for a busy database. Before the view finished its transaction was rolled back and
    the request may be sent again (`Retry-After`); after a view that may have changed something
    (`after_view`) it may not: not every change carries a version that refuses a second copy
    (a client's statement, a copy given)."""
    response: HttpResponse
    message = DATABASE_BUSY_AFTER_CHANGE if after_view else DATABASE_BUSY
    if request.path.startswith("/api/"):
        response = error_response(status=503, code="database_bezet", message=message)
    else:
        response = render(request, "errors/503.html", {"message": message}, status=503)
    if not after_view:
        response["Retry-After"] = "5"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an exception nothing else handled. A database that stayed busy longer than
    its wait (SQLite's `database is locked`) or could not be reached is answered with 503 and
    `Retry-After`, not 500: the transaction that met it was rolled back, and the request may be
    sent again. When it struck while saving the session after the view (`bad_request`), a change
    is stored already: that answer says so and asks not to send it again."""
    if _database_busy(sys.exc_info()[1]):
        return _busy(request)
    return _error(request, 500, "errors/500.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
