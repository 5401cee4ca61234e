"""The follow-up lists at national scale: this week's contacts in pages of 25, my plans and the
organisation's plans in pages of 50 — filtered, sorted and counted in the database, so one page
runs the same queries for 3 rows as for 60, page 2 shows the rest, and the filter holds there."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, Subject
from meldwijzer.followups.models import FollowupPlan, PlannedContact, PlanState
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory, OrganisationFactory
from tests.followups.builders import closed_with_plan

CARD = re.compile(r'<li class="mw-card mw-followup-card')


@pytest.fixture
def owner(db):
    school = OrganisationFactory(name="Basisschool De Regenboog", sector=Sector.EDUCATION)
    return actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user)


def copies(plan: FollowupPlan, count: int, **changes: object) -> list[FollowupPlan]:
    """`count` more plans like `plan` (same family, same follower), each with its planned
    contacts; written in bulk, as the lists only read them."""
    planned = list(PlannedContact.objects.filter(plan=plan))
    made = []
    for _ in range(count):
        copy = FollowupPlan.objects.get(pk=plan.pk)
        copy.pk = None
        copy.reference = f"{plan.reference[:12]}-{FollowupPlan.objects.count()}"
        for name, value in changes.items():
            setattr(copy, name, value)
        copy.save()
        for item in planned:
            item.pk, item.plan = None, copy
        PlannedContact.objects.bulk_create(planned)
        made.append(copy)
    return made


def queries(client, url: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_week_in_pages_of_25_runs_the_same_queries_for_3_contacts_as_for_60(client, owner):
    plan = closed_with_plan(owner)
    today = timezone.localdate()
    PlannedContact.objects.filter(plan=plan).update(due_on=today + datetime.timedelta(days=400))
    first_three = PlannedContact.objects.filter(plan=plan).order_by("number")[:3]
    PlannedContact.objects.filter(pk__in=[p.pk for p in first_three]).update(due_on=today)
    force_verified_login(client, owner.user)
    url = reverse("followups:week")
    queries(client, url)  # the first request of a session does more (session, checkpoint)
    few, page = queries(client, url)
    assert len(CARD.findall(page)) == 3 and "Paginering" not in page

    for copy in copies(plan, 19):  # 19 plans of 3 contacts this week, and the first: 60
        assert copy.planned.filter(due_on=today).count() == 3
    PlannedContact.objects.filter(plan__in=copies(plan, 1)).update(
        due_on=today - datetime.timedelta(days=2)
    )  # and 9 overdue ones (one plan), shown first
    many, first = queries(client, url)

    assert many == few
    assert len(CARD.findall(first)) == 25
    assert "Pagina 1 van 3 (69 contacten)" in first
    assert first.index("Te laat") < first.index("Deze week")
    assert first.count("2 dagen te laat") == 9
    _, second = queries(client, url, {"pagina": "2"})
    _, third = queries(client, url, {"pagina": "3"})
    assert len(CARD.findall(second)) == 25 and len(CARD.findall(third)) == 19
    assert "dagen te laat" not in third and 'rel="prev" href="?pagina=2"' in third


def test_a_page_of_the_week_logs_the_plans_it_shows(client, owner):
    plan = closed_with_plan(owner)
    PlannedContact.objects.filter(plan=plan).update(due_on=timezone.localdate())
    copies(plan, 5)  # six plans of 9 contacts: the first page shows three of them (and a bit)
    force_verified_login(client, owner.user)
    before = AccessLogEntry.objects.filter(subject_type=Subject.FOLLOWUP_PLAN).count()

    client.get(reverse("followups:week"))

    logged = AccessLogEntry.objects.filter(subject_type=Subject.FOLLOWUP_PLAN).order_by("pk")[
        before:
    ]
    assert len(logged) == 3
    assert {row.part for row in logged} == {"deze week"}


def test_my_plans_in_pages_of_50_filtered_by_state_on_every_page(client, owner):
    plan = closed_with_plan(owner)
    force_verified_login(client, owner.user)
    url = reverse("followups:plans")
    queries(client, url)
    copies(plan, 2)
    few, _ = queries(client, url)
    copies(plan, 57)
    ended = timezone.now()
    copies(plan, 52, state=PlanState.ENDED, ended_at=ended)

    many, first = queries(client, url)
    assert many == few
    assert len(CARD.findall(first)) == 50 and "Pagina 1 van 2 (60 vervolgplannen)" in first

    _, ended_first = queries(client, url, {"stand": "beeindigd"})
    assert "Pagina 1 van 2 (52 vervolgplannen)" in ended_first
    assert "stand=beeindigd&amp;pagina=2" in ended_first
    _, ended_second = queries(client, url, {"stand": "beeindigd", "pagina": "2"})
    assert len(CARD.findall(ended_second)) == 2
    assert ended_second.count("Beëindigd op") == 2


def test_the_organisations_plans_in_pages_of_50(client, owner):
    plan = closed_with_plan(owner)
    officer = MembershipFactory(role=Role.MELDCODE_OFFICER, organisation=owner.organisation).user
    force_verified_login(client, officer)
    url = reverse("followups:organisation")
    queries(client, url)
    copies(plan, 2)
    few, _ = queries(client, url)
    copies(plan, 57)
    copies(plan, 51, state=PlanState.ENDED, ended_at=timezone.now())

    many, first = queries(client, url)
    assert many == few
    assert len(CARD.findall(first)) == 50 and "Pagina 1 van 2 (60 vervolgplannen)" in first
    _, second = queries(client, url, {"pagina": "2"})
    assert len(CARD.findall(second)) == 10
    _, ended_second = queries(client, url, {"stand": "beeindigd", "pagina": "2"})
    assert len(CARD.findall(ended_second)) == 1


def test_the_week_and_plans_in_the_api_in_pages(client, owner, django_assert_max_num_queries):
    plan = closed_with_plan(owner)
    PlannedContact.objects.filter(plan=plan).update(due_on=timezone.localdate())
    force_verified_login(client, owner.user)
    client.get(reverse("api:followup-week"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("api:followup-week")).json()["count"] == 9
    copies(plan, 6)  # 63 contacts, 7 plans

    with django_assert_max_num_queries(len(few)):
        body = client.get(reverse("api:followup-week"), {"page_size": "25"}).json()
    assert body["count"] == 63 and len(body["results"]) == 25
    last = client.get(reverse("api:followup-week"), {"page_size": "25", "page": "3"}).json()
    assert len(last["results"]) == 13 and last["next"] is None
    assert client.get(reverse("api:followup-week"), {"page": "9"}).status_code == 404

    copies(plan, 52, state=PlanState.ENDED, ended_at=timezone.now())
    ended = client.get(reverse("api:followup-plans"), {"state": "beeindigd", "page": "2"}).json()
    assert ended["count"] == 52 and len(ended["results"]) == 2
    assert {row["state"] for row in ended["results"]} == {"beeindigd"}
