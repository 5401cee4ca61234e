"""The private calendar address: made, replaced and ended on the page (the address shown once,
only its hash kept), and the feed without a login — the contacts of the professional's plans they
may still read, as all-day events that stay on their day across the DST switch, and nothing about
the family in it."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Outcome
from meldwijzer.followups import calendar
from meldwijzer.followups.models import CalendarFeed, FollowupPlan, PlannedContact
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.conftest import force_verified_login
from tests.factories import OrganisationFactory
from tests.followups.access_api import closed_on_grant, member
from tests.followups.builders import agreement, help_case

pytestmark = pytest.mark.django_db

FAMILY_NAME = "Sanne Jansen-Vermeulen"
BSN = "999990019"
CASE_TITLE = "Blauwe plekken bij Sanne"


def family_plan(actor: Actor) -> FollowupPlan:
    """A plan for a case with a named child (with a BSN) and a telling title."""
    case = help_case(actor, CASE_TITLE)
    case_services.case_record_person(
        actor=actor, case=case, expected_version=case.version, kind="child", name=FAMILY_NAME,
        bsn=BSN,
    )  # fmt: skip
    case.refresh_from_db()
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE_FOLLOWUP,
        followup=agreement(actor),
    )  # fmt: skip
    return FollowupPlan.objects.get(case=case)


@pytest.fixture
def follower():
    return member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))


def make_address(client, actor: Actor) -> str:
    force_verified_login(client, actor.user)
    response = client.post(reverse("followups:calendar"), {"actie": "maken"})
    assert response.status_code == 200
    match = re.search(r'data-testid="calendar-url">([^<]+)<', response.content.decode())
    assert match, "the new address is shown once"
    return match.group(1)


def feed(client, url: str):
    client.logout()  # the secret is the credential: no session
    return client.get(url.replace("http://localhost:8000", ""))


def test_the_address_is_shown_once_and_only_its_hash_is_kept(client, follower):
    url = make_address(client, follower)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    page = client.get(reverse("followups:calendar")).content.decode()
    assert token not in page and "U hebt een agenda-adres" in page
    assert AccessLogEntry.objects.filter(
        user=follower.user, subject_type="vervolgagenda", action=Action.CREATE
    ).exists()


def test_a_new_address_replaces_the_old_and_ending_stops_it(client, follower):
    old = make_address(client, follower)
    new = make_address(client, follower)
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    force_verified_login(client, follower.user)
    response = client.post(reverse("followups:calendar"), {"actie": "beeindigen"})
    assert response.status_code == 302
    assert feed(client, new).status_code == 404
    assert feed(client, "/nazorg/agenda/onbekend.ics").status_code == 404
    parts = set(
        AccessLogEntry.objects.filter(subject_type="vervolgagenda").values_list("part", flat=True)
    )
    assert parts == {"agenda-adres gemaakt", "agenda-adres vervangen", "agenda-adres beëindigd"}


def test_the_page_is_for_case_work_only(client):
    adviser = member(Role.POLICY_ADVISER, OrganisationFactory())
    force_verified_login(client, adviser.user)
    assert client.get(reverse("followups:calendar")).status_code == 403
    client.logout()
    assert client.get(reverse("followups:calendar")).status_code == 302


def test_the_feed_has_the_contacts_and_nothing_about_the_family(client, follower):
    plan = family_plan(follower)
    response = feed(client, make_address(client, follower))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    body = response.content.decode()
    for secret in (FAMILY_NAME, "Jansen", BSN, CASE_TITLE, "Sanne", plan.how[:20]):
        assert secret not in body
    events = Calendar.from_ical(response.content).walk("VEVENT")
    open_planned = list(plan.planned.order_by("due_on", "pk"))
    assert len(events) == len(open_planned) == 9
    first = events[0]
    assert str(first["SUMMARY"]) == f"Vervolgcontact {plan.reference} (casusregie)"
    assert str(first["URL"]).endswith(reverse("followups:plan", kwargs={"plan_id": plan.pk}))
    assert str(first["UID"]).startswith(f"vervolgcontact-{open_planned[0].pk}@")
    assert "DTSTAMP" in first
    # The same contact keeps its UID in the next download (calendar apps update, not duplicate).
    again = Calendar.from_ical(client.get(response.wsgi_request.path).content).walk("VEVENT")
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in events]


@pytest.mark.parametrize("switch", [datetime.date(2027, 3, 28), datetime.date(2027, 10, 31)])
def test_an_all_day_contact_on_the_dst_switch_stays_on_its_day(client, follower, switch):
    plan = family_plan(follower)
    first = plan.planned.order_by("due_on", "pk").first()
    PlannedContact.objects.filter(pk=first.pk).update(due_on=switch)
    PlannedContact.objects.filter(plan=plan).exclude(pk=first.pk).update(
        cancelled_at=first.plan.created_at
    )
    body = feed(client, make_address(client, follower)).content.decode().replace("\r\n ", "")
    assert f"DTSTART;VALUE=DATE:{switch:%Y%m%d}" in body
    assert f"DTEND;VALUE=DATE:{switch + datetime.timedelta(days=1):%Y%m%d}" in body
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event["DTSTART"].dt == switch and not isinstance(event["DTSTART"].dt, datetime.datetime)


def test_plans_on_an_ended_grant_and_of_another_organisation_leave_the_feed(client, follower):
    owner = member(Role.PROFESSIONAL, OrganisationFactory(name="Basisschool"))
    granted = closed_on_grant(owner, follower)
    url = make_address(client, follower)
    assert granted.reference in feed(client, url).content.decode()
    privacy_services.access_grant_revoke(actor=owner, grant=granted.grant)
    assert granted.reference not in feed(client, url).content.decode()
    # Someone else's plans never appear.
    other = family_plan(member(Role.PROFESSIONAL, follower.organisation))
    assert other.reference not in feed(client, url).content.decode()


def test_the_feed_stops_when_the_professional_stops_working_on_cases(client, follower):
    url = make_address(client, follower)
    follower.user.memberships.update(is_active=False)
    assert feed(client, url).status_code == 404
    assert calendar.feed_actor("x") is None


def test_a_password_reset_ends_the_calendar_address(client):
    from meldwijzer.accounts.services import password_reset_record
    from meldwijzer.followups.calendar import calendar_feed_create, feed_actor

    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    token = calendar_feed_create(actor=follower)
    assert feed_actor(token) is not None
    password_reset_record(user=follower.user)
    assert feed_actor(token) is None
    assert client.get(reverse("followups:calendar_feed", args=[token])).status_code == 404
