"""Every API operation is in the OpenAPI document and refuses an anonymous caller.

The URL access tables (`tests/test_url_access.py` and the tables per app) fail for a new URL
pattern without a rule. These two checks close what they do not see: a method added to an
existing URL (a POST next to a GET) that the document does not list, and an operation that
answers without a login. A new public operation has to be listed in `PUBLIC`.
"""

from __future__ import annotations

import re

from django.test import Client
from django.urls import resolve

from tests.test_url_access import url_patterns

PUBLIC = {
    ("GET", "/api/v1/directory/organizations/"),
    ("GET", "/api/v1/directory/organizations/{organization_uid}/"),
    ("GET", "/api/v1/directory/services/"),
    ("GET", "/api/v1/directory/services/{service_uid}/"),
}
"""The open sociale kaart: public records only, for anyone."""
NOT_OPERATIONS = {"api:root", "api:schema"}
SAMPLE = {"int": "1", "uuid": "6f1c9f8e-6a3d-4f55-9a37-2a8f0f3c1a01"}


def _documented() -> dict[str, set[str]]:
    paths = Client().get("/api/v1/schema/").json()["paths"]
    return {path: {method.upper() for method in methods} for path, methods in paths.items()}


def _concrete(path: str, converters: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(converters.get(m.group(1), ""), "scan"), path)


def _routes() -> dict[str, tuple[str, dict[str, str]]]:
    """Each API URL pattern as the document's path, with its arguments' converters."""
    found = {}
    for name, route, _ in url_patterns():
        if not name.startswith("api:") or name in NOT_OPERATIONS:
            continue
        converters = {
            argument: converter or "str"
            for converter, argument in re.findall(r"<(?:(\w+):)?(\w+)>", route)
        }
        found[name] = ("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), converters)
    return found


def test_every_method_an_api_url_answers_is_documented():
    documented = _documented()
    for name, (path, converters) in _routes().items():
        assert path in documented, f"{name} ({path}) is not in the OpenAPI document"
        view = resolve(_concrete(path, converters)).func.view_class  # type: ignore[attr-defined]
        answered = {
            method.upper()
            for method in view.http_method_names
            if method not in ("head", "options") and hasattr(view, method)
        }
        assert answered == documented[path], (name, answered, documented[path])


def test_every_operation_refuses_an_anonymous_caller_unless_public(db):
    client = Client()
    converters = dict(_routes().values())
    opened = set()
    for path, methods in _documented().items():
        url = _concrete(path, converters.get(path, {}))
        for method in methods:
            response = client.generic(method, url, data=b"{}", content_type="application/json")
            assert response.status_code < 500, (method, path)
            if response.status_code != 401:
                opened.add((method, path))
    assert opened == PUBLIC, f"answered without a login: {sorted(opened - PUBLIC)}"
