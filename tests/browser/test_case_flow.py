"""A professional takes cases through the meldcode on a phone, in the real browser.

The first case goes from the first signal to a report to Veilig Thuis; the second to help with a
review date. Every new kind of page is checked with axe-core at desktop and phone width.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from tests.browser.conftest import PHONE_WIDTH, VIEWPORT_HEIGHT, PageCheck, log_in
from tests.factories import TEST_PASSWORD, MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


class Phone:
    """Keeps the page at phone width between the checks (which also look at desktop width)."""

    def __init__(self, page: Page, check_page: PageCheck) -> None:
        self.page = page
        self.check_page = check_page
        self.narrow()

    def narrow(self) -> None:
        self.page.set_viewport_size({"width": PHONE_WIDTH, "height": VIEWPORT_HEIGHT})

    def check(self, name: str) -> None:
        self.check_page(name)
        self.narrow()


def _professional() -> str:
    organisation = Organisation.objects.get(name="Basisschool De Polderpionier")
    membership = MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation)
    membership.user.first_name = "Fleur"
    membership.user.save(update_fields=["first_name"])
    return membership.user.username


def _open_case(page: Page, title: str, phone: Phone | None = None) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn casussen")
    if phone:
        phone.check("case-list")
    page.get_by_role("link", name="Nieuwe casus").click()
    if phone:
        phone.check("case-create")
    page.get_by_label("Korte omschrijving").fill(title)
    # The school's sector proposes the onderwijs kader.
    expect(page.get_by_label("Beroepsgroep")).to_have_value("onderwijs")
    page.get_by_label("Een kind of jongere (tot 18 jaar)").check()
    page.get_by_label("Naam van het kind of de cliënt").fill("Sam Voorbeeld")
    page.get_by_label("Geboortedatum").fill("2017-04-12")
    page.get_by_role("button", name="Casus openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _move_on(page: Page, step: str) -> None:
    page.get_by_role("button", name=re.compile(f"^Naar {re.escape(step)}")).click()
    expect(page.get_by_role("status").first).to_contain_text(f"De casus is nu in {step}")


def _signal(page: Page, facts: str) -> None:
    page.get_by_role("link", name="Signaal vastleggen").click()
    # The date starts at today; the kind of signal starts empty.
    expect(page.get_by_label("Datum van de waarneming")).to_have_value(today().isoformat())
    expect(page.get_by_label("Soort signaal")).to_have_value("")
    page.get_by_label("Soort signaal").select_option("lichamelijk")
    page.get_by_label("Bron", exact=True).select_option("eigen")
    page.get_by_label("Feiten: wat zag of hoorde u?").fill(facts)


def _consultation(page: Page) -> None:
    page.get_by_role("link", name="Collegiale consultatie vastleggen").click()
    expect(page.get_by_label("Datum")).to_have_value(today().isoformat())
    page.get_by_label("Aandachtsfunctionaris", exact=True).check()
    page.get_by_label("Wat werd geadviseerd?").fill("Bespreek de signalen met de ouders.")


def _answer(
    page: Page, question: str, answer: str, reasoning: str, kinds: tuple[str, ...] = ()
) -> None:
    expect(page.get_by_role("heading", level=2, name=question)).to_be_visible()
    page.get_by_label(answer, exact=True).check()
    for kind in kinds:
        page.get_by_label(re.compile(kind)).check()
    page.get_by_label("Toelichting").fill(reasoning)
    page.get_by_role("button", name="Antwoord vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw antwoord en toelichting")


def test_first_signal_to_a_report_on_a_phone(page: Page, check_page: PageCheck) -> None:
    user = log_in(page, _professional(), TEST_PASSWORD)
    phone = Phone(page, check_page)
    _open_case(page, "Zorgen over leerling groep 5", phone)

    # Step 1: the case page at a glance, then the first signal.
    expect(page.locator('[aria-current="step"]')).to_contain_text("Stap 1")
    expect(page.get_by_role("button", name=re.compile("^Naar Stap 2"))).to_be_disabled()
    phone.check("case-step-1")
    _signal(page, "Blauwe plek op de bovenarm, zegt gevallen te zijn.")
    phone.check("entry-signal")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Signaal is vastgelegd")
    expect(page.get_by_text("Niets: alles wat deze stap vraagt")).to_be_visible()
    _move_on(page, "Stap 2 · Collegiale consultatie")

    # Step 2: consultation.
    _consultation(page)
    page.get_by_role("button", name="Vastleggen").click()
    _move_on(page, "Stap 3 · Gesprek met de cliënt")

    # Step 3: prepare, then record that the conversation is skipped for a legal reason.
    page.get_by_role("link", name="Gesprek voorbereiden").click()
    expect(page.get_by_role("heading", name="Luister eerst")).to_be_visible()
    phone.check("conversation-prepare")
    page.get_by_role("link", name=re.compile("Vastleggen dat het gesprek niet plaatsvindt")).click()
    page.get_by_label(re.compile("Door het gesprek komt de veiligheid")).check()
    page.get_by_label("Toelichting: waarom geldt deze reden hier?").fill(
        "Het kind is bang voor de reactie thuis."
    )
    phone.check("entry-conversation-skipped")
    page.get_by_role("button", name="Vastleggen").click()
    _move_on(page, "Stap 4 · Wegen")

    # Step 4: the afwegingskader.
    page.get_by_role("link", name="Afwegen met het afwegingskader").click()
    expect(page.get_by_text("vertrouwensinspecteur")).to_be_visible()
    phone.check("weighing")
    _answer(page, "Heb ik op basis van", "Ja", "Letsel en een verklaring die niet past.")
    _answer(
        page, "Is er sprake van acute", "Ja", "Herhaald letsel in korte tijd.",
        kinds=("Structurele onveiligheid",),
    )  # fmt: skip
    expect(page.get_by_role("heading", name="Wat het afwegingskader aangeeft")).to_be_visible()
    phone.check("weighing-outcome")

    # Decision: the professional decides.
    page.get_by_role("link", name="Naar het besluit").click()
    expect(page.get_by_text("U beslist, niet Meldwijzer.")).to_be_visible()
    phone.check("decide")
    page.get_by_label("Melden bij Veilig Thuis", exact=True).check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw besluit is vastgelegd")
    expect(page.get_by_role("link", name="Melding bekijken en afdrukken")).to_be_visible()
    expect(page.get_by_text("Sluit de casus af zodra")).to_have_count(0)
    phone.check("case-reported")

    # The report itself: when, how, to whom, and whether the parents knew.
    page.get_by_role("link", name="Melding vastleggen").click()
    expect(page.get_by_label("Bij welke Veilig Thuis-organisatie?")).to_have_value(
        "Veilig Thuis Flevoland"
    )
    page.get_by_label("Telefonisch (0800-2000)").check()
    page.get_by_label("Nee", exact=True).check()
    page.get_by_label(re.compile("Vooraf vertellen brengt de veiligheid")).check()
    page.get_by_label("Toelichting bij ‘waarom niet’").fill("Het kind is bang voor thuis.")
    phone.check("entry-report")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Melding bij Veilig Thuis is vastgelegd"
    )
    expect(page.get_by_role("link", name="Terugkoppeling vastleggen")).to_be_visible()
    expect(page.get_by_role("heading", name="Na de melding")).to_be_visible()
    phone.check("case-after-report")

    case = Case.objects.get(responsible=user)
    assert case.phase == Phase.REPORTED
    assert case.outcome == "report"
    assert Entry.objects.filter(case=case, kind=EntryKind.WEIGHING).count() == 2


def test_second_case_to_help_with_a_review_date(page: Page, check_page: PageCheck) -> None:
    user = log_in(page, _professional(), TEST_PASSWORD)
    phone = Phone(page, check_page)
    _open_case(page, "Zorgen over kleuter")

    _signal(page, "Komt vaak zonder ontbijt en in dunne kleding.")
    page.get_by_role("button", name="Vastleggen").click()
    _move_on(page, "Stap 2 · Collegiale consultatie")
    _consultation(page)
    page.get_by_role("button", name="Vastleggen").click()
    _move_on(page, "Stap 3 · Gesprek met de cliënt")

    page.get_by_role("link", name="Gesprek vastleggen").click()
    page.get_by_label("Datum van het gesprek").fill(today().isoformat())
    page.get_by_label("Wie waren erbij?").fill("Moeder en mentor")
    page.get_by_label("Wat is er besproken?").fill("De signalen en onze zorgen.")
    page.get_by_label("Hoe reageerden zij; wat is hun kijk?").fill("Moeder herkent het.")
    page.get_by_label("Ik heb eerst geluisterd naar hun verhaal").check()
    page.get_by_label("Ik heb verteld wat ik ga doen, en we hebben samen afspraken gemaakt").check()
    phone.check("entry-conversation")
    page.get_by_role("button", name="Vastleggen").click()
    _move_on(page, "Stap 4 · Wegen")

    page.get_by_role("link", name="Afwegen met het afwegingskader").click()
    _answer(page, "Heb ik op basis van", "Ja", "Verwaarlozing lijkt aan de orde.")
    _answer(page, "Is er sprake van acute", "Nee", "Geen direct gevaar; moeder werkt mee.")
    expect(page.get_by_text("Die beantwoordt u in stap 5")).to_be_visible()
    page.get_by_role("link", name="Terug naar de casus").click()
    _move_on(page, "Stap 5 · Beslissen")

    page.get_by_role("link", name="Afwegen met het afwegingskader").click()
    _answer(page, "Ben ik in staat", "Ja", "Schoolmaatschappelijk werk kan starten.")
    _answer(page, "Aanvaarden de betrokkenen", "Ja", "Moeder stemt in met de hulp.")
    page.get_by_role("link", name="Naar het besluit").click()
    page.get_by_label("Hulp bieden of organiseren, met evaluatie", exact=True).check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    phone.check("decide-errors")
    review = timezone.localdate() + datetime.timedelta(days=42)
    page.get_by_label("Afspraken over de hulp").fill("Wekelijks contact met moeder.")
    page.get_by_label("Evaluatiedatum").fill(review.isoformat())
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw besluit is vastgelegd")
    phone.check("case-help")

    case = Case.objects.get(responsible=user)
    assert case.phase == Phase.HELP
    assert case.review_date == review
