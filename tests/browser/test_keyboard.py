"""Keyboard use: the skip link comes first and works, and keyboard focus is always visible."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

FOCUSED_OUTLINE = """() => {
    const style = getComputedStyle(document.activeElement);
    return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def active_element(page: Page, expression: str) -> str:
    return page.evaluate(f"document.activeElement.{expression}")


def tab_to(page: Page, name: str, limit: int = 25) -> None:
    """Press Tab until the element with this accessible text has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active_element(page, "textContent.trim()") == name:
            return
    pytest.fail(f"{name!r} not reached with Tab")


def assert_focus_visible(page: Page) -> None:
    outline = page.evaluate(FOCUSED_OUTLINE)
    assert outline["style"] != "none" and outline["width"] > 0, outline


def assert_skip_link_first(page: Page) -> None:
    page.keyboard.press("Tab")
    assert active_element(page, "textContent.trim()") == "Naar de inhoud"
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert active_element(page, "id") == "inhoud"
    assert active_element(page, "tagName") == "MAIN"


def test_skip_link_is_the_first_tab_stop(page: Page) -> None:
    page.goto("/")
    assert_skip_link_first(page)

    log_in(page, "beheer.school")
    page.goto("/beheer/medewerkers/")
    assert_skip_link_first(page)
    # The next Tab stop after the skip link's target is the page's own content, not the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_keyboard_focus_is_visible(page: Page) -> None:
    page.goto("/")
    tab_to(page, "Meldwijzer")
    assert_focus_visible(page)
    tab_to(page, "Inloggen")
    assert_focus_visible(page)

    page.goto("/account/inloggen/")
    assert active_element(page, "id") == "id_username"
    assert_focus_visible(page)
    tab_to(page, "Volgende")
    assert active_element(page, "tagName") == "BUTTON"
    assert_focus_visible(page)

    log_in(page, "platformbeheer")
    for name in ("Organisaties", "Uitloggen", "Organisaties beheren"):
        tab_to(page, name)
        assert_focus_visible(page)
