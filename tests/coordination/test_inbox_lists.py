"""Veilig Thuis' inbox at national scale: pages of 50, newest first, the filter on receipt in the
database — one page runs the same queries for 3 reports as for 60, page 2 shows the rest, and
the filter holds there; the API pages the same list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.coordination.models import IncomingReport
from tests.conftest import force_verified_login
from tests.coordination.inbox_builders import member, reporter, send, veilig_thuis

ROW = '<tr class="utrecht-table__row">'


@pytest.fixture
def vt(db):
    return veilig_thuis()


def copies(report: IncomingReport, count: int, **changes: object) -> None:
    """`count` more reports like `report`, each sent a minute earlier than the one before, not
    linked to a case (one report per case); written in bulk, as the inbox only reads them."""
    rows = []
    oldest = IncomingReport.objects.order_by("sent_at").first()
    assert oldest is not None
    for number in range(1, count + 1):
        copy = IncomingReport.objects.get(pk=report.pk)
        copy.pk, copy.case = None, None
        copy.sent_at = oldest.sent_at - datetime.timedelta(minutes=number)
        for name, value in changes.items():
            setattr(copy, name, value)
        rows.append(copy)
    IncomingReport.objects.bulk_create(rows)


def page(client, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("coordination:inbox"), params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_inbox_in_pages_of_50_runs_the_same_queries_for_3_reports_as_for_60(client, vt):
    report = send(reporter(), vt)
    force_verified_login(client, member(vt))
    page(client)  # the first request of a session does more (session, checkpoint)
    copies(report, 2)
    few, first = page(client)
    assert first.count(ROW) == 1 + 3 and "Paginering" not in first

    copies(report, 49)  # 52 not yet received
    copies(report, 8, received_at=timezone.now())  # and 8 received: 60
    many, first = page(client)

    assert many == few
    assert first.count(ROW) == 1 + 50 and "Pagina 1 van 2 (60 meldingen)" in first
    _, second = page(client, {"pagina": "2"})
    assert second.count(ROW) == 1 + 10
    _, new_first = page(client, {"stand": "nieuw"})
    assert "Pagina 1 van 2 (52 meldingen)" in new_first and "stand=nieuw&amp;pagina=2" in new_first
    _, new_second = page(client, {"stand": "nieuw", "pagina": "2"})
    assert new_second.count(ROW) == 1 + 2
    assert new_second.count("mw-badge--late") == 2  # both not yet received
    _, received = page(client, {"stand": "ontvangen", "pagina": "2"})
    assert received.count(ROW) == 1 + 8  # a page past the last shows the last


def test_the_inbox_in_the_api_in_pages(client, vt, django_assert_max_num_queries):
    report = send(reporter(), vt)
    force_verified_login(client, member(vt))
    url = reverse("api:coordination-report-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).json()["count"] == 1
    copies(report, 51)
    copies(report, 8, received_at=timezone.now())

    with django_assert_max_num_queries(len(few)):
        body = client.get(url).json()
    assert body["count"] == 60 and len(body["results"]) == 50
    assert len(client.get(url, {"page": "2"}).json()["results"]) == 10
    new = client.get(url, {"state": "nieuw", "page": "2"}).json()
    assert new["count"] == 52 and len(new["results"]) == 2
    assert {row["received_at"] for row in new["results"]} == {None}
    assert client.get(url, {"state": "kapot"}).status_code == 400
    assert client.get(url, {"page": "3"}).status_code == 404
