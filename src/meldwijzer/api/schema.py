"""The OpenAPI document as the API's contract: every answer an operation can give is in it, and
a request may only use the query parameters it lists.

`AutoSchema` adds the error answers to each operation, all in the one error format
(`core/errors.py`, component `Error`), by what the operation is: every operation can answer 400
(a parameter it does not know, or bad input), 401, 406, 429 and 503 (the access log could not be
written, or the database stayed busy); one that needs an actor 403; one with a path parameter or pages 404; one with a body
415. A view names the answers only it gives (409) with `errors(...)` in its `extend_schema`.

`query_parameters` reads the allowed query parameters of each operation from the generated
document; `KnownQueryParametersMiddleware` refuses any other with a 400 that names it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

ERROR_COMPONENT = "Error"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Het foutformaat van de hele API, met een Nederlandse melding.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer", "description": "De HTTP-status."},
                "code": {
                    "type": "string",
                    "description": "Een vaste code, bijvoorbeeld `ongeldige_invoer`, "
                    "`niet_gevonden` of `gelijktijdige_wijziging`.",
                },
                "message": {"type": "string", "description": "Wat er mis is, in het Nederlands."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "Per veld (of queryparameter) de meldingen; bij geneste "
                    "gegevens (zoals `data`) per veld daarbinnen.",
                },
            },
            "required": ["status", "code", "message"],
            "additionalProperties": False,
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}

DESCRIPTIONS = {
    400: "Ongeldige invoer: een queryparameter die deze aanroep niet kent of een ongeldige "
    "waarde, gegevens die geen geldige JSON zijn, te groot of te diep genest, of velden die niet "
    "kloppen (per veld onder `fields`). Er is niets gewijzigd.",
    401: "Niet ingelogd: geen, een ongeldige, verlopen of ingetrokken API-sleutel.",
    403: "Geen toegang: uw rol mag dit niet. De weigering staat in het toegangslogboek.",
    404: "Niet gevonden, of niet binnen uw bereik (dan staat de weigering in het "
    "toegangslogboek); ook een pagina voorbij de laatste.",
    406: "Deze API levert alleen JSON (`Accept: application/json`).",
    409: "Iemand anders heeft de gegevens intussen gewijzigd. Er is niets opgeslagen; lees ze "
    "opnieuw en stuur de nieuwe versie mee.",
    415: "Stuur de gegevens als JSON (`Content-Type: application/json`).",
    429: "Te veel verzoeken; probeer het na `Retry-After` seconden opnieuw.",
    503: "Het toegangslogboek kon niet worden bijgewerkt, dus is er niets gelezen of gewijzigd "
    "(`toegangslogboek_onbeschikbaar`); of de database was bezet of niet bereikbaar "
    "(`database_bezet`): probeer het na `Retry-After` seconden opnieuw. Zonder `Retry-After` "
    "is de wijziging mogelijk al opgeslagen: kijk eerst, en stuur haar niet zomaar opnieuw.",
}

ALWAYS = (400, 401, 406, 429, 503)


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """Error answers an operation gives besides the ones `AutoSchema` adds, for `responses=`."""
    return {status: OpenApiResponse(description=DESCRIPTIONS[status]) for status in statuses}


class AutoSchema(openapi.AutoSchema):
    def _error_statuses(self) -> set[int]:
        statuses = set(ALWAYS)
        permissions = self.view.get_permissions()
        if not all(isinstance(permission, AllowAny) for permission in permissions):
            statuses.add(403)
        paged = self.method == "GET" and self._is_list_view() and self._get_paginator()
        if "{" in self.path or paged:
            statuses.add(404)
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            statuses.add(415)
        return statuses

    def _error_ref(self) -> dict[str, str]:
        component = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            object=ERROR_COMPONENT,
            schema=ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        declared = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
        for status in sorted(self._error_statuses() | declared):
            responses[str(status)] = {
                "description": DESCRIPTIONS.get(status, ""),
                "content": {"application/json": {"schema": self._error_ref()}},
            }
        return dict(sorted(responses.items()))


_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def document_path(route: str) -> str:
    """The document's path for a Django route: 'api/v1/cases/<int:case_id>/' →
    '/api/v1/cases/{case_id}/'."""
    return "/" + _PARAMETER.sub(r"{\1}", route)


@cache
def query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """Per (path, method) of the OpenAPI document, the query parameters it allows."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    allowed: dict[tuple[str, str], frozenset[str]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            allowed[(path, method.upper())] = frozenset(names)
    return allowed
