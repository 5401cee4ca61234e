"""The start page's open work and the aandachtsfunctionaris' overview, in the demo region: every
state shown, axe-core clean and no sideways scrolling at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageCheck, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_open_work_and_requests_for_consultation(page: Page, check_page: PageCheck) -> None:
    log_in(page, "docent")
    work = page.locator(".mw-work")
    for heading in ("Over de streefdatum", "Evaluatie van de hulp", "Binnenkort, binnen 7 dagen",
                    "Uw vragen om consultatie"):  # fmt: skip
        expect(work.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    expect(work).to_contain_text("te laat")
    expect(page.get_by_role("heading", name="Mijn casussen")).to_be_visible()  # the cards stay
    check_page("start-open-work-professional")

    page.context.clear_cookies()
    log_in(page, "aandacht.school")
    requests = page.locator("section[aria-labelledby=kop-vragen-organisatie]")
    expect(requests.get_by_role("heading")).to_have_text(
        "Vragen om consultatie in uw organisatie (1)"
    )
    expect(requests).to_contain_text("Leerling groep 7 teruggetrokken")
    check_page("start-open-work-meldcode-officer")

    requests.get_by_role("link", name="Alle open casussen van de organisatie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open casussen van")
    expect(page.locator("main")).to_contain_text("1 vraag om consultatie wacht op antwoord.")
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("Ja, vraag open")
    expect(page.locator("tbody")).to_contain_text("Beantwoord")
    check_page("organisation-overview-requests")

    first_row.get_by_role("link", name=re.compile("Consultatie vastleggen")).click()
    expect(page).to_have_url(re.compile(r"/vastleggen/consultation/$"))
    expect(page.get_by_label("Wat werd geadviseerd?")).to_be_visible()
