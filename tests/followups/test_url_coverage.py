"""Every follow-up page and API operation has an access rule.

`tests/test_url_access.py` hands every `followups:` URL and every `api:followup…` operation to the
follow-up tables (`access_pages.py`, `access_api.py`, each tested against plans of the own
organisation, of another organisation the professional follows on a grant, and of an organisation
outside it): a new one has to be added there, with its rule, before it can be merged.
"""

from __future__ import annotations

from tests.followups import access_api, access_pages
from tests.test_url_access import url_patterns


def is_followup_url(name: str) -> bool:
    return name.startswith("followups:") or name.startswith("api:followup")


def test_every_followup_url_has_an_access_rule():
    names = {name for name, _, _ in url_patterns() if is_followup_url(name)}
    tables = set(access_pages.URL_ACCESS) | set(access_pages.ELSEWHERE) | set(access_api.URL_ACCESS)
    missing = sorted(names - tables)
    assert not missing, f"follow-up URLs without an access rule: {missing}"
    stale = sorted(tables - names)
    assert not stale, f"access rules for follow-up URLs that no longer exist: {stale}"
