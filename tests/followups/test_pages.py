"""The follow-up pages: this week's list (overdue first, a fixed number of queries), the
organisation's list without names, recording a contact through the form, and a change made from
an older version."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.cases import services as case_services
from meldwijzer.cases.workflow import Phase
from meldwijzer.followups.models import FollowupContact, FollowupPlan, PlannedContact
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory, OrganisationFactory
from tests.followups.builders import closed_followed_elsewhere, closed_with_plan


@pytest.fixture
def owner(db):
    school = OrganisationFactory(name="Basisschool De Regenboog", sector=Sector.EDUCATION)
    return actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user)


@pytest.fixture
def nurse(db):
    ggd = OrganisationFactory(name="GGD JGZ", sector=Sector.PUBLIC_HEALTH)
    return actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=ggd).user)


def due_in_days(plan: FollowupPlan, days: int) -> None:
    first = PlannedContact.objects.filter(plan=plan).order_by("due_on").first()
    assert first is not None
    first.due_on = timezone.localdate() + datetime.timedelta(days=days)
    first.save(update_fields=["due_on"])


def week_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("followups:week"))
    assert response.status_code == 200
    return len(queries)


def test_the_week_runs_the_same_queries_for_one_plan_as_for_five(client, owner, nurse):
    force_verified_login(client, nurse.user)
    due_in_days(closed_followed_elsewhere(owner, nurse), -3)
    week_queries(client)  # the first request of a session does more (session, checkpoint)
    one = week_queries(client)
    for _ in range(4):
        due_in_days(closed_followed_elsewhere(owner, nurse), 0)
    five = week_queries(client)
    assert five == one


def test_the_week_shows_overdue_contacts_first_with_names_and_how_late(client, owner):
    due_in_days(closed_with_plan(owner), 0)
    due_in_days(closed_with_plan(owner), -3)
    force_verified_login(client, owner.user)

    page = client.get(reverse("followups:week")).content.decode()

    assert page.count("Kind Voorbeeld") == 2
    assert "3 dagen te laat" in page
    assert page.index("Te laat") < page.index("Deze week")
    assert page.count("Contact vastleggen") >= 2
    assert "<table" not in page


def test_the_organisation_page_names_no_family(client, owner):
    due_in_days(closed_with_plan(owner), -2)
    officer = MembershipFactory(role=Role.MELDCODE_OFFICER, organisation=owner.organisation).user
    force_verified_login(client, officer)

    page = client.get(reverse("followups:organisation")).content.decode()

    assert "2 dagen te laat" in page
    assert owner.user.get_full_name() in page
    assert "Voorbeeld" not in page


def test_recording_unsafe_names_the_new_case_and_the_alert(client, owner, nurse):
    plan = closed_followed_elsewhere(owner, nurse)
    force_verified_login(client, nurse.user)
    url = reverse("followups:contact_record", args=[plan.pk])
    assert 'value="veilig"' in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "version": plan.version,
            "held_on": timezone.localdate().isoformat(),
            "mode": "huisbezoek",
            "summary": "Moeder vertelt over een nieuwe ruzie.",
            "safety": "onveilig",
            "safety_note": "Vader is teruggekomen, tegen de afspraak in.",
            "planned": "",
        },
        follow=True,
    )

    page = response.content.decode()
    held = FollowupContact.objects.get(plan=plan)
    assert held.reopened_case is not None
    assert f"nieuw meldcodedossier {held.reopened_case.reference}" in page
    assert owner.user.get_full_name() in page and "bericht gekregen" in page
    assert reverse("cases:detail", args=[held.reopened_case.pk]) in page


def test_a_contact_without_safety_shows_the_error_at_the_field(client, owner):
    plan = closed_with_plan(owner)
    force_verified_login(client, owner.user)

    response = client.post(
        reverse("followups:contact_record", args=[plan.pk]),
        {"version": plan.version, "held_on": timezone.localdate().isoformat(),
         "mode": "telefoon", "summary": "Gebeld.", "safety_note": "Rustig."},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Geef aan hoe veilig het is" in response.content.decode()
    assert not FollowupContact.objects.exists()


def test_a_change_from_an_older_version_says_so_and_changes_nothing(client, owner):
    plan = closed_with_plan(owner)
    force_verified_login(client, owner.user)

    response = client.post(
        reverse("followups:plan_change", args=[plan.pk]),
        {"version": plan.version - 1 or 99, "schedule": plan.schedule,
         "how": "Elke week bellen.", "note": "Andere afspraken.",
         "follower": f"{plan.follower_id}:{plan.follower_organisation_id}"},
    )  # fmt: skip

    assert response.status_code == 400
    assert "Iemand anders heeft dit vervolgplan intussen gewijzigd" in response.content.decode()
    assert FollowupPlan.objects.get(pk=plan.pk).how == plan.how


def test_the_closed_case_page_links_to_the_plan_for_who_may_read_it(client, owner):
    plan = closed_with_plan(owner)
    link = reverse("followups:plan", args=[plan.pk])
    force_verified_login(client, owner.user)
    assert link in client.get(reverse("cases:detail", args=[plan.case_id])).content.decode()
    assert "Nazorg" in client.get(reverse("core:start")).content.decode()


def test_the_case_page_still_links_to_the_plan_after_the_case_is_reopened(client, owner):
    plan = closed_with_plan(owner)
    case = plan.case
    case_services.case_move(
        actor=owner, case=case, expected_version=case.version, target=Phase.SIGNALS,
        reason="Nieuwe zorgen.",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.phase == Phase.SIGNALS and case.closed_at is None
    force_verified_login(client, owner.user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("followups:plan", args=[plan.pk]) in page


def test_moving_a_contact_and_completing_the_plan_through_the_pages(client, owner):
    plan = closed_with_plan(owner)
    first = PlannedContact.objects.filter(plan=plan).order_by("due_on").first()
    force_verified_login(client, owner.user)
    new_day = timezone.localdate() + datetime.timedelta(days=3)

    moved = client.post(
        reverse("followups:planned_move", args=[plan.pk, first.pk]),
        {"version": plan.version, "due_on": new_day.isoformat(), "reason": "Familie op vakantie."},
    )
    assert moved.status_code == 302
    first.refresh_from_db()
    assert first.due_on == new_day and first.moved_reason == "Familie op vakantie."

    plan.refresh_from_db()
    ended = client.post(
        reverse("followups:plan_end", args=[plan.pk]),
        {"version": plan.version, "kind": "afgerond", "note": "Het gaat duurzaam goed."},
        follow=True,
    )
    assert "Het vervolgplan is afgerond." in ended.content.decode()
    assert FollowupPlan.objects.get(pk=plan.pk).state == "beeindigd"
    plans = reverse("followups:plans")
    assert plan.reference not in client.get(plans).content.decode()
    assert plan.reference in client.get(plans, {"stand": "beeindigd"}).content.decode()


def test_the_alert_leaves_the_list_once_acknowledged(client, owner, nurse):
    from meldwijzer.followups import selectors, services
    from meldwijzer.followups.models import Alert

    plan = closed_followed_elsewhere(owner, nurse)
    with services.alerts_muted():
        services.contact_record(
            actor=nurse,
            access=selectors.plan_get(actor=nurse, plan_id=plan.pk),
            data=services.ContactData(
                held_on=timezone.localdate(),
                mode="telefoon",
                summary="Gebeld.",
                safety="onveilig",
                safety_note="Vader is terug.",
            ),
        )
    alert = Alert.objects.get(plan=plan)
    force_verified_login(client, owner.user)
    assert "1 melding ‘niet veilig’" in client.get(reverse("followups:week")).content.decode()
    page = client.get(reverse("followups:alerts")).content.decode()
    assert "Vader is terug." in page

    url = reverse("followups:alert_acknowledge", args=[alert.pk])
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {f"melding-{alert.pk}-note": "Moeder gebeld, huisbezoek gepland."})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == owner.user
    assert "Vader is terug." not in client.get(reverse("followups:alerts")).content.decode()


def test_my_plans_run_the_same_queries_for_one_plan_as_for_five(client, owner, nurse):
    force_verified_login(client, nurse.user)
    closed_followed_elsewhere(owner, nurse)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("followups:plans")).status_code == 200
        return len(queries)

    count()
    one = count()
    for _ in range(4):
        closed_followed_elsewhere(owner, nurse)
    assert count() == one


def test_an_empty_week_says_there_is_nothing_and_only_says_other_beside_overdue(client, owner):
    force_verified_login(client, owner.user)
    assert "deze week geen contacten gepland" in client.get(reverse("followups:week")).text
    due_in_days(closed_with_plan(owner), -3)
    page = client.get(reverse("followups:week")).text
    assert "deze week geen andere contacten gepland" in page
