"""Every page, at desktop and phone width: no axe-core violations and no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from tests.browser.conftest import (
    PageCheck,
    log_in,
    log_in_with_password,
    switch_organisation,
)
from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# role, demo user, organisation to act for (None: the one shown after login)
START_PAGES = [
    (Role.PROFESSIONAL, "docent", None),
    (Role.MELDCODE_OFFICER, "aandacht.school", None),
    (Role.CASE_COORDINATOR, "regisseur", "Sociaal Wijkteam Emmeloord"),
    (Role.POLICY_ADVISER, "beleid", None),
    (Role.FUNCTIONAL_ADMIN, "beheer.school", None),
    (Role.PLATFORM_ADMIN, "platformbeheer", None),
]


def test_public_pages(page: Page, check_page: PageCheck) -> None:
    page.goto("/")
    check_page("home")
    page.goto("/account/inloggen/")
    check_page("login")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    check_page("login-errors")
    response = page.goto("/bestaat-niet/")
    assert response is not None and response.status == 404
    check_page("404")


def test_refusal_pages(page: Page, check_page: PageCheck) -> None:
    page.goto("/account/inloggen/")
    page.context.clear_cookies()
    page.fill("#id_username", "docent")
    page.fill("#id_password", "niet-het-wachtwoord")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het formulier is verlopen")
    check_page("csrf-failure")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/account/inloggen/")
        page.fill("#id_username", "docent")
        page.fill("#id_password", "niet-het-wachtwoord")
        page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Te veel mislukte pogingen")
    check_page("locked-out")


def test_password_reset_pages(page: Page, check_page: PageCheck, mailoutbox: list) -> None:
    page.goto("/account/wachtwoord-vergeten/")
    check_page("password-reset")
    page.fill("#id_email", "docent@demo.meldwijzer.invalid")
    page.get_by_role("button", name="Link versturen").click()
    expect(page).to_have_url(re.compile(r"/wachtwoord-vergeten/verstuurd/$"))
    check_page("password-reset-done")

    link = re.search(r"https?://\S+", mailoutbox[0].body)
    assert link is not None
    page.goto(link.group())
    expect(page.get_by_label("Nieuw wachtwoord", exact=True)).to_be_visible()
    check_page("password-reset-confirm")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    check_page("password-reset-confirm-errors")
    new_password = "Polder-zilvermeeuw-2031"
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(new_password)
    page.fill("#id_new_password2", new_password)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page).to_have_url(re.compile(r"/wachtwoord-instellen/klaar/$"))
    check_page("password-reset-complete")


def test_code_pages(page: Page, check_page: PageCheck) -> None:
    log_in_with_password(page, "docent")
    check_page("mfa")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    check_page("mfa-errors")


def test_authenticator_setup_page(page: Page, check_page: PageCheck) -> None:
    membership = MembershipFactory(
        user__totp=False,
        organisation=Organisation.objects.get(name="Basisschool De Polderpionier"),
    )
    log_in_with_password(page, membership.user.username, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(r"/authenticator-instellen/$"))
    check_page("mfa-setup")


@pytest.mark.parametrize(("role", "username", "organisation"), START_PAGES)
def test_start_page(
    page: Page, check_page: PageCheck, role: Role, username: str, organisation: str | None
) -> None:
    log_in(page, username)
    if organisation:
        switch_organisation(page, organisation)
    check_page(f"start-{role.value}")
    assert header_link_contrast(page) >= 4.5


# axe-core leaves text on a background image or gradient "incomplete" rather than failing it; the
# link to one's own account in the header is checked here by its computed colours.
CONTRAST = """() => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (value) => {
    const [r, g, b] = rgb(value).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const link = document.querySelector(".mw-user__who a");
  const header = document.querySelector(".mw-header");
  const [light, dark] = [luminance(getComputedStyle(link).color),
    luminance(getComputedStyle(header).backgroundColor)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


def header_link_contrast(page: Page) -> float:
    return page.evaluate(CONTRAST)


def test_functional_admin_pages(page: Page, check_page: PageCheck) -> None:
    log_in(page, "beheer.school")
    page.goto("/beheer/medewerkers/")
    check_page("member-list")
    page.get_by_role("link", name="Sanne de Boer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne de Boer")
    check_page("member-detail")
    page.goto("/beheer/medewerkers/nieuw/")
    check_page("member-create")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    check_page("member-create-errors")
    page.goto("/toegangslogboek/")
    check_page("access-log-functional-admin")
    page.goto("/account/api-sleutels/")
    check_page("api-tokens")
    page.get_by_label("Waarvoor gebruikt u deze sleutel?").fill("Koppeling leerlingvolgsysteem")
    page.get_by_role("button", name="Sleutel maken").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    check_page("api-tokens-created")
    response = page.goto("/beheer/organisaties/")
    assert response is not None and response.status == 403
    check_page("403")
    response = page.goto("/beheer/medewerkers/999999/")
    assert response is not None and response.status == 404
    check_page("404-logged-in")


def test_platform_admin_pages(page: Page, check_page: PageCheck) -> None:
    log_in(page, "platformbeheer")
    page.goto("/beheer/organisaties/")
    check_page("organisation-list")
    page.goto("/beheer/organisaties/nieuw/")
    check_page("organisation-create")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    check_page("organisation-create-errors")
    page.goto("/beheer/organisaties/")
    page.get_by_role("link", name="Basisschool De Polderpionier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Basisschool De Polderpionier")
    check_page("organisation-edit")
    page.goto("/toegangslogboek/")
    check_page("access-log")
    page.goto("/toegangslogboek/controle/")
    check_page("access-log-verify")
