"""The members page at national scale: pages of 50 by name, the search in the database — one
page runs the same queries for 3 people as for 60, page 2 shows the rest and keeps the search."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Membership
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login

ROW = '<tr class="utrecht-table__row">'


def people(organisation, count: int, last_name: str) -> None:
    """`count` professionals of `organisation`, written in bulk: the page only reads them."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(username=f"mw{start + n}", first_name="Test", last_name=f"{last_name} {n:02d}")
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=Role.PROFESSIONAL) for user in users
    )


def page(client, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("organisations:member_list"), params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_members_in_pages_of_50_with_the_same_queries_for_3_as_for_60(
    client, make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    force_verified_login(client, admin)
    page(client)  # the first request of a session does more (session, checkpoint)
    people(organisation, 2, "Jansen")
    few, first = page(client)
    assert first.count(ROW) == 1 + 3 and "Paginering" not in first

    people(organisation, 55, "Jansen")
    people(organisation, 2, "Bakker")
    people(other_organisation, 5, "Jansen")  # not of this organisation
    many, first = page(client)

    assert many == few
    assert first.count(ROW) == 1 + 50 and "Pagina 1 van 2 (60 medewerkers)" in first
    _, second = page(client, {"pagina": "2"})
    assert second.count(ROW) == 1 + 10
    _, found = page(client, {"zoek": "jansen"})
    assert "Pagina 1 van 2 (57 medewerkers)" in found and "zoek=jansen&amp;pagina=2" in found
    _, found_second = page(client, {"zoek": "jansen", "pagina": "2"})
    assert found_second.count(ROW) == 1 + 7 and "Bakker" not in found_second
    _, nothing = page(client, {"zoek": "de\x00vries"})
    assert "Geen medewerkers gevonden" in nothing
