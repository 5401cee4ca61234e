"""The team demo: a waiting invitation for a demo user, agreements in every state with overdue
ones, next contacts — on the two demo files, loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.coordination import team_selectors
from meldwijzer.coordination.demo import VEILIG_THUIS_FILE, WIJKTEAM_FILE
from meldwijzer.coordination.models import Agreement, AgreementState, CoordinationFile, TeamMember
from meldwijzer.demo import demo_load
from tests.coordination.builders import actor_of

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_the_team_demo_loads_once_with_every_state_and_overdue_agreements():
    demo_load()
    count = Agreement.objects.count()
    demo_load()
    assert Agreement.objects.count() == count
    files = CoordinationFile.objects.filter(title__in=[WIJKTEAM_FILE, VEILIG_THUIS_FILE])
    assert all(file.next_contact is not None for file in files)
    assert set(Agreement.objects.values_list("state", flat=True)) == set(AgreementState.values)
    today = timezone.localdate()
    assert any(agreement.is_overdue(today) for agreement in Agreement.objects.all())
    invited = User.objects.get(username="pm.opvang")
    assert TeamMember.objects.filter(user=invited, state="uitgenodigd").count() == 1
    assert team_selectors.invitation_list(actor=actor_of(invited))
    docent = User.objects.get(username="docent")
    assert team_selectors.overdue_agreements(actor=actor_of(docent))
