"""Per-request context the access log needs but services should not have to pass around."""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("meldwijzer_client_ip", default=None)
