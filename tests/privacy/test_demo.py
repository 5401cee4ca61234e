"""The demo shares consultation summaries in every state a demo needs, once; and shows a closed
case under a legal hold and one whose hold was lifted."""

from __future__ import annotations

import pytest

from meldwijzer.accounts.models import User
from meldwijzer.cases import sharing
from meldwijzer.cases.models import Case
from meldwijzer.demo import demo_load
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.models import AccessGrant, LegalHold
from meldwijzer.privacy.selectors import grant_state

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_demo_grants_cover_every_state_and_load_once():
    demo_load()
    grants = list(
        AccessGrant.objects.filter(resource_kind="consultatieverslag").select_related("ground")
    )
    states = sorted(grant_state(grant) for grant in grants)
    assert states == sorted(["actief", "actief", "ingetrokken", "verlopen", "grondslag vervallen"])
    assert {grant.ground.kind for grant in grants} == {"toestemming", "conflict_van_plichten"}
    holds = list(LegalHold.objects.order_by("pk"))
    assert [hold.active for hold in holds] == [True, False]
    assert all(Case.objects.get(pk=hold.resource_id).closed_at for hold in holds)
    demo_load()
    assert AccessGrant.objects.filter(resource_kind="consultatieverslag").count() == len(grants)
    assert LegalHold.objects.count() == 2
    reader = actor_for_user(user=User.objects.get(username="aandacht.wijkteam"))
    assert len(sharing.shared_with_me(actor=reader)) == 2
