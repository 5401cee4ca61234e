"""Two people of the leading organisation correct the same family member at once: the second
save, started from what the first has since changed, is a conflict (409) and overwrites nothing —
as for agreements, the next contact and the safety plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.coordination import team
from meldwijzer.coordination.models import FamilyMember
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.coordination.services import ConflictError, FamilyMemberData
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of
from tests.coordination.builders import team as team_world

pytestmark = pytest.mark.django_db


def _edit(world, person):
    return reverse("coordination:family_edit", args=[world.file.pk, person.pk])


def test_a_correction_started_from_an_older_version_is_a_conflict(client):
    world = team_world()
    person = FamilyMember.objects.get(file=world.file, name="Ouder Testgezin")
    force_verified_login(client, world.colleague_in_team)
    form = client.get(_edit(world, person)).context["form"]
    seen = form.initial["version"]

    actor = actor_of(world.coordinator)
    team.family_member_update(
        actor=actor,
        access=file_access_for(actor, world.file),
        family_member=person,
        member=FamilyMemberData("ouder", "Ouder Testgezin", "moeder", phone="06 1111 1111"),
        expected_version=seen,
    )

    response = client.post(
        _edit(world, person),
        {"role": "ouder", "name": "Ouder Testgezin", "relation": "moeder", "phone": "06 2222",
         "version": seen},
    )  # fmt: skip
    assert response.status_code == 409
    person.refresh_from_db()
    assert person.phone == "06 1111 1111"


def test_a_correction_from_the_current_version_is_saved(client):
    world = team_world()
    person = FamilyMember.objects.get(file=world.file, name="Ouder Testgezin")
    force_verified_login(client, world.colleague_in_team)
    seen = client.get(_edit(world, person)).context["form"].initial["version"]
    response = client.post(
        _edit(world, person),
        {"role": "ouder", "name": "Ouder Testgezin", "phone": "06 3333", "version": seen},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "06 3333"
    with pytest.raises(ConflictError):
        actor = actor_of(world.coordinator)
        team.family_member_update(
            actor=actor,
            access=file_access_for(actor, world.file),
            family_member=person,
            member=FamilyMemberData("ouder", "Ouder Testgezin", phone="06 4444"),
            expected_version=seen,
        )
