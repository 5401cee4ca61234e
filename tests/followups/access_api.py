"""Who may call which follow-up API operation (filled in with the API)."""

from __future__ import annotations

from typing import Any

URL_ACCESS: dict[str, Any] = {}
