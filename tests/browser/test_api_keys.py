"""API keys in the real browser: the functioneel beheerder chooses the roles that may hold them,
and a professional of an organisation that allows none is refused with an explanation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.models import ApiKeyRole
from meldwijzer.organisations.roles import Role
from tests.browser.conftest import PageCheck, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_functional_admin_allows_api_keys_for_a_role(page: Page, check_page: PageCheck) -> None:
    log_in(page, "beheer.school")
    page.get_by_role("link", name="API-sleutels toestaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-sleutels toestaan")
    expect(page.get_by_role("checkbox", name="Functioneel beheerder")).to_be_checked()
    expect(
        page.get_by_role("checkbox", name="Professional (ziet cliëntgegevens)")
    ).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Platformbeheerder")).to_have_count(0)
    check_page("api-keys-settings")

    page.get_by_role("checkbox", name="Beleidsadviseur").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("is opgeslagen")
    expect(page.get_by_role("checkbox", name="Beleidsadviseur")).to_be_checked()
    check_page("api-keys-settings-saved")
    roles = ApiKeyRole.objects.filter(organisation__name="Basisschool De Polderpionier")
    assert set(roles.values_list("role", flat=True)) == {
        Role.FUNCTIONAL_ADMIN,
        Role.POLICY_ADVISER,
    }


def test_a_professional_without_api_keys_gets_an_explanation(
    page: Page, check_page: PageCheck
) -> None:
    user = log_in(page, "docent")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="API-sleutels")).to_have_count(0)
    response = page.goto("/account/api-sleutels/")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("api-keys-refused")).to_contain_text("geen API-sleutels toe")
    expect(page.get_by_role("button", name="Sleutel maken")).to_have_count(0)
    check_page("api-tokens-refused")
    assert AccessLogEntry.objects.filter(
        user=user, outcome=AccessOutcome.DENIED, subject_type="api-sleutel"
    ).exists()
