"""The demo's safety plans and contact notes: several versions, one review overdue, one 'niet
veilig' waiting for the casusregisseur; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from meldwijzer.coordination import contacts, safety_plan
from meldwijzer.coordination.demo import VEILIG_THUIS_FILE, WIJKTEAM_FILE, _actor
from meldwijzer.coordination.models import ContactNote, CoordinationFile, SafetyPlanRevision
from meldwijzer.demo import demo_load

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_the_demo_plans_and_contacts():
    demo_load()
    counts = (SafetyPlanRevision.objects.count(), ContactNote.objects.count())
    wijkteam = CoordinationFile.objects.get(title=WIJKTEAM_FILE)
    baby = CoordinationFile.objects.get(title=VEILIG_THUIS_FILE)
    assert wijkteam.safety_plan_revisions.count() == 3
    assert baby.safety_plan_revisions.count() == 2
    for revision in SafetyPlanRevision.objects.all():
        assert safety_plan.plan_content_clean(revision.content)[1] == {}
    in_plan = set(wijkteam.agreements.filter(in_safety_plan=True).values_list("what", flat=True))
    assert {
        "Vader gaat naar buiten en belt oma Gerda als een ruzie oploopt.",
        "Elke week een huisbezoek om te kijken hoe het gaat.",
    } <= in_plan

    assert safety_plan.overdue_reviews(_actor("veiligthuis")) == [baby]
    assert safety_plan.overdue_reviews(_actor("regisseur")) == []
    waiting = contacts.unsafe_open(_actor("veiligthuis"))
    assert [note.file for note in waiting] == [baby]
    assert mail.outbox == []

    demo_load()
    assert (SafetyPlanRevision.objects.count(), ContactNote.objects.count()) == counts
