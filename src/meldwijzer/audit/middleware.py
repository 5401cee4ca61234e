"""Give the access log the client's address, and turn a failed log write into a clear refusal."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.audit.context import client_ip
from meldwijzer.audit.services import AuditWriteError
from meldwijzer.core.network import client_address


class AuditFailureMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The same address login throttling uses: behind the proxy, the client's, not the proxy's.
        token = client_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AuditWriteError):
            return None
        if request.path.startswith("/api/"):
            from meldwijzer.core.errors import error_response

            return error_response(
                status=503,
                code="toegangslogboek_onbeschikbaar",
                message="De handeling is niet uitgevoerd: het toegangslogboek kon niet worden "
                "bijgewerkt. Probeer het later opnieuw.",
            )
        return render(request, "errors/audit_unavailable.html", status=503)
