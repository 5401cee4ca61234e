"""The dossier Veilig Thuis can act on, in the real browser with the demo region: a GP's case asks
the kindcheck without a checkbox, a disclosure of sexual abuse is reported at once as acute and
the PDF names the child, the parent and the address and how it was reported, a kraamverzorgende
gets the V&V kader, and a teacher who suspects a colleague is led to the board's route."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.cases.workflow import Phase
from tests.browser.conftest import PHONE_WIDTH, VIEWPORT_HEIGHT, PageCheck, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def _new_case(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    page.get_by_role("link", name="Nieuwe casus").click()
    page.get_by_label("Korte omschrijving").fill(title)


def _signal(page: Page, category: str, facts: str) -> None:
    page.get_by_role("link", name="Signaal vastleggen").click()
    page.get_by_label("Soort signaal").select_option(category)
    page.get_by_label("Bron", exact=True).select_option("kind")
    page.get_by_label("Feiten: wat zag of hoorde u?").fill(facts)
    page.get_by_role("button", name="Vastleggen").click()


def test_a_gps_case_about_an_adult_asks_the_kindcheck(page: Page, check_page: PageCheck) -> None:
    log_in(page, "huisarts")
    _new_case(page, "Patiënte met letsel aan de arm")
    expect(page.get_by_label("Beroepsgroep")).to_have_value("artsen")
    expect(page.get_by_role("checkbox")).to_have_count(0)
    page.get_by_label("Een volwassene (ouder, cliënt of patiënt)").check()
    check_page("fidelity-create-gp")
    page.get_by_role("button", name="Casus openen").click()
    _signal(page, "lichamelijk", "Blauwe plekken op beide armen, zegt gestoten te zijn.")
    missing = page.locator("#ontbreekt")
    expect(missing).to_contain_text("Kindcheck afgerond")
    expect(page.get_by_role("button", name=re.compile("^Naar Stap 2"))).to_be_disabled()
    page.get_by_role("link", name="Kindcheck vastleggen").click()
    expect(page.get_by_text("Kindcheck in uw beroepsgroep")).to_be_visible()
    page.get_by_label("Weet ik (nog) niet").check()
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Open taak")).to_be_visible()
    expect(missing).to_contain_text("Kindcheck afgerond")
    check_page("fidelity-gp-kindcheck-open")


def test_a_disclosure_is_reported_at_once_and_the_pdf_identifies_the_family(
    page: Page, check_page: PageCheck
) -> None:
    user = log_in(page, "jgz")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": VIEWPORT_HEIGHT})
    _new_case(page, "Meisje vertelt over misbruik thuis")
    page.get_by_label("Een kind of jongere (tot 18 jaar)").check()
    page.get_by_label("Naam van het kind of de cliënt").fill("Noor Verzonnen")
    page.get_by_label("Geboortedatum").fill("2014-09-03")
    page.get_by_role("button", name="Casus openen").click()
    _signal(page, "seksueel", "Noor vertelt dat haar stiefvader 's nachts aan haar zit.")

    # Direct melden, from step 1: 112 first, then Veilig Thuis.
    page.get_by_role("link", name="Direct melden").click()
    expect(page.get_by_text("Is iemand nu in gevaar? Bel eerst 112.")).to_be_visible()
    check_page("fidelity-report-now")
    page.get_by_label("Wat is het acute gevaar?").fill(
        "Noor gaat vanmiddag naar huis; de stiefvader is daar. Het kan opnieuw gebeuren."
    )
    page.get_by_role("button", name="Vastleggen en naar de melding").click()
    expect(page.get_by_role("status").first).to_contain_text("u meldt direct")
    case = Case.objects.get(responsible=user, title="Meisje vertelt over misbruik thuis")
    assert case.phase == Phase.REPORTED
    expect(page.locator(".mw-summary")).to_contain_text("Acuut")

    # The routekaart takes the acute urgency over: report now, police and shelter.
    page.get_by_role("link", name=re.compile("^Routekaart")).click()
    expect(page.get_by_role("checkbox", name=re.compile("Acute onveiligheid"))).to_be_checked()
    page.get_by_role("button", name="Route tonen").click()
    expect(page.get_by_text("Meld nu bij Veilig Thuis").first).to_be_visible()
    expect(page.get_by_text("Politie").first).to_be_visible()
    check_page("fidelity-route-acute")
    page.goto(f"/casussen/{case.pk}/")

    # The mother, with the address and who has parental authority.
    page.get_by_role("link", name="Betrokkene toevoegen").click()
    page.get_by_label("Ouder", exact=True).check()
    page.get_by_label("Naam", exact=True).fill("Esther Verzonnen")
    page.get_by_label("Straat en huisnummer").fill("Proefweg 12")
    page.get_by_label("Postcode").fill("8302zz")
    page.get_by_label("Woonplaats").fill("Emmeloord")
    page.get_by_label("Relatie tot het kind of de cliënt").fill("moeder")
    page.get_by_label("Heeft gezag", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()

    # The report itself.
    page.get_by_role("link", name="Melding vastleggen").click()
    page.get_by_label("Telefonisch (0800-2000)").check()
    page.get_by_label("Nee", exact=True).check()
    page.get_by_label(re.compile("Vooraf vertellen brengt de veiligheid")).check()
    page.get_by_label("Toelichting bij ‘waarom niet’").fill("Op advies van Veilig Thuis.")
    page.get_by_label("Ik vraag Veilig Thuis mijn naam niet aan de familie te noemen").check()
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("heading", name="Terugkoppeling van Veilig Thuis")).to_be_visible()
    check_page("fidelity-after-report")
    assert Entry.objects.filter(case=case, kind=EntryKind.REPORT).count() == 1

    # The PDF Veilig Thuis receives.
    response = page.request.get(f"/casussen/{case.pk}/melding.pdf")
    assert response.status == 200
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.body())).pages
    )
    for expected in (
        "Noor Verzonnen",
        "03-09-2014",
        "Esther Verzonnen",
        "Proefweg 12",
        "8302 ZZ Emmeloord",
        "Heeft gezag",
        "Acute onveiligheid",
        "Telefonisch (0800-2000)",
        "Direct gemeld wegens acute onveiligheid",
        "niet aan de familie te noemen",
    ):
        assert expected in text, expected
    assert re.search(r"vooraf ingelicht\s*Nee", text), text


def test_a_kraamverzorgende_gets_the_vv_kader(page: Page) -> None:
    log_in(page, "kraamzorg")
    _new_case(page, "Zorgen bij kraamvisite")
    expect(page.get_by_label("Beroepsgroep")).to_have_value("verpleging_verzorging")


def test_a_teacher_who_suspects_a_colleague_is_led_to_the_boards_route(
    page: Page, check_page: PageCheck
) -> None:
    log_in(page, "docent")
    _new_case(page, "Leerling vertelt over de gymleraar")
    page.get_by_role("button", name="Casus openen").click()
    _signal(page, "medewerker", "Een leerling vertelt dat de gymleraar haar aanraakte.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Route bij misbruik")
    expect(page.get_by_text("Dit valt niet onder de meldcode.")).to_be_visible()
    expect(page.get_by_text(re.compile("vertrouwensinspecteur")).first).to_be_visible()
    check_page("fidelity-staff-route")
    page.get_by_label("Nee", exact=True).check()
    page.get_by_label("Bestuur of houder geïnformeerd op").fill(today().isoformat())
    page.get_by_label("Wie hebt u geïnformeerd (naam en functie)?").fill("de directeur")
    page.get_by_role("button", name="Vastleggen").click()
    expect(
        page.get_by_role("heading", name="Vermoeden van seksueel misbruik door een medewerker")
    ).to_be_visible()
