"""A match signal about a family's file is for the file's casusregisseur. When the regie moves,
the signal moves with it: the former casusregisseur — who may no longer read the file at all —
no longer learns that another organisation registered someone of the family, and who."""

from __future__ import annotations

import pytest

from meldwijzer.coordination import handover, matching
from meldwijzer.coordination.models import MatchSignal
from meldwijzer.organisations.models import Sector
from tests.coordination.builders import actor_of, coordinator, file_open, professional
from tests.coordination.inbox_builders import propose
from tests.coordination.test_matching_signals import case_about

pytestmark = pytest.mark.django_db


def test_the_signal_moves_with_the_regie(django_capture_on_commit_callbacks):
    former = coordinator()
    file = file_open(former)
    teacher = professional(sector=Sector.EDUCATION)
    with django_capture_on_commit_callbacks(execute=True):
        case_about(teacher)
    assert [n.other for n in matching.signals_for(actor=actor_of(former))] == [teacher]

    receiver = coordinator()
    handover.handover_accept(
        actor=actor_of(receiver),
        handover=propose(file, receiver, actor_of(receiver).organisation),
    )

    assert matching.signals_for(actor=actor_of(former)) == []
    assert not matching.has_signals_for(
        actor=actor_of(former), client_pseudonym=file.client_pseudonym
    )
    notices = matching.signals_for(actor=actor_of(receiver))
    assert [n.other for n in notices] == [teacher]
    assert notices[0].mine is not None and notices[0].mine.reference == file.reference
    assert not notices[0].seen
    theirs = matching.signals_for(actor=actor_of(teacher))
    assert [n.other for n in theirs] == [receiver]


def test_a_signal_with_the_new_leads_own_organisation_goes(django_capture_on_commit_callbacks):
    former = coordinator()
    file = file_open(former)
    teacher = professional(sector=Sector.EDUCATION)
    with django_capture_on_commit_callbacks(execute=True):
        case_about(teacher)
    receiver = coordinator(actor_of(teacher).organisation)
    handover.handover_accept(
        actor=actor_of(receiver),
        handover=propose(file, receiver, actor_of(receiver).organisation),
    )
    assert not MatchSignal.objects.exists()
