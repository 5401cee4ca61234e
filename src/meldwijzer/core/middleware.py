"""Pages for logged-in people may hold client data: browsers and proxies must not keep them. A
response that says itself it is public (the sociale kaart's open-data downloads) keeps its own
caching rules."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        if not request.path.startswith("/static/") and "public" not in directives:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
