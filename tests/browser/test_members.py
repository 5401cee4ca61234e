"""Functioneel beheer in the real browser: adding a medewerker through the form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meldwijzer.accounts.services import enrolment_code_find
from meldwijzer.organisations.models import Membership
from meldwijzer.organisations.roles import Role
from tests.browser.conftest import PageCheck, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_functional_admin_adds_a_member(
    page: Page, check_page: PageCheck, mailoutbox: list
) -> None:
    log_in(page, "beheer.school")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Medewerkers").click()
    page.get_by_role("link", name="Medewerker toevoegen").click()

    page.get_by_label("Gebruikersnaam").fill("mila-devries")
    page.get_by_label("Voornaam").fill("Mila")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("E-mailadres").fill("mila.devries@example.invalid")
    page.get_by_label("Rol", exact=True).select_option(label="Aandachtsfunctionaris")
    page.get_by_role("button", name="Toevoegen").click()

    # The answer shows the activeringscode once, to pass on in person or by phone.
    expect(page.get_by_role("heading", level=1)).to_have_text("Activeringscode voor Mila de Vries")
    expect(page.get_by_role("status").first).to_contain_text("Mila de Vries is toegevoegd")
    code = page.get_by_test_id("enrolment-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    check_page("member-enrolment-code")
    page.get_by_role("link", name="Naar Mila de Vries").click()

    expect(page).to_have_url(re.compile(r"/beheer/medewerkers/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mila de Vries")
    expect(page.get_by_role("checkbox", name="Aandachtsfunctionaris")).to_be_checked()
    expect(page.get_by_test_id("enrolment")).to_contain_text("Nog niet ingesteld")
    assert code not in page.content()
    check_page("member-created")

    page.get_by_role("link", name="Alle medewerkers").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Mila de Vries"))
    expect(row).to_contain_text("mila-devries")
    expect(row).to_contain_text("Aandachtsfunctionaris")
    expect(row).to_contain_text("Actief")

    membership = Membership.objects.get(user__username="mila-devries")
    assert membership.organisation.name == "Basisschool De Polderpionier"
    assert membership.role == Role.MELDCODE_OFFICER
    assert [message.to for message in mailoutbox] == [["mila.devries@example.invalid"]]
    assert code not in mailoutbox[0].body
    assert enrolment_code_find(user=membership.user, code=code) is not None
