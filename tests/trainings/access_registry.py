"""Who may open the pages and API operations of the registry area: URL name → roles (own
organisation). `test_access_registry.py` tries every role on its own and another organisation."""

from __future__ import annotations

from typing import Any

RULES: dict[str, Any] = {}
