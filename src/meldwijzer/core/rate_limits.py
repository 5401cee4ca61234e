"""Rate limits for what anyone may ask without logging in: the public sociale kaart pages and
downloads, and the API's anonymous answers.

Requests are counted per client address — `core.network.client_address`, the one function that
decides it (behind the configured proxies: the client's, never a header the client wrote) — and an
IPv6 address by its /64, the block one household or server usually has. The counts live in Django's
cache (`settings.CACHES`, shared by the worker processes and, on PostgreSQL, by every app server:
docs/adr/0039) and are kept by Django REST framework's throttle, so pages and API count the same
way. The limits are `settings.PUBLIC_RATE_LIMITS`. Over a limit, a page answers 429 in Dutch and
the API 429 in its error format, both with Retry-After.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from meldwijzer.core.network import client_address

PAGE = "pagina"
DOWNLOAD = "download"


def _counted_as(address: str | None) -> str:
    try:
        parsed = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return address or "onbekend"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class PublicRateThrottle(SimpleRateThrottle):
    """Requests per client address, for one of `settings.PUBLIC_RATE_LIMITS`."""

    scope = PAGE

    def __init__(self, scope: str | None = None) -> None:
        if scope is not None:
            self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        return settings.PUBLIC_RATE_LIMITS.get(self.scope) or None  # empty: no limit

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {
            "scope": f"openbaar-{self.scope}",
            "ident": _counted_as(client_address(getattr(request, "_request", request))),
        }


class AnonymousApiThrottle(PublicRateThrottle):
    """The public limit for API callers without a token or session; logged-in callers have their
    own limit per person (`MELDWIJZER_API_RATE`)."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if getattr(request._request, "actor", None) is not None:
            return None
        return super().get_cache_key(request, view)


class TooManyRequests(exceptions.Throttled):
    """429 in the API's error format, with Retry-After (see `api.errors.exception_handler`)."""

    error_code = "te_veel_verzoeken"
    default_detail = "Te veel verzoeken vanaf dit adres."
    extra_detail_singular = "Probeer het over {wait} seconde opnieuw."
    extra_detail_plural = "Probeer het over {wait} seconden opnieuw."


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconde{'n' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minuten"


def public_rate_limit(scope: str = PAGE, **context: Any) -> Callable[[Any], Any]:
    """Limit a page anyone may open; over the limit it answers 429 with a Dutch page (with the
    emergency numbers, as every page has) and Retry-After. `context` goes to that page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            throttle = PublicRateThrottle(scope)
            # The throttle only reads the request through `get_cache_key` above.
            if throttle.allow_request(request, None):  # type: ignore[arg-type]
                return view(request, *args, **kwargs)
            wait = max(1, math.ceil(throttle.wait() or 1))
            response = render(
                request,
                "errors/429.html",
                {**context, "wait": _wait_text(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response

        return wrapped

    return decorator
