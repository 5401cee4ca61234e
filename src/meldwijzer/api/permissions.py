from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from meldwijzer.organisations.actor import Actor


def request_actor(request: Request) -> Actor:
    return request._request.actor  # type: ignore[attr-defined]


class HasActor(BasePermission):
    """Logged in (token or verified session) and acting on behalf of an organisation."""

    message = "U bent niet ingelogd of aan geen actieve organisatie verbonden."

    def has_permission(self, request: Request, view: Any) -> bool:
        return getattr(request._request, "actor", None) is not None
