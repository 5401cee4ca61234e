"""The one way a view says who may open it: a logged-in actor, optionally with a permission.

A refusal is access-logged naming what the URL asked for — case 10, or person 55 in case 10 —
not the page it was asked through (`requested_subject`); the API's permission uses the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from meldwijzer.audit.models import Action, Outcome
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

View = Callable[..., HttpResponse]

NO_ORGANISATION = "U bent aan geen actieve organisatie verbonden."

# What a URL parameter names in the access log, the most specific first: a person in a case is
# named as the person, with the case as the client's dossier it was asked in.
REQUESTED_OBJECTS = (
    ("person_id", "betrokkene"),
    ("entry_id", "dossierregel"),
    ("result_id", "instrumentuitkomst"),
    ("case_id", "casus"),
    ("user_id", "gebruiker"),
    ("organisation_id", "organisatie"),
    ("token_id", "api-sleutel"),
    ("service_id", "sociale_kaart_dienst"),
    ("location_id", "sociale_kaart_locatie"),
    ("provider_id", "sociale_kaart_aanbieder"),
    ("job_id", "sociale_kaart_import"),
    ("key", "instrument"),
)


@dataclass(frozen=True)
class Requested:
    subject_type: str
    subject_id: str
    client_id: str = ""


def requested_subject(kwargs: Mapping[str, Any], *, default_type: str, path: str) -> Requested:
    """What a request asked for, from its URL parameters; the page itself when it names no
    object."""
    for name, subject_type in REQUESTED_OBJECTS:
        if name in kwargs:
            in_case = subject_type != "casus" and "case_id" in kwargs
            return Requested(
                subject_type,
                str(kwargs[name])[:64],
                str(kwargs["case_id"])[:64] if in_case else "",
            )
    return Requested(default_type, path[:64])


def refuse_without_organisation(request: HttpRequest, requested: Requested) -> None:
    """Log that a logged-in person without an active organisation was refused (no raise)."""
    access_log_record(
        actor=None,
        user=request.user,  # type: ignore[arg-type]
        action=Action.READ,
        subject_type=requested.subject_type,
        subject_id=requested.subject_id,
        client_id=requested.client_id,
        outcome=Outcome.DENIED,
    )


def current_actor(request: HttpRequest) -> Actor:
    """The actor of a request that passed `actor_required`."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied(NO_ORGANISATION)
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
            if actor is None or (permission is not None and not actor.can(permission)):
                requested = requested_subject(kwargs, default_type=subject_type, path=request.path)
                if actor is None:
                    refuse_without_organisation(request, requested)
                    raise PermissionDenied(NO_ORGANISATION)
                access_denied(
                    actor=actor,
                    action=Action.READ,
                    subject_type=requested.subject_type,
                    subject_id=requested.subject_id,
                    client_id=requested.client_id,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
