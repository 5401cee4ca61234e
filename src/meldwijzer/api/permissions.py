from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from meldwijzer.audit.models import Subject
from meldwijzer.core.decorators import refuse_without_organisation, requested_subject
from meldwijzer.organisations.actor import Actor


def request_actor(request: Request) -> Actor:
    return request._request.actor  # type: ignore[attr-defined]


class HasActor(BasePermission):
    """Logged in (token or verified session) and acting on behalf of an organisation. Someone
    logged in without an active organisation is refused and logged, naming what was asked for."""

    message = "U bent niet ingelogd of aan geen actieve organisatie verbonden."

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(request._request, "actor", None) is not None:
            return True
        if request.user is not None and request.user.is_authenticated:
            requested = requested_subject(
                getattr(view, "kwargs", {}), default=Subject.API, path=request.path
            )
            refuse_without_organisation(request._request, requested)
        return False
