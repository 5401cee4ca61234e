"""Refuse query parameters that the OpenAPI document does not list for an operation.

A misspelt filter (`?fase=gemeld`) would otherwise be ignored and the caller would get every
case back as if it had been applied. The check runs before the view, like the URL resolver's
404: it reveals nothing but the public document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from meldwijzer.api.schema import document_path, query_parameters
from meldwijzer.core.errors import error_response


class KnownQueryParametersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "api" not in match.namespaces or not request.GET:
            return None
        allowed = query_parameters().get((document_path(match.route), request.method or ""))
        if allowed is None:  # not an operation of the document (the root, the document itself)
            return None
        unknown = sorted(name for name in request.GET if name not in allowed)
        if not unknown:
            return None
        shown = [name[:40] for name in unknown[:10]]
        names = ", ".join(f"‘{name}’" for name in shown)
        if allowed:
            known = f"Toegestaan: {', '.join(sorted(allowed))}."
        else:
            known = "Deze aanroep heeft geen queryparameters."
        return error_response(
            status=400,
            code="onbekende_parameter",
            message=f"Onbekende queryparameter: {names}. {known}",
            fields={name: ["Deze parameter bestaat hier niet."] for name in shown},
        )
