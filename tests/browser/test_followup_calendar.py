"""The calendar address in the real browser: a professional makes it, sees it once, and a
calendar app reads it without logging in; the page passes axe and fits a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from meldwijzer.organisations.roles import Role
from tests.browser.conftest import DESKTOP_WIDTH, VIEWPORT_HEIGHT, PageCheck, log_in
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bare_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page without the demo region: this test makes the one person it needs."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": DESKTOP_WIDTH, "height": VIEWPORT_HEIGHT},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_professional_makes_their_calendar_address(bare_page: Page) -> None:
    page = bare_page
    nurse = MembershipFactory(role=Role.PROFESSIONAL, organisation=OrganisationFactory()).user
    check_page = PageCheck(page)
    log_in(page, nurse.username, TEST_PASSWORD)
    page.goto("/nazorg/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vervolgcontacten in uw agenda")
    check_page("followups-calendar-empty")
    page.get_by_role("button", name="Agenda-adres maken").click()
    address = page.get_by_test_id("calendar-url").inner_text().strip()
    assert address.endswith(".ics")
    check_page("followups-calendar-made")

    path = address[address.index("/nazorg/") :]
    page.context.clear_cookies()
    feed = page.request.get(path)
    assert feed.status == 200 and feed.text().startswith("BEGIN:VCALENDAR")
    assert page.request.get("/nazorg/agenda/onbekend.ics").status == 404
