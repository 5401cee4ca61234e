"""Who of the family or network keeps an agreement is a name of the family. A partner whose grant
opens the team but not the family (`gezin`) sees that the family or the network keeps it, not who:
on the agreements page, the overview, 'wie doet wat' and its printout, the edit page and the API.
The leading organisation's team, and a partner with the `gezin` part, see the name."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.coordination import agreements
from meldwijzer.coordination.agreements import agreement_version
from meldwijzer.coordination.models import Agreement, FileParts
from meldwijzer.coordination.selectors import file_access_for
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, team

pytestmark = pytest.mark.django_db

NAME = "Oma Wilhelmina"


def _agreement(world) -> Agreement:
    actor = actor_of(world.coordinator)
    agreement = agreements.agreement_create(
        actor=actor,
        access=file_access_for(actor, world.file),
        what="Haalt de kinderen op woensdag op",
        party="netwerk",
        owner_name=NAME,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    # Overdue, so that the overview lists it too.
    Agreement.objects.filter(pk=agreement.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    return Agreement.objects.get(pk=agreement.pk)


def _reads(client, world, agreement) -> list[str]:
    file_id = world.file.pk
    pages = [
        reverse("coordination:detail", args=[file_id]),
        reverse("coordination:agreements", args=[file_id]),
        reverse("coordination:who_does_what", args=[file_id]),
        reverse("coordination:who_does_what_print", args=[file_id]),
        reverse("coordination:agreement_edit", args=[file_id, agreement.pk]),
        reverse("api:coordination-agreements", args=[file_id]),
    ]
    bodies = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    patched = client.patch(
        reverse("api:coordination-agreement-detail", args=[file_id, agreement.pk]),
        {"state": "gedaan", "version": agreement_version(agreement)},
        content_type="application/json",
    )
    assert patched.status_code == 200
    bodies.append(patched.content.decode())
    return bodies


def test_a_partner_without_the_family_part_does_not_read_the_owners_name(client):
    world = team(partner_parts=(FileParts.SAFETY_PLAN,))
    agreement = _agreement(world)
    force_verified_login(client, world.partner)
    for body in _reads(client, world, agreement):
        assert NAME not in body
    row = client.get(reverse("api:coordination-agreements", args=[world.file.pk])).json()[0]
    assert row["party"] == "netwerk" and row["owner_name"] == "Netwerk"
    assert Agreement.objects.get(pk=agreement.pk).owner_name == NAME


@pytest.mark.parametrize("who", ["colleague_in_team", "partner_with_family"])
def test_the_leading_team_and_a_partner_with_the_family_part_read_it(client, who):
    world = team(partner_parts=(FileParts.FAMILY,))
    agreement = _agreement(world)
    user = world.colleague_in_team if who == "colleague_in_team" else world.partner
    force_verified_login(client, user)
    bodies = _reads(client, world, agreement)
    assert all(NAME in body for body in bodies[1:])
