"""The matching URLs of coordination in the access table (`test_url_access.py`): each URL's rule,
and how to make the objects its URLs name in the table's world."""

from __future__ import annotations

from collections.abc import Callable

from tests.coordination.access import FileAccess, World

URL_ACCESS: dict[str, FileAccess] = {}

OBJECTS: dict[str, Callable[[World], int]] = {}
