"""The client's address: the one place that decides which address a request came from.

Without a reverse proxy it is the address of the connection (`REMOTE_ADDR`), and an
`X-Forwarded-For` header is ignored: anyone can send one. With `MELDWIJZER_BEHIND_PROXY` the
connection comes from the nearest proxy, and each trusted proxy appends the address it received
the request from to `X-Forwarded-For`. Of the `MELDWIJZER_TRUSTED_PROXY_COUNT` (default 1) right-
most entries, which the trusted proxies wrote, the left-most is the address the outermost trusted
proxy saw: the client. Everything left of it came from the client and is never believed.

`client_address` is used by login throttling (django-axes), by the access log (through
`audit.context.client_ip`) and, because `ClientAddressMiddleware` runs first and puts the result in
`REMOTE_ADDR`, by everything after it that reads `REMOTE_ADDR` (the API's throttling included).
The middleware also moves the header out of the way (to `META["MELDWIJZER_FORWARDED_FOR"]`), so
no later code reads it by itself; the proxy's own address is kept in
`META["MELDWIJZER_PROXY_ADDR"]`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.ipv6 import clean_ipv6_address

_DERIVED = "meldwijzer.client_address"
PROXY_ADDRESS_META = "MELDWIJZER_PROXY_ADDR"
FORWARDED_FOR_META = "MELDWIJZER_FORWARDED_FOR"


def normalised_address(value: str | None) -> str | None:
    """`value` as an IP address in the form the database stores (IPv6 compressed, no zone or
    port, no brackets); None when it is not an IP address."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


def _forwarded_client(request: HttpRequest, trusted: int) -> str | None:
    header = request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get(FORWARDED_FOR_META, "")
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not entries:
        return None
    # The right-most `trusted` entries were written by our proxies; with fewer entries than
    # proxies the left-most one was written by a proxy too.
    return normalised_address(entries[-min(trusted, len(entries))])


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, as throttling and the access log must see it.

    The name and signature are stable: `AXES_CLIENT_IP_CALLABLE` points here.
    """
    if _DERIVED in request.META:
        return request.META[_DERIVED]
    peer = request.META.get(PROXY_ADDRESS_META) or request.META.get("REMOTE_ADDR")
    address = normalised_address(peer)
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 1))
    if getattr(settings, "BEHIND_PROXY", False) and trusted > 0:
        # A header that names no valid address leaves the proxy's own: never a guess.
        address = _forwarded_client(request, trusted) or address
    request.META[_DERIVED] = address
    return address


class ClientAddressMiddleware:
    """First in the chain: make `REMOTE_ADDR` the client's address for all code after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR", "")
        address = client_address(request)
        if address and address != peer:
            request.META[PROXY_ADDRESS_META] = peer
            request.META["REMOTE_ADDR"] = address
        # Later code must not read the header itself: Django REST framework's throttling, for
        # one, would take the whole (client-written) header as the client's identity.
        forwarded = request.META.pop("HTTP_X_FORWARDED_FOR", None)
        if forwarded is not None:
            request.META[FORWARDED_FOR_META] = forwarded
        return self.get_response(request)
