"""Logging in and out in the real browser: password, authenticator code, set-up, start page."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.organisations.services import member_enrolment_code_issue
from tests.browser.conftest import (
    PageCheck,
    enter_code,
    log_in,
    log_in_with_password,
    switch_organisation,
)
from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# The start page's section headings; each role sees its own and none of the others'.
START_HEADINGS = {
    Role.PROFESSIONAL: "Mijn casussen",
    Role.MELDCODE_OFFICER: "Aandachtsfunctionaris",
    Role.CASE_COORDINATOR: "Casusregie",
    Role.POLICY_ADVISER: "Aangesloten organisaties per sector",
    Role.FUNCTIONAL_ADMIN: "Functioneel beheer",
    Role.PLATFORM_ADMIN: "Platformbeheer",
}

# demo user, the role to check, organisation to switch to, headings they must also see
ROLE_LOGINS = [
    ("docent", Role.PROFESSIONAL, None, set()),
    ("aandacht.school", Role.MELDCODE_OFFICER, None, {Role.PROFESSIONAL}),
    ("regisseur", Role.CASE_COORDINATOR, "Sociaal Wijkteam Emmeloord", {Role.PROFESSIONAL}),
    ("beleid", Role.POLICY_ADVISER, None, set()),
    ("beheer.school", Role.FUNCTIONAL_ADMIN, None, set()),
    ("platformbeheer", Role.PLATFORM_ADMIN, None, {Role.POLICY_ADVISER}),
]

LOGIN_URL = re.compile(r"/account/inloggen/(\?next=.*)?$")


def login_recorded(user: User, outcome: AccessOutcome = AccessOutcome.ALLOWED) -> bool:
    return AccessLogEntry.objects.filter(user=user, action=Action.LOGIN, outcome=outcome).exists()


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is not valid now, nor one time step before or after."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    valid = set()
    for steps in (-1, 0, 1):
        totp.time = now + steps * device.step
        valid.add(totp.token())
    return f"{next(code for code in range(123_456, 1_000_000) if code not in valid):06d}"


@pytest.mark.parametrize(("username", "role", "organisation", "also"), ROLE_LOGINS)
def test_each_role_logs_in_to_its_own_start_page(
    page: Page, username: str, role: Role, organisation: str | None, also: set[Role]
) -> None:
    user = log_in(page, username)
    if organisation:
        switch_organisation(page, organisation)

    headings = page.locator("main h2")
    expect(headings.filter(has_text=START_HEADINGS[role])).to_have_count(1)
    visible = set(headings.all_inner_texts())
    for other, heading in START_HEADINGS.items():
        if other != role and other not in also:
            assert heading not in visible, f"{username} sees {heading!r}"
    assert login_recorded(user)


def test_wrong_code_does_not_log_in(page: Page) -> None:
    log_in_with_password(page, "docent")
    user = User.objects.get(username="docent")
    enter_code(page, wrong_code(TOTPDevice.objects.get(user=user, confirmed=True)))

    expect(page).to_have_url(re.compile(r"/account/inloggen/code/$"))
    expect(page.locator("#id_token_error")).to_contain_text("Deze code klopt niet")
    expect(page.locator("#id_token")).to_have_attribute("aria-invalid", "true")
    page.goto("/start/")
    expect(page).to_have_url(LOGIN_URL)
    assert not login_recorded(user)
    assert login_recorded(user, AccessOutcome.DENIED)


def test_logout_ends_the_session(page: Page, check_page: PageCheck) -> None:
    user = log_in(page, "docent")
    page.get_by_role("button", name="Uitloggen").click()

    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd.")
    check_page("logged-out")
    page.go_back()
    expect(page).to_have_url(LOGIN_URL)
    page.goto("/start/")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    assert AccessLogEntry.objects.filter(user=user, action=Action.LOGOUT).exists()


def test_first_login_sets_up_the_authenticator(page: Page, check_page: PageCheck) -> None:
    organisation = Organisation.objects.get(name="Basisschool De Polderpionier")
    membership = MembershipFactory(
        user__totp=False, organisation=organisation, role=Role.PROFESSIONAL
    )
    user = membership.user
    beheerder = User.objects.get(username="beheer.school")
    code = member_enrolment_code_issue(actor=actor_for_user(user=beheerder), user=user)
    log_in_with_password(page, user.username, TEST_PASSWORD)

    # The password alone shows no secret: first the code the beheerder passed on.
    expect(page).to_have_url(re.compile(r"/account/inloggen/authenticator-instellen/$"))
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_have_count(0)
    page.get_by_label("Activeringscode").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("#id_code_error")).to_contain_text("Deze activeringscode klopt niet")
    check_page("mfa-enrolment-code-errors")
    page.get_by_label("Activeringscode").fill(code.lower())
    page.get_by_role("button", name="Volgende").click()

    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert not TOTPDevice.objects.filter(user=user).exists()  # the secret is this session's
    shown_secret = page.locator(".mw-secret").inner_text().replace(" ", "")

    enter_code(page, "")
    expect(page.locator("#id_token_error")).to_have_text("Vul de code in.")
    check_page("mfa-setup-errors")
    key = base64.b32decode(shown_secret + "=" * (-len(shown_secret) % 8))
    enter_code(page, f"{TOTP(key).token():06d}")

    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("status")).to_contain_text("Tweestapsverificatie is ingesteld.")
    expect(page.get_by_role("heading", name="Mijn casussen")).to_be_visible()
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == shown_secret
    assert login_recorded(user)


def test_log_out_everywhere_from_the_account_page(page: Page, check_page: PageCheck) -> None:
    user = log_in(page, "beheer.school")
    page.get_by_role("link", name=str(user)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw account")
    check_page("account")
    page.get_by_role("button", name="Overal uitloggen").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("status")).to_contain_text("U bent overal uitgelogd")
    page.goto("/start/")
    expect(page).to_have_url(LOGIN_URL)
