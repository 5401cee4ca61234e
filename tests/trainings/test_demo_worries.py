"""The worries demo: every state, through the services, and loaded only once."""

from __future__ import annotations

import pytest

from meldwijzer.accounts import demo as accounts_demo
from meldwijzer.organisations import demo as organisations_demo
from meldwijzer.trainings import demo_worries
from meldwijzer.trainings.models import Worry, WorryMessage, WorryRecipient, WorryState

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_the_worries_demo_has_every_state_and_loads_once():
    organisations_demo.load()
    accounts_demo.load()
    demo_worries.load()
    worries = list(Worry.objects.select_related("line_organisation", "case", "asked_by"))
    assert {worry.state for worry in worries} == set(WorryState.values)
    [to_line] = [worry for worry in worries if worry.recipient == WorryRecipient.LINE]
    assert to_line.line_organisation.name == "Veilig Thuis Flevoland"
    assert to_line.state == WorryState.ANSWERED
    assert to_line.messages.get().author.username == "veiligthuis"
    [became_case] = [worry for worry in worries if worry.case is not None]
    assert became_case.asked_by.username == "docent"
    counts = (Worry.objects.count(), WorryMessage.objects.count())
    demo_worries.load()
    assert (Worry.objects.count(), WorryMessage.objects.count()) == counts
