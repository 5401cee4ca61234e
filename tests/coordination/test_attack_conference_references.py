"""A pseudonymised item names nobody — and no reference either. The file's reference (which every
team member, a match notice and the worklists show), a meldcode case's reference or an e-mail
address would tell a participant who the family is; the screening refuses them in the question,
the summary and the decisions, through the service and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.coordination import conferences
from meldwijzer.coordination.conference_screening import ScreeningError, text_screen
from meldwijzer.coordination.models import ConferenceItem
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of
from tests.coordination.conference_builders import access_of, meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Besproken in RD-2026-0001.",
        "Zie regiedossier rd-2026-0012 voor de rest",
        "Uit casus MW-2026-00042 van school",
        "Mail moeder via sanne.verhoeven@example.nl",
    ],
)
def test_references_and_e_mail_addresses_are_refused(text):
    assert text_screen(text, [])


def test_clean_text_with_numbers_still_passes():
    assert text_screen("Twee kinderen, 3 zorgen, sinds 2024 bekend bij 1 school.", []) == []


def test_the_files_reference_cannot_reach_a_pseudonymised_item():
    m = meeting()
    with pytest.raises(ScreeningError):
        conferences.item_decide(
            actor=actor_of(m.chair),
            access=access_of(m.chair, m.conference),
            item=m.item,
            decisions=f"Besproken: {m.file.reference}. Huisarts belt moeder.",
        )
    assert ConferenceItem.objects.get(pk=m.item.pk).decisions == ""


def test_the_api_refuses_the_reference_in_the_summary(client):
    m = meeting()
    force_verified_login(client, m.chair)
    other = conferences.conference_create(
        actor=actor_of(m.chair),
        kind="interventieoverleg",
        title="Tweede overleg",
        starts_at=m.conference.starts_at,
    )
    response = client.post(
        reverse("api:coordination-conference-items", args=[other.pk]),
        {
            "file_id": m.file.pk,
            "presentation": "gepseudonimiseerd",
            "question": "Wat is nodig?",
            "summary": f"Het gezin van {m.file.reference}.",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not ConferenceItem.objects.filter(conference=other).exists()
