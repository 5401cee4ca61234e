"""'Mijn regiedossiers' at national scale: pages of 50, newest activity first, the open or closed
files filtered in the database — one page runs the same queries for 3 files as for 60, page 2
shows the rest and keeps the filter; the API pages the same list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.coordination.models import CoordinationFile, FileState
from tests.conftest import force_verified_login
from tests.coordination.builders import coordinator, file_open

ROW = '<tr class="utrecht-table__row">'


@pytest.fixture
def lead(db):
    return coordinator()


def copies(file: CoordinationFile, count: int, **changes: object) -> None:
    """`count` more files like `file` (same casusregisseur), written in bulk: the list only
    reads them."""
    rows = []
    for _ in range(count):
        copy = CoordinationFile.objects.get(pk=file.pk)
        number = CoordinationFile.objects.count() + len(rows)
        copy.pk, copy.reference = None, f"RD-{number}"
        copy.client_pseudonym = f"{file.client_pseudonym[:16]}-{number}"
        for name, value in changes.items():
            setattr(copy, name, value)
        rows.append(copy)
    CoordinationFile.objects.bulk_create(rows)


def page(client, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("coordination:list"), params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_my_files_in_pages_of_50_with_the_same_queries_for_3_as_for_60(client, lead):
    file = file_open(lead)
    force_verified_login(client, lead)
    page(client)  # the first request of a session does more (session, checkpoint)
    copies(file, 2)
    few, first = page(client)
    assert first.count(ROW) == 1 + 3 and "Paginering" not in first

    copies(file, 57)
    copies(file, 53, state=FileState.CLOSED, closed_at=timezone.now())
    many, first = page(client)

    assert many == few
    assert first.count(ROW) == 1 + 50 and "Pagina 1 van 2 (60 regiedossiers)" in first
    _, second = page(client, {"pagina": "2"})
    assert second.count(ROW) == 1 + 10
    _, closed_first = page(client, {"stand": "gesloten"})
    assert "Pagina 1 van 2 (53 regiedossiers)" in closed_first
    assert "stand=gesloten&amp;pagina=2" in closed_first
    _, closed_second = page(client, {"stand": "gesloten", "pagina": "2"})
    assert closed_second.count(ROW) == 1 + 3


def test_my_files_in_the_api_in_pages(client, lead, django_assert_max_num_queries):
    file = file_open(lead)
    force_verified_login(client, lead)
    url = reverse("api:coordination-file-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).json()["count"] == 1
    copies(file, 59)
    copies(file, 5, state=FileState.CLOSED, closed_at=timezone.now())

    with django_assert_max_num_queries(len(few)):
        body = client.get(url).json()
    assert body["count"] == 60 and len(body["results"]) == 50
    assert len(client.get(url, {"page": "2"}).json()["results"]) == 10
