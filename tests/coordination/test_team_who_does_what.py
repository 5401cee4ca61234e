"""'Wie doet wat': every professional with role, organisation, phone and agreements for the team;
for the family a printout in plain Dutch with exactly one contact point, the casusregisseur,
logged as a print."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.coordination import agreements
from meldwijzer.coordination.models import TeamMember
from meldwijzer.coordination.selectors import file_access_for
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, team

pytestmark = pytest.mark.django_db

PHONES = {"coordinator": "0527 111 111", "colleague": "0527 222 222", "partner": "0527 333 333"}


@pytest.fixture
def world():
    world = team()
    TeamMember.objects.filter(file=world.file, user=world.coordinator).update(
        phone=PHONES["coordinator"]
    )
    TeamMember.objects.filter(file=world.file, user=world.colleague_in_team).update(
        phone=PHONES["colleague"]
    )
    TeamMember.objects.filter(file=world.file, user=world.partner).update(phone=PHONES["partner"])
    lead = actor_of(world.coordinator)
    access = file_access_for(lead, world.file)
    agreements.agreement_create(
        actor=lead,
        access=access,
        what="Wekelijks huisbezoek",
        party="professional",
        owner=world.colleague_in_team,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    agreements.agreement_create(
        actor=lead,
        access=access,
        what="Oma haalt Sem op dinsdag van school",
        party="netwerk",
        owner_name="Oma Gerda",
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    return world


def test_the_team_overview_shows_every_professional_with_phone_and_agreements(client, world):
    force_verified_login(client, world.partner)
    page = client.get(reverse("coordination:who_does_what", args=[world.file.pk])).content.decode()
    for user in (world.coordinator, world.colleague_in_team, world.partner):
        assert user.get_full_name() in page
    for phone in PHONES.values():
        assert phone in page
    assert "Wekelijks huisbezoek" in page and "Oma haalt Sem" in page


def _printed(html):
    start = html.index('<div class="mw-family-print">')
    return html[start : html.index('<footer class="mw-footer">', start)]


def test_the_family_printout_has_exactly_one_contact_point_the_casusregisseur(client, world):
    force_verified_login(client, world.partner)
    response = client.get(reverse("coordination:who_does_what_print", args=[world.file.pk]))
    assert response.status_code == 200
    # What goes on paper: the printout, without the site's footer (hidden in print, see
    # team-print.css), which names 112 and Veilig Thuis on every page.
    page = _printed(response.content.decode())
    assert page.count("data-contact-point") == 1
    assert PHONES["coordinator"] in page
    assert PHONES["colleague"] not in page and PHONES["partner"] not in page
    assert re.findall(r'href="tel:([^"]+)"', page) == [PHONES["coordinator"]]
    assert world.coordinator.get_full_name() in page
    # The others are named, with what they do, but never as someone to call.
    assert world.colleague_in_team.get_full_name() in page
    assert "Wekelijks huisbezoek" in page


def test_the_printout_is_logged_as_a_print_with_the_ground(client, world):
    force_verified_login(client, world.partner)
    client.get(reverse("coordination:who_does_what_print", args=[world.file.pk]))
    row = AccessLogEntry.objects.filter(user=world.partner, action="print").get()
    assert row.client_id == world.file.client_pseudonym
    assert row.ground.startswith("toestemming:")


def test_nobody_outside_the_team_sees_or_prints_it(client, world):
    force_verified_login(client, world.stranger)
    for name in ("coordination:who_does_what", "coordination:who_does_what_print"):
        assert client.get(reverse(name, args=[world.file.pk])).status_code == 404
