"""The matching URLs of coordination in the access table (`test_url_access.py`): each URL's rule,
and how to make the objects its URLs name in the table's world.

Everyone with case work has a 'Samenloop' list (their own signals, maybe none). A signal belongs
to its two professionals only: in the table's world it is made between the file's casusregisseur
(the leading organisation's registration of the child) and a professional of the outside
organisation who opened a case about the same child; for everyone else — colleagues of either
side too — it is 'not found'."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from meldwijzer.cases import services as case_services
from meldwijzer.coordination import matching
from tests.coordination.access import LEADER, WORKERS, FileAccess, World
from tests.coordination.builders import actor_of, professional

URL_ACCESS: dict[str, FileAccess] = {
    "coordination:match_list": FileAccess(WORKERS, team=WORKERS, foreign=WORKERS, denied=403),
    "coordination:match_seen": FileAccess(LEADER, method="post", ok=302),
    "api:coordination-match-signals": FileAccess(
        WORKERS, team=WORKERS, foreign=WORKERS, anonymous=401, denied=403
    ),
    "api:coordination-match-signal-seen": FileAccess(LEADER, method="post", anonymous=401),
}


def signal_make(world: World) -> int:
    """A signal between the file's casusregisseur and a professional of the outside
    organisation, who registered the file's child ('Kind Testgezin', see `builders.file_open`)."""
    other = actor_of(professional(world.outsider))
    case = case_services.case_open(
        actor=other,
        title="Zorgen over een kind",
        profession="kinderopvang",
        client="kind",
        name="Kind Testgezin",
        date_of_birth=datetime.date(2016, 5, 1),
    )
    (signal,) = matching.registration_match(
        registration=matching.registration_of_person(case.persons.get())
    )
    assert (
        signal.first_user == world.file.coordinator or signal.second_user == world.file.coordinator
    )
    return signal.pk


OBJECTS: dict[str, Callable[[World], int]] = {"signal_id": signal_make}
