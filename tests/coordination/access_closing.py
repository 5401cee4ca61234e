"""Closing a coordination file in the access table (`test_url_access.py`): the page and the API
operation are the casusregisseur's only (the hold page: whoever places legal holds there); everyone else, in the leading organisation, the partner
in the team or outside, finds no such file (404, logged). The API is posted without a body, so an
allowed call stops at its input check (400) and the world's file stays open."""

from __future__ import annotations

from collections.abc import Callable

from meldwijzer.organisations.roles import Role
from tests.coordination.access import LEADER, FileAccess, World

URL_ACCESS: dict[str, FileAccess] = {
    "coordination:file_close": FileAccess(LEADER),
    "api:coordination-file-close": FileAccess(LEADER, method="post", ok=400, anonymous=401),
    # Legal holds: the aandachtsfunctionaris and functioneel beheer of the leading organisation,
    # who see only the file's reference and its holds there.
    "coordination:file_holds": FileAccess(
        frozenset({Role.MELDCODE_OFFICER, Role.FUNCTIONAL_ADMIN})
    ),
}

OBJECTS: dict[str, Callable[[World], int]] = {}
