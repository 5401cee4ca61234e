"""Follow-up after closing, in the real browser at phone width: a JGZ nurse who follows a family
for a school (on the family's consent) sees this week's contact, records worries — the next
contact comes forward, visibly — and then 'niet veilig': the page names the new meldcode dossier
in her own organisation and that the school's professional was alerted."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldwijzer.cases.models import Case
from meldwijzer.followups import selectors, services
from meldwijzer.followups.models import Alert, FollowupContact, PlannedContact, PlanState
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from tests.browser.conftest import PHONE_WIDTH, VIEWPORT_HEIGHT, PageCheck, log_in
from tests.coordination.builders import actor_of
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory
from tests.followups.builders import closed_followed_elsewhere

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD = "Kind Voorbeeld"  # as the case builders record the child


@pytest.fixture
def demo(live_server) -> None:
    """Only the municipalities the migrations fill: this test builds its own people and plan
    through the services (an earlier live-server test may have emptied the table)."""
    from django.apps import apps

    import_module("meldwijzer.organisations.migrations.0002_municipalities").load(apps, None)


def _phone(page: Page) -> None:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": VIEWPORT_HEIGHT})


def test_a_jgz_nurse_follows_a_family_on_her_phone(page: Page, check_page: PageCheck) -> None:
    # A school's professional closes with follow-up (a profession-neutral afwegingskader).
    school = actor_of(
        MembershipFactory(
            role=Role.PROFESSIONAL,
            organisation=OrganisationFactory(name="Basisschool De Nazorg", sector=Sector.EDUCATION),
        ).user
    )
    ggd = OrganisationFactory(name="GGD Flevoland, JGZ", sector=Sector.PUBLIC_HEALTH)
    nurse_user = MembershipFactory(role=Role.PROFESSIONAL, organisation=ggd).user
    nurse = actor_of(nurse_user)
    plan = closed_followed_elsewhere(school, nurse)
    first = selectors.open_planned(plan)[0]
    services.planned_move(
        actor=school,
        access=selectors.plan_get(actor=school, plan_id=plan.pk),
        planned_id=first.pk,
        due_on=timezone.localdate(),
        reason="Eerste huisbezoek deze week afgesproken.",
    )
    second = selectors.open_planned(plan)[1]

    # This week's contacts, as cards on a phone.
    _phone(page)
    log_in(page, nurse_user.username, TEST_PASSWORD)
    page.get_by_role("link", name="Nazorg", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nazorg deze week")
    card = page.locator(".mw-followup-card").filter(has_text=CHILD)
    expect(card).to_contain_text(first.get_level_display())
    page.screenshot(path="/tmp/followup-week-375.png", full_page=True)  # noqa: S108 (asked for there)
    check_page("followup-week")
    _phone(page)

    # Worries: the next contact comes within two weeks, and the plan page says why.
    card.get_by_role("link", name="Contact vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact vastleggen")
    check_page("followup-contact")
    _phone(page)
    page.get_by_label("Hoe was het contact?").select_option("huisbezoek")
    page.get_by_label("Hoe ging het?").fill("Moeder is moe, er was weer ruzie.")
    page.get_by_label("Zorgen:").check()
    page.get_by_label("Toelichting bij de veiligheid").fill("Afspraken deels nagekomen.")
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator(".mw-messages")).to_contain_text("vervroegd naar")
    second.refresh_from_db()
    assert second.due_on <= timezone.localdate() + datetime.timedelta(days=14)
    expect(page.locator(".mw-messages")).to_contain_text(f"{second.due_on:%d-%m-%Y}")
    expect(page.locator("#planning")).to_contain_text("Eerder vanwege zorgen")

    # Not safe: the meldcode again, in her own organisation, and the school is alerted.
    page.get_by_role("link", name="Contact vastleggen").first.click()
    page.get_by_label("Hoe was het contact?").select_option("telefoon")
    page.get_by_label("Hoe ging het?").fill("Moeder belt: vader is terug.")
    page.get_by_label("Niet veilig:").check()
    page.get_by_label("Toelichting bij de veiligheid").fill("Tegen de afspraak in thuis.")
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator(".mw-messages")).to_contain_text("niet veilig")
    unsafe = FollowupContact.objects.get(plan=plan, safety="onveilig")
    new_case = Case.objects.get(pk=unsafe.reopened_case_id)
    assert new_case.organisation == nurse.organisation and new_case.previous_id == plan.case_id
    message = page.locator(".mw-messages")
    expect(message).to_contain_text(f"nieuw meldcodedossier {new_case.reference}")
    expect(message).to_contain_text("bericht gekregen")
    assert Alert.objects.get(plan=plan).to_user == school.user
    plan.refresh_from_db()
    assert plan.state == PlanState.ENDED
    assert not PlannedContact.objects.filter(plan=plan, cancelled_at__isnull=True, contact=None)
    check_page("followup-plan")
    page.get_by_role("link", name=new_case.reference).click()
    expect(page.locator("main")).to_contain_text(new_case.reference)
