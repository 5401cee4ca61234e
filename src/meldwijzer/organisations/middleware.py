"""Attach the actor (person + organisation + roles) to each request of a logged-in person."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from meldwijzer.organisations.selectors import actor_for_user

SESSION_ORGANISATION_KEY = "meldwijzer_organisation_id"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_verified():
            request.actor = actor_for_user(  # type: ignore[attr-defined]
                user=user, organisation_id=request.session.get(SESSION_ORGANISATION_KEY)
            )
        return self.get_response(request)
