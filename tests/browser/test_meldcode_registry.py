"""The meldcode registry in the browser: the policy adviser sees in the datalab which
organisations lack an aandachtsfunctionaris, and the school's functioneel beheerder records a
training — accessible at desktop and phone width."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageCheck, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_for_policy_and_a_training_recorded(page: Page, check_page: PageCheck) -> None:
    log_in(page, "beleid")
    page.goto("/datalab/")
    page.get_by_role("link", name="De meldcode in de organisaties").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De meldcode in de organisaties")
    missing = page.locator("#zonder-aandachtsfunctionaris")
    expect(missing).to_contain_text("Huisartsenpraktijk Nagele")
    expect(missing).not_to_contain_text("Basisschool De Polderpionier")
    expect(
        page.get_by_role("table", name="Aandachtsfunctionaris, meldcode en training per sector")
    ).to_be_visible()
    expect(page.get_by_text("aantallen van 1 tot en met 9 worden niet getoond")).to_be_visible()
    check_page("meldcode-coverage")
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, "beheer.school")
    page.goto("/meldcode/register/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meldcoderegister")
    check_page("meldcode-registry")
    page.get_by_role("link", name="Training vastleggen").click()
    page.get_by_label("Medewerker").select_option(label="Sanne de Boer")
    page.get_by_label("Soort training").select_option(label="Opfrisbijeenkomst meldcode")
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    page.get_by_label("Gevolgd op").fill(tomorrow.isoformat())
    page.get_by_label("Aanbieder").fill("Veilig Thuis Flevoland")
    page.get_by_role("button", name="Training vastleggen").click()
    expect(page.get_by_text("Deze datum ligt in de toekomst").first).to_be_visible()
    check_page("meldcode-training-error")
    page.get_by_label("Gevolgd op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Training vastleggen").click()
    expect(page.get_by_text("De training van Sanne de Boer is vastgelegd")).to_be_visible()
