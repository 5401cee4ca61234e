"""The self-check demo: attempts over time by the demo region's case workers, none for anyone
else, and nothing new when the loader runs again."""

from __future__ import annotations

import pytest
from django.db.models import Count

from meldwijzer.accounts import demo as account_demo
from meldwijzer.organisations import demo as organisation_demo
from meldwijzer.organisations.models import Municipality
from meldwijzer.trainings import demo_selfcheck
from meldwijzer.trainings.models import SelfCheckAttempt
from meldwijzer.trainings.selfcheck import selfcheck_figures

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_demo_attempts_over_time_loaded_once():
    organisation_demo.load()
    account_demo.load()
    demo_selfcheck.load()
    per_user = dict(SelfCheckAttempt.objects.values_list("user__username").annotate(n=Count("id")))
    for username in ("docent", "pm.opvang", "wijkcoach", "huisarts", "jgz", "kraamzorg"):
        assert per_user.get(username, 0) >= 3, username
    assert "aandacht.opvang" not in per_user  # the empty state
    assert not {"beheer.school", "beleid", "platformbeheer", "redactie"} & set(per_user)
    days = SelfCheckAttempt.objects.filter(user__username="docent").values_list(
        "taken_at", flat=True
    )
    assert len({moment.date() for moment in days}) >= 3
    figures = selfcheck_figures(municipality=Municipality.objects.get(name="Noordoostpolder"))
    assert {"onderwijs", "kinderopvang", "artsen", "sociaal_werk_jeugd"} <= set(figures)
    count = SelfCheckAttempt.objects.count()
    demo_selfcheck.load()
    assert SelfCheckAttempt.objects.count() == count
