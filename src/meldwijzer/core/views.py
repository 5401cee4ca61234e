"""The start page per role, and the error pages."""

from __future__ import annotations

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
    return _error(request, 400, "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "errors/403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "errors/500.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
