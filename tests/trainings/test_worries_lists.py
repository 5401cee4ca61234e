"""The lists of shared worries at national scale: pages of 50, open first, sorted and counted in
the database — one page runs the same queries for 3 worries as for 60, and page 2 shows the
rest; the API pages the same lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldwijzer.trainings.models import Worry, WorryState
from tests.conftest import force_verified_login
from tests.trainings.builders_worries import region, share

CARD = '<li class="mw-card">'


@pytest.fixture
def world(db):
    return region()


def copies(worry: Worry, count: int, **changes: object) -> None:
    """`count` more worries like `worry`, written in bulk: the lists only read them."""
    rows = []
    for _ in range(count):
        copy = Worry.objects.get(pk=worry.pk)
        copy.pk = None
        copy.reference = f"Z-{Worry.objects.count() + len(rows)}"
        for name, value in changes.items():
            setattr(copy, name, value)
        rows.append(copy)
    Worry.objects.bulk_create(rows)


def page(client, name: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize(
    ("who", "name"), [("teacher", "trainings:worries"), ("officer", "trainings:worry_inbox")]
)
def test_a_list_of_worries_in_pages_of_50_with_the_same_queries_for_3_as_for_60(
    client, world, who, name
):
    worry = share(world.teacher)
    force_verified_login(client, getattr(world, who))
    page(client, name)  # the first request of a session does more (session, checkpoint)
    copies(worry, 2)
    few, first = page(client, name)
    assert first.count(CARD) == 3 and "Paginering" not in first

    copies(worry, 5, state=WorryState.CLOSED)
    copies(worry, 52)
    many, first = page(client, name)

    assert many == few
    assert first.count(CARD) == 50 and "Pagina 1 van 2 (60 zorgen)" in first
    assert "Gesloten" not in first  # open first
    _, second = page(client, name, {"pagina": "2"})
    assert second.count(CARD) == 10 and second.count("<strong>Gesloten</strong>") == 5


def test_the_worries_in_the_api_in_pages(client, world, django_assert_max_num_queries):
    worry = share(world.teacher)
    force_verified_login(client, world.officer)
    url = reverse("api:trainings-worry-inbox")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).json()["count"] == 1
    copies(worry, 59)

    with django_assert_max_num_queries(len(few)):
        body = client.get(url).json()
    assert body["count"] == 60 and len(body["results"]) == 50
    assert len(client.get(url, {"page": "2"}).json()["results"]) == 10
