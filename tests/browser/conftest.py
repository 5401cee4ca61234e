"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, against the live server.

One browser per test session, a fresh browser context (cookies, storage) per test. Every test
gets the demo region loaded, and `PageCheck` runs axe-core at desktop and phone width, checks
that a phone never needs horizontal scrolling, and saves full-page screenshots.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from meldwijzer.accounts.demo import DEMO_PASSWORD
from meldwijzer.accounts.models import User

CHROMIUM = os.environ.get("MELDWIJZER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP_WIDTH = 1280
PHONE_WIDTH = 375
VIEWPORT_HEIGHT = 800
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (set MELDWIJZER_CHROMIUM)."
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in the test thread, so Django's ORM would
        # refuse queries from the test code ("cannot call this from an async context"). Only
        # while the browser runs: tests that run before it keep Django's async-safety checks.
        # While that loop runs, Django also gives this thread separate database connections
        # (asgiref keys them by async context), so `serialized_rollback` cannot restore
        # migration data in these tests: see the `demo` fixture.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def base_url(live_server) -> str:
    """The live server under the name "localhost".

    Session and CSRF cookies are `Secure`. Chromium treats http://localhost as a potentially
    trustworthy origin and keeps secure cookies for it over plain HTTP, so the production cookie
    settings stay on in these tests.
    """
    return live_server.url.replace("127.0.0.1", "localhost")


@pytest.fixture(scope="session")
def demo_snapshot() -> Iterator[dict[str, sqlite3.Connection]]:
    """A copy of the database right after the demo was loaded, kept in memory per worker."""
    snapshots: dict[str, sqlite3.Connection] = {}
    yield snapshots
    for snapshot in snapshots.values():
        snapshot.close()


@pytest.fixture
def demo(live_server, demo_snapshot: dict[str, sqlite3.Connection]) -> None:
    """The demo region: organisations, and one or more demo users per role.

    Live-server tests are transactional, so an earlier one may have emptied the tables that the
    migrations fill (the municipalities); those rows are put back first, by the migration itself.
    On SQLite the first test of a worker loads the demo and keeps a copy of the whole database
    (SQLite's online backup); every later test gets that copy back in milliseconds instead of
    loading the demo again. On PostgreSQL, where only the whole flows run in the browser, each
    test loads it.
    """
    from django.apps import apps
    from django.core.cache import cache
    from django.db import connection

    from meldwijzer.demo import demo_load

    cache.clear()
    connection.ensure_connection()
    if connection.vendor == "sqlite" and "default" in demo_snapshot:
        demo_snapshot["default"].backup(connection.connection)
        return
    import_module("meldwijzer.organisations.migrations.0002_municipalities").load(apps, None)
    demo_load()
    if connection.vendor == "sqlite":
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        demo_snapshot["default"] = snapshot


@pytest.fixture
def page(browser: Browser, base_url: str, demo: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": DESKTOP_WIDTH, "height": VIEWPORT_HEIGHT},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def log_in_with_password(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """The first login step; the browser ends on the code page (or the authenticator set-up)."""
    page.goto("/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Volgende").click()
    expect(page).to_have_url(re.compile(r"/account/inloggen/(code|authenticator-instellen)/$"))


def enter_code(page: Page, code: str) -> None:
    page.fill("#id_token", code)
    page.locator("main form button[type=submit]").click()


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> User:
    """Log in through the real two pages: password, then the current authenticator code."""
    log_in_with_password(page, username, password)
    user = User.objects.get(username=username)
    enter_code(page, totp_code(TOTPDevice.objects.get(user=user, confirmed=True)))
    expect(page).to_have_url(re.compile(r"/start/$"))
    return user


def switch_organisation(page: Page, organisation: str) -> None:
    page.get_by_label("U werkt namens").select_option(label=organisation)
    page.get_by_role("button", name="Wisselen").click()
    expect(page.locator(".utrecht-pre-heading")).to_contain_text(organisation)


class PageCheck:
    """Accessibility (axe-core, every rule it runs by default) and small-screen layout checks."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.axe = Axe()

    def __call__(self, name: str) -> None:
        """Check the page as it is now at desktop and at phone width; report every problem."""
        problems: list[str] = []
        for width in (DESKTOP_WIDTH, PHONE_WIDTH):
            self.page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
            self.page.screenshot(path=SCREENSHOT_DIR / f"{name}-{width}.png", full_page=True)
            results = self.axe.run(self.page)
            if results.violations_count:
                problems.append(f"{name} at {width}px: {results.generate_report()}")
            if width == PHONE_WIDTH:
                overflow = self.page.evaluate(
                    "document.documentElement.scrollWidth - window.innerWidth"
                )
                if overflow > 1:
                    problems.append(f"{name} at {width}px scrolls sideways by {overflow}px")
        self.page.set_viewport_size({"width": DESKTOP_WIDTH, "height": VIEWPORT_HEIGHT})
        assert not problems, "\n\n".join(problems)


@pytest.fixture
def check_page(page: Page) -> PageCheck:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return PageCheck(page)
