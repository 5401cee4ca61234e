"""The sociale kaart in the real browser: a resident finds help near their postcode on a phone,
a professional opens the routekaart from a demo case, a functioneel beheerder keeps records up to
date. Every page is checked with axe-core at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from meldwijzer.social_map.models import Service
from tests.browser.conftest import PHONE_WIDTH, VIEWPORT_HEIGHT, PageCheck, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _phone(page: Page) -> None:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": VIEWPORT_HEIGHT})


def test_a_resident_finds_help_near_their_postcode_on_a_phone(
    page: Page, check_page: PageCheck
) -> None:
    _phone(page)
    page.goto("/")
    page.get_by_role("link", name="Hulp zoeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulp zoeken bij u in de buurt")
    emergency = page.get_by_role("complementary", name="Direct hulp nodig?")
    expect(emergency.get_by_role("link", name="0800-2000")).to_be_visible()
    expect(emergency.get_by_role("link", name="112")).to_be_visible()
    check_page("social-map-public")
    _phone(page)

    page.get_by_label("Uw postcode").fill("8302 AB")
    page.get_by_role("button", name="Zoeken").click()
    heading = page.get_by_role("heading", level=2, name=re.compile(r"gevonden voor 8302 Emmeloord"))
    expect(heading).to_be_visible()
    results = page.locator(".mw-result")
    assert results.count() == 20  # the first page
    expect(results.first).to_contain_text("vanaf uw postcode")
    expect(results.first).to_contain_text("Laatst gecontroleerd:")
    expect(page.get_by_role("link", name="0800-2000").first).to_be_visible()
    check_page("social-map-results")
    _phone(page)

    # Narrow down: shelter, in the search box, and open it.
    page.get_by_label("Waar zoekt u hulp bij?").fill("opvang")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Vrouwenopvang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vrouwenopvang")
    expect(page.get_by_text("Deze hulp wordt gegeven op een geheim adres.")).to_be_visible()
    expect(page.get_by_text("Geheimgehouden")).to_have_count(0)
    expect(page.get_by_text("Crisisdienst")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"Laatst gecontroleerd: \d+ \w+ \d{4}"))).to_be_visible()
    check_page("social-map-service-public")


def test_a_search_with_a_mistake_says_what_is_wrong(page: Page, check_page: PageCheck) -> None:
    _phone(page)
    page.goto("/sociale-kaart/")
    page.get_by_label("Uw postcode").fill("83")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#foutmeldingen")).to_contain_text(
        "Een postcode heeft 4 cijfers. U vulde er 2 in."
    )
    check_page("social-map-public-error")


def test_a_professional_gets_a_route_for_a_demo_case(page: Page, check_page: PageCheck) -> None:
    log_in(page, "huisarts")
    _phone(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    page.get_by_role("row", name=re.compile("Patiënte met herhaald letsel")).get_by_role(
        "link"
    ).click()
    page.get_by_role("link", name=re.compile("^Routekaart")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Routekaart")
    # Filled in from the dossier: the signals were about children witnessing partner violence.
    expect(page.get_by_label("Kinderen als getuige van partnergeweld")).to_be_checked()
    expect(page.get_by_label("Waar bent u in de meldcode?")).to_have_value("gemeld")
    check_page("routekaart-form")
    _phone(page)

    page.get_by_label("Intieme terreur").check()
    expect(page.get_by_label("Structurele onveiligheid", exact=True)).to_be_checked()
    page.get_by_label("Waar bent u in de meldcode?").select_option("stap_4")
    page.get_by_role("button", name="Route tonen").click()
    expect(
        page.get_by_role("heading", name="Veilig Thuis: Melden bij Veilig Thuis is de norm")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="U bent in: Stap 4 · Wegen")).to_be_visible()
    plegers = page.get_by_role("region", name="Hulp voor plegers")
    expect(plegers).to_contain_text("Centrum Omslag Zwolle")
    expect(plegers).to_contain_text("op 34 km")
    expect(plegers).to_contain_text("Poli Keerpunt Almere")
    expect(page.get_by_role("region", name="Opvang")).to_contain_text("Vrouwenopvang")
    expect(page.get_by_text("Spreek de partners apart.", exact=False)).to_be_visible()
    # The practice's own aandachtsfunctionaris, from the sociale kaart.
    expect(page.get_by_text("Pieter Wiersma", exact=False).first).to_be_visible()
    check_page("routekaart-route")


def test_a_functioneel_beheerder_checks_an_out_of_date_service(
    page: Page, check_page: PageCheck
) -> None:
    log_in(page, "beheer.wijkteam")
    _phone(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Sociale kaart"
    ).click()
    page.get_by_role("link", name="Gegevens bijhouden").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gegevens bijhouden")
    stale = page.get_by_role("region", name="Gegevens die gecontroleerd moeten worden")
    expect(stale).to_contain_text("Ouderenadviseur")
    check_page("social-map-manage")
    _phone(page)

    stale.get_by_role("link", name="Ouderenadviseur").click()
    expect(page.get_by_text("Verouderd").first).to_be_visible()
    check_page("social-map-service-form")
    _phone(page)
    page.get_by_role("button", name=re.compile("markeer als gecontroleerd")).click()
    expect(page.get_by_role("status").first).to_contain_text("gemarkeerd als gecontroleerd")
    assert not Service.objects.filter(name="Ouderenadviseur", verified_on__isnull=True).exists()
    page.goto("/sociale-kaart/beheer/")
    expect(page.get_by_role("heading", name=re.compile(r"Te controleren"))).not_to_contain_text(
        "Ouderenadviseur"
    )


NEUTRAL = "https://www.weeronline.nl/"


def _neutral_site(target: Page | BrowserContext) -> None:
    """The neutral site, answered here: the tests do not leave the machine."""
    target.route(
        f"{NEUTRAL}**",
        lambda route: route.fulfill(content_type="text/html", body="<title>Het weer</title>"),
    )


def test_snel_weg_is_the_first_tab_stop_and_leaves_without_a_way_back(
    page: Page, check_page: PageCheck
) -> None:
    _neutral_site(page)
    page.goto("/")
    page.goto("/sociale-kaart/?postcode=8302")
    _phone(page)
    quick_exit = page.get_by_role("link", name="Snel weg")
    expect(quick_exit).to_have_accessible_name("Snel weg: verlaat deze website")
    expect(quick_exit).to_have_accessible_description(re.compile(r"druk 2 keer op Esc"))
    page.keyboard.press("Tab")
    expect(quick_exit).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus visible
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_in_viewport()
    page.keyboard.press("Shift+Tab")
    expect(quick_exit).to_be_focused()
    # Always on screen, also at the bottom of a long page on a phone.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = quick_exit.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT_HEIGHT
    check_page("social-map-quick-exit")
    page.keyboard.press("Enter")
    expect(page).to_have_url(NEUTRAL)
    page.go_back()  # the sociale kaart was replaced in the history: Back skips it
    expect(page).to_have_url(re.compile(r"://localhost:\d+/$"))


def test_pressing_escape_twice_leaves_too(page: Page) -> None:
    _neutral_site(page)
    page.goto("/")
    service = Service.objects.get(name="Vrouwenopvang")
    page.goto(f"/sociale-kaart/hulp/{service.pk}/")
    expect(page.get_by_role("link", name="Snel weg")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/sociale-kaart/hulp/\d+/$"))  # once is not enough
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    expect(page).to_have_url(re.compile(r"://localhost:\d+/$"))


def test_snel_weg_works_without_javascript(browser: Browser, base_url: str, demo: None) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        _neutral_site(context)
        page = context.new_page()
        page.goto("/sociale-kaart/")
        page.get_by_role("link", name="Snel weg").click()
        expect(page).to_have_url(NEUTRAL)
    finally:
        context.close()


def test_professional_pages_have_no_snel_weg(page: Page) -> None:
    log_in(page, "huisarts")
    page.goto("/sociale-kaart/professionals/?postcode=8302")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie biedt welke hulp?")
    expect(page.get_by_role("link", name="Snel weg")).to_have_count(0)


def test_a_postcode_outside_the_region_is_told_so_on_a_phone(
    page: Page, check_page: PageCheck
) -> None:
    _phone(page)
    page.goto("/sociale-kaart/")
    page.get_by_label("Uw postcode").fill("1011 AB")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#buiten-gebied")).to_contain_text(
        "Postcode 1011 (Amsterdam) ligt buiten het gebied van deze sociale kaart."
    )
    expect(page.locator(".mw-result").first).to_be_visible()  # national help
    check_page("social-map-outside-region")
    _phone(page)
    page.get_by_label("Uw postcode").fill("83O2")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#foutmeldingen")).to_contain_text(
        "In ‘83O2’ staat de letter O waar het cijfer 0 hoort."
    )


def test_a_route_for_acute_and_structural_unsafety_with_partners_outside_veilig_thuis(
    page: Page, check_page: PageCheck
) -> None:
    log_in(page, "huisarts")
    _phone(page)
    page.goto("/sociale-kaart/routekaart/")
    page.get_by_label("Huwelijksdwang").check()
    page.get_by_label("Acute onveiligheid").check()
    page.get_by_label("Structurele onveiligheid", exact=True).check()
    page.get_by_role("button", name="Route tonen").click()
    expect(
        page.get_by_role("heading", name="Veilig Thuis: Meld nu bij Veilig Thuis")
    ).to_be_visible()
    expect(page.locator(".mw-fields")).to_contain_text(
        "Acute onveiligheid en structurele onveiligheid"
    )
    police = page.locator(".mw-card").filter(has=page.get_by_role("heading", name="Politie"))
    expect(police).to_contain_text("Het meldrecht geldt alleen voor Veilig Thuis")
    knooppunt = page.locator(".mw-card").filter(
        has=page.get_by_role("heading", name="Landelijk Knooppunt Huwelijksdwang en Achterlating")
    )
    expect(knooppunt).to_contain_text("Het meldrecht geldt alleen voor Veilig Thuis")
    veilig_thuis = page.locator(".mw-card").filter(
        has=page.get_by_role("heading", name="Veilig Thuis (advies en melden)")
    )
    expect(veilig_thuis).not_to_contain_text("Het meldrecht geldt alleen voor Veilig Thuis")
    expect(
        page.get_by_text("Handel vóór een reis naar het buitenland", exact=False)
    ).to_be_visible()
    check_page("routekaart-acute-and-structural")
    # Geen together with acuut is refused in Dutch.
    page.get_by_label("Geen acute of structurele onveiligheid").check()
    page.get_by_role("button", name="Route tonen").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Kies het een of het ander.")
    check_page("routekaart-urgency-error")
