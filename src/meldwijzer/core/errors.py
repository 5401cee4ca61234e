"""The JSON error format of the API, also used for API paths outside Django REST framework
(error pages, refusals in middleware):

{"error": {"status": 400, "code": "ongeldige_invoer", "message": "…", "fields": {…}}}
"""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

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


def error_response(
    *, status: int, code: str = "", message: str = "", fields: Any = None
) -> JsonResponse:
    return JsonResponse(error_body(status, code, message, fields), status=status)
