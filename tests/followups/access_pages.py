"""Who may open which follow-up page (filled in with the pages)."""

from __future__ import annotations

from typing import Any

URL_ACCESS: dict[str, Any] = {}

URL_ACCESS.update({"followups:figures": "see test_figures_access.py"})
