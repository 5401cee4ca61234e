"""The check every download of an uploaded file must pass (see `core/downloads.py`)."""

from __future__ import annotations

from django.http import HttpResponse


def assert_safe_download(response: HttpResponse, content_type: str) -> None:
    """Never shown inline, never sniffed into something else, nothing in it runs."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].split(";")[0] == content_type
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy and "default-src 'none'" in policy
