"""The manage page of the sociale kaart at national scale: the providers in pages of 50 with a
search on name, and at most the 50 oldest out-of-date records of each kind with their total —
read and counted in the database, so one page runs the same queries for 3 providers as for 60."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.organisations.roles import Role
from meldwijzer.social_map.models import Provider

CARD = '<li class="mw-card">'


def providers(owner, count: int, name: str, verified_on: datetime.date | None) -> None:
    """`count` providers kept by `owner`, written in bulk: the page only reads them."""
    Provider.objects.bulk_create(
        Provider(
            name=f"{name} {n:02d}",
            description="Hulp bij huiselijk geweld.",
            owner=owner,
            sector="wijkteam",
            verified_on=verified_on,
        )
        for n in range(count)
    )


def page(client, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("social_map:manage"), params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_providers_in_pages_of_50_and_the_oldest_50_to_check(
    verified, make_member, organisation, other_organisation
):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    today = timezone.localdate()
    providers(organisation, 3, "Wijkteam", today)
    page(client)  # the first request of a session does more (session, checkpoint)
    few, first = page(client)
    assert first.count(CARD) == 3 and "Te controleren (0)" in first

    providers(organisation, 2, "Huisarts", None)  # never checked
    providers(organisation, 53, "Wijkteam Noord", datetime.date(2020, 1, 1))
    providers(other_organisation, 5, "Wijkteam Elders", None)  # kept by someone else
    many, first = page(client)

    assert many == few
    assert first.count(CARD) == 50 and "Pagina 1 van 2 (58 aanbieders)" in first
    assert "Te controleren (55)" in first and "Hieronder staan de 50" in first
    assert first.count("Verouderd</span>") == 50 and "Elders" not in first
    _, second = page(client, {"pagina": "2"})
    assert second.count(CARD) == 8
    _, found = page(client, {"zoek": "noord", "pagina": "2"})
    assert "Pagina 2 van 2 (53 aanbieders)" in found and found.count(CARD) == 3
