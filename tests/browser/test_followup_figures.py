"""The follow-up figures for policy in the browser: accessible at desktop and phone width, with
the rule that hides small counts on the page, and a wrong period explained."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageCheck, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_adviser_reads_the_followup_figures(page: Page, check_page: PageCheck) -> None:
    log_in(page, "beleid")
    page.goto("/nazorg/cijfers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers over de nazorg")
    expect(page.get_by_role("table", name="Vervolgplannen en het eerste contact")).to_be_visible()
    expect(page.get_by_text("tonen we als ‘<10’")).to_be_visible()
    check_page("followup-figures")
    page.fill("#id_started_from", "2027-05-01")
    page.fill("#id_started_to", "2027-01-01")
    page.get_by_role("button", name="Cijfers tonen").click()
    expect(page.get_by_text("Kies een einddatum op of na de begindatum.")).to_be_visible()
    check_page("followup-figures-error")
