"""Every page and API operation of the meldcode app has an access rule.

Each area keeps its own table (`access_<area>.py`: `RULES`, a URL name → who may open it) and
tests it per role, own and other organisation, in `test_access_<area>.py`. This test makes sure
no URL of the app is left out and no rule names a URL that no longer exists.
"""

from __future__ import annotations

from tests.test_url_access import url_patterns
from tests.trainings import (
    access_home,
    access_knowledge,
    access_registry,
    access_selfcheck,
    access_worries,
)

AREAS = (access_home, access_registry, access_knowledge, access_worries, access_selfcheck)


def is_trainings_url(name: str) -> bool:
    return name.startswith("trainings:") or name.startswith("api:trainings")


def test_every_trainings_url_has_a_rule():
    names = {name for name, _, _ in url_patterns() if is_trainings_url(name)}
    ruled = [name for area in AREAS for name in area.RULES]
    assert len(ruled) == len(set(ruled)), "a URL has a rule in two areas"
    missing = sorted(names - set(ruled))
    assert not missing, f"meldcode URLs without an access rule: {missing}"
    stale = sorted(set(ruled) - names)
    assert not stale, f"access rules for meldcode URLs that no longer exist: {stale}"
