"""The one way a view says who may open it: a logged-in actor, optionally with a permission.

A refusal is access-logged naming what the URL asked for — case 10, or person 55 in case 10 —
not the page it was asked through (`requested_subject`); the API's permission uses the same. When
the URL names a case that exists, the row names its client (the case's client pseudonym), found
through the app registry: core sits below cases and does not import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from meldwijzer.audit.models import Subject
from meldwijzer.core import events
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

View = Callable[..., HttpResponse]

NO_ORGANISATION = "U bent aan geen actieve organisatie verbonden."

# What a URL parameter names in the access log, the most specific first: a person in a case is
# named as the person, with the case as the client's dossier it was asked in.
REQUESTED_OBJECTS = (
    ("person_id", Subject.PERSON),
    ("entry_id", Subject.ENTRY),
    ("result_id", Subject.INSTRUMENT_RESULT),
    ("case_id", Subject.CASE),
    ("user_id", Subject.USER),
    ("organisation_id", Subject.ORGANISATION),
    ("token_id", Subject.API_KEY),
    ("service_id", Subject.SOCIAL_MAP_SERVICE),
    ("location_id", Subject.SOCIAL_MAP_LOCATION),
    ("provider_id", Subject.SOCIAL_MAP_PROVIDER),
    ("job_id", Subject.SOCIAL_MAP_IMPORT),
    ("key", Subject.INSTRUMENT),
)


@dataclass(frozen=True)
class Requested:
    subject: Subject
    subject_id: str
    client_id: str = ""


def _client_of_case(case_id: object) -> str:
    """The client pseudonym of the case with this id, or "" when there is none (one query, only
    on a refusal)."""
    try:
        pk = int(str(case_id))
    except ValueError:
        return ""
    case_model = apps.get_model("cases", "Case")
    pseudonym = case_model.objects.filter(pk=pk).values_list("client_pseudonym", flat=True).first()
    return pseudonym or ""


def requested_subject(kwargs: Mapping[str, Any], *, default: Subject, path: str) -> Requested:
    """What a request asked for, from its URL parameters; the page itself when it names no
    object. A case, or an object asked for through one, is named with the case's client."""
    for name, subject in REQUESTED_OBJECTS:
        if name in kwargs:
            client = _client_of_case(kwargs["case_id"]) if "case_id" in kwargs else ""
            return Requested(subject, str(kwargs[name])[:64], client)
    return Requested(default, path[:64])


def refuse_without_organisation(request: HttpRequest, requested: Requested) -> None:
    """Log that a logged-in person without an active organisation was refused (no raise)."""
    events.refused_without_organisation(
        user=request.user,  # type: ignore[arg-type]
        subject=requested.subject,
        subject_id=requested.subject_id,
        client_id=requested.client_id,
    )


def current_actor(request: HttpRequest) -> Actor:
    """The actor of a request that passed `actor_required`."""
    actor = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied(NO_ORGANISATION)
    return actor


def actor_required(
    permission: Permission | None = None, *, subject: Subject = Subject.PAGE
) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "actor", None)
            if actor is None or (permission is not None and not actor.can(permission)):
                requested = requested_subject(kwargs, default=subject, path=request.path)
                if actor is None:
                    refuse_without_organisation(request, requested)
                    raise PermissionDenied(NO_ORGANISATION)
                events.request_refused(
                    actor=actor,
                    subject=requested.subject,
                    subject_id=requested.subject_id,
                    client_id=requested.client_id,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
