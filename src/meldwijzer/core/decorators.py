"""The one way a view says who may open it: a logged-in actor, optionally with a permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from meldwijzer.audit.models import Action
from meldwijzer.audit.services import access_denied
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

View = Callable[..., HttpResponse]


def current_actor(request: HttpRequest) -> Actor:
    """The actor of a request that passed `actor_required`."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied("U bent aan geen actieve organisatie verbonden.")
    return actor


def actor_required(
    permission: Permission | None = None, *, subject_type: str = "pagina"
) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "actor", None)
            if actor is None:
                raise PermissionDenied("U bent aan geen actieve organisatie verbonden.")
            if permission is not None and not actor.can(permission):
                access_denied(
                    actor=actor,
                    action=Action.READ,
                    subject_type=subject_type,
                    subject_id=request.path[:64],
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
