"""The note of a hand-over to another organisation tells the receiver how the family is doing. The
receiver reads it on the hand-over's ground, while the proposal is open: not once the family
withdrew its consent, nor after the proposal was withdrawn or declined. The proposer, and a
receiver who took the regie, still read it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.coordination import handover
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, coordinator, file_open
from tests.coordination.inbox_builders import member, propose, veilig_thuis

pytestmark = pytest.mark.django_db

NOTE = "Moeder werkt goed mee"


@pytest.fixture
def proposal():
    file = file_open(member(veilig_thuis(), Role.CASE_COORDINATOR))
    receiver = coordinator()
    return propose(file, receiver, actor_of(receiver).organisation)


def _pages(client, proposal):
    force_verified_login(client, proposal.to_user)
    page = client.get(reverse("coordination:handover_detail", args=[proposal.pk]))
    api = client.get(reverse("api:coordination-handover-detail", args=[proposal.pk]))
    return page, api


def test_the_receiver_reads_the_open_proposal(client, proposal):
    page, api = _pages(client, proposal)
    assert page.status_code == 200 and NOTE in page.content.decode()
    assert api.status_code == 200 and NOTE in api.json()["note"]


def test_withdrawn_consent_stops_the_receiver_reading_the_note(client, proposal):
    privacy_services.consent_withdraw(
        actor=actor_of(proposal.from_user), ground=proposal.ground, note="Moeder wil het niet."
    )
    page, api = _pages(client, proposal)
    assert page.status_code == 404 and api.status_code == 404
    refused = AccessLogEntry.objects.filter(
        user=proposal.to_user,
        outcome=AccessOutcome.DENIED,
        client_id=proposal.file.client_pseudonym,
    )
    assert refused.count() == 2


def test_a_withdrawn_proposal_is_no_longer_the_receivers_to_read(client, proposal):
    handover.handover_withdraw(actor=actor_of(proposal.from_user), handover=proposal)
    page, api = _pages(client, proposal)
    assert page.status_code == 404 and api.status_code == 404
    force_verified_login(client, proposal.from_user)
    mine = client.get(reverse("coordination:handover_detail", args=[proposal.pk]))
    assert mine.status_code == 200 and NOTE in mine.content.decode()


def test_the_receiver_who_declines_reads_it_no_more(client, proposal):
    force_verified_login(client, proposal.to_user)
    response = client.post(
        reverse("coordination:handover_decline", args=[proposal.pk]),
        {"afslaan-answer_note": "Vol."},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    page, api = _pages(client, proposal)
    assert page.status_code == 404 and api.status_code == 404


def test_the_receiver_who_took_over_still_reads_it(client, proposal):
    handover.handover_accept(actor=actor_of(proposal.to_user), handover=proposal)
    page, api = _pages(client, proposal)
    assert page.status_code == 200 and api.status_code == 200
