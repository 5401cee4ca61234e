"""One error format for the whole API:

{"error": {"status": 400, "code": "ongeldige_invoer", "message": "…", "fields": {…}}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from meldwijzer.core.errors import error_body, error_response

__all__ = ["ApiError", "error_body", "error_response", "exception_handler"]


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
    if isinstance(fields, list):  # a refusal of the whole input, not of one field
        fields = {"non_field_errors": fields}
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
