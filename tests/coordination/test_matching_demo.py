"""The matching demo: the same child at two organisations, so both professionals see a notice —
and only these: the made-up children the case stories share do not match each other."""

from __future__ import annotations

import pytest

from meldwijzer.accounts.models import User
from meldwijzer.coordination import matching
from meldwijzer.coordination.models import MatchSignal
from meldwijzer.demo import demo_load
from tests.coordination.builders import actor_of

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _notices(username: str) -> list[matching.Notice]:
    return matching.signals_for(actor=actor_of(User.objects.get(username=username)))


def test_the_demo_shows_a_notice_on_both_sides_and_loads_once():
    demo_load()
    pairs = {
        frozenset({signal.first_user.username, signal.second_user.username})
        for signal in MatchSignal.objects.select_related("first_user", "second_user")
    }
    assert frozenset({"jgz", "veiligthuis"}) in pairs
    assert frozenset({"pm.opvang", "regisseur"}) in pairs
    # The case stories reuse their made-up children across organisations; they are not matched.
    assert not any("docent" in pair for pair in pairs)
    (nurse,) = _notices("jgz")
    assert nurse.other.username == "veiligthuis"
    assert nurse.coordinator.startswith(nurse.other.get_full_name())
    assert nurse.other.phone
    assert any(notice.other.username == "jgz" for notice in _notices("veiligthuis"))
    count = MatchSignal.objects.count()
    demo_load()
    assert MatchSignal.objects.count() == count
