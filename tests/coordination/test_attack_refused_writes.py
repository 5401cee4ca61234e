"""A write the actor may not make is refused as 'not found' and logged as refused — never first
logged as a change that was allowed. A team member who is not the casusregisseur tries to hand
over the regie, and to confirm a 'niet veilig' note, through the pages and the API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.coordination import contacts
from meldwijzer.coordination.contacts import ContactData
from meldwijzer.coordination.models import FileParts, Handover, UnsafeAcknowledgement
from meldwijzer.coordination.selectors import file_access_for
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, coordinator, team

pytestmark = pytest.mark.django_db


def _changes_allowed(user, file) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            user=user,
            subject_id=str(file.pk),
            outcome=AccessOutcome.ALLOWED,
            action__in=[Action.CREATE, Action.UPDATE],
        )
    )


def _refused(user, file) -> int:
    return AccessLogEntry.objects.filter(
        user=user, subject_id=str(file.pk), outcome=AccessOutcome.DENIED
    ).count()


def _unsafe_note(world):
    actor = actor_of(world.colleague_in_team)
    return contacts.contact_note_create(
        actor=actor,
        access=file_access_for(actor, world.file),
        data=ContactData(
            contact_date=timezone.localdate() - datetime.timedelta(days=1),
            with_whom="moeder",
            summary="Thuis bezocht.",
            plan_kept="deels",
            safety="onveilig",
        ),
    )


@pytest.mark.parametrize("how", ["page", "api"])
def test_a_partner_proposing_a_handover_is_refused_and_never_logged_as_a_change(client, how):
    world = team(partner_parts=(FileParts.SAFETY_PLAN, FileParts.CONTACTS))
    other = coordinator()
    force_verified_login(client, world.partner)
    if how == "page":
        response = client.post(
            reverse("coordination:handovers", args=[world.file.pk]),
            {"receiver": f"{other.pk}:{actor_of(other).organisation.pk}", "note": "Neem over."},
        )
    else:
        response = client.post(
            reverse("api:coordination-handover-propose", args=[world.file.pk]),
            {
                "to_user_id": other.pk,
                "to_organisation_id": actor_of(other).organisation.pk,
                "note": "Neem over.",
            },
            content_type="application/json",
        )
    assert response.status_code == 404
    assert not Handover.objects.exists()
    assert _changes_allowed(world.partner, world.file) == []
    assert _refused(world.partner, world.file) == 1


@pytest.mark.parametrize("how", ["page", "api"])
def test_a_colleague_confirming_a_niet_veilig_note_is_refused_and_never_logged_as_a_change(
    client, how
):
    world = team()
    note = _unsafe_note(world)
    before = len(_changes_allowed(world.colleague_in_team, world.file))
    force_verified_login(client, world.colleague_in_team)
    if how == "page":
        url = reverse("coordination:contact_acknowledge", args=[world.file.pk, note.pk])
        response = client.post(url, {"action": "Gebeld."})
    else:
        url = reverse("api:coordination-contact-acknowledge", args=[world.file.pk, note.pk])
        response = client.post(url, {"action": "Gebeld."}, content_type="application/json")
    assert response.status_code == 404
    assert not UnsafeAcknowledgement.objects.exists()
    assert len(_changes_allowed(world.colleague_in_team, world.file)) == before
    assert _refused(world.colleague_in_team, world.file) == 1
