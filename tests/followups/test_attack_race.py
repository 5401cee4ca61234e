"""Two recordings of the same planned contact at the same moment (the API takes a contact
without the plan's version): the second is a Dutch field error, not a database error."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meldwijzer.followups import selectors, services
from meldwijzer.followups.models import FollowupContact
from meldwijzer.organisations.roles import Role
from tests.factories import OrganisationFactory
from tests.followups.access_api import member
from tests.followups.builders import closed_with_plan

pytestmark = pytest.mark.django_db


def test_a_planned_contact_recorded_at_the_same_moment_is_refused(monkeypatch):
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = closed_with_plan(follower)
    planned = plan.planned.order_by("due_on").first()
    today = timezone.localdate()
    touch = services._touch

    def touched_after_the_other(plan, expected_version=None):
        # The other recording commits between this one's check and its write.
        FollowupContact.objects.create(
            plan=plan, planned=planned, held_on=today, mode="telefoon", summary="Gebeld.",
            safety="veilig", safety_note="Goed.", recorded_by=follower.user,
            recorded_organisation=follower.organisation, recorded_at=timezone.now(),
        )  # fmt: skip
        touch(plan, expected_version)

    monkeypatch.setattr(services, "_touch", touched_after_the_other)
    access = selectors.plan_get(actor=follower, plan_id=plan.pk)
    data = services.ContactData(
        held_on=today, mode="huisbezoek", summary="Rustig.", safety="veilig",
        safety_note="Afspraken werken.", planned_id=planned.pk,
    )  # fmt: skip
    with pytest.raises(services.FollowupInputError) as refused:
        services.contact_record(actor=follower, access=access, data=data)
    assert "planned" in refused.value.errors
