"""One error format for the whole API:

{"error": {"status": 400, "code": "ongeldige_invoer", "message": "…", "fields": {…}}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

_CODES = {
    400: ("ongeldige_invoer", "De invoer is niet geldig."),
    401: ("niet_ingelogd", "U bent niet ingelogd."),
    403: ("geen_toegang", "U hebt geen toegang tot deze gegevens."),
    404: ("niet_gevonden", "Niet gevonden."),
    405: ("methode_niet_toegestaan", "Deze methode is hier niet toegestaan."),
    406: ("niet_aanvaardbaar", "Dit antwoordformaat wordt niet ondersteund."),
    409: ("conflict", "De gegevens zijn intussen gewijzigd."),
    415: ("mediatype_niet_ondersteund", "Stuur de gegevens als JSON."),
    429: ("te_veel_verzoeken", "Te veel verzoeken. Probeer het later opnieuw."),
    500: ("serverfout", "Er ging iets mis aan onze kant."),
    503: ("niet_beschikbaar", "De dienst is tijdelijk niet beschikbaar."),
}


def error_body(
    status: int, code: str = "", message: str = "", fields: Any = None
) -> dict[str, Any]:
    default_code, default_message = _CODES.get(status, ("fout", "Er ging iets mis."))
    body: dict[str, Any] = {
        "status": status,
        "code": code or default_code,
        "message": message or default_message,
    }
    if fields:
        body["fields"] = fields
    return {"error": body}


def error_response(*, status: int, code: str = "", message: str = "") -> JsonResponse:
    return JsonResponse(error_body(status, code, message), status=status)


class ApiError(exceptions.APIException):
    """An error with its own code in the error format; subclasses set status and code."""

    error_code = ""


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    status = exc.status_code
    fields = exc.detail if isinstance(exc, exceptions.ValidationError) else None
    message = "" if fields is not None else str(exc.detail)
    code = str(getattr(exc, "error_code", ""))
    response = Response(
        error_body(status, code=code, message=message, fields=fields), status=status
    )
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait:
        response["Retry-After"] = str(int(wait))
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    return response
