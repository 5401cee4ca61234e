"""Knowledge per step, in the real browser: a teacher opens a demo case in step 2 and reads, inside
the case page, the knowledge of that step for onderwijs with its 'stand'; the redacteur writes a
new version (preview first); the teacher then sees the new 'stand' in the case. On the way the
teacher follows the signal form's link to the guide on honour-related violence."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldwijzer.cases.models import Case
from tests.browser.conftest import PageCheck, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


def _dutch(day: datetime.date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def _log_in_as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def _open_case(page: Page, case: Case) -> None:
    page.goto(reverse("cases:detail", args=[case.pk]))
    page.get_by_text("Kennis bij deze stap").click()  # open the <details>


def test_docent_reads_the_step_and_sees_the_redacteurs_new_stand(page: Page, check_page: PageCheck):
    case = Case.objects.get(title="Leerling groep 7 teruggetrokken")
    _log_in_as(page, "docent")
    _open_case(page, case)
    knowledge = page.locator("#kennis-bij-deze-stap")
    expect(knowledge).to_contain_text("Stap 2: collegiale consultatie")
    expect(knowledge).to_contain_text("In het onderwijs")
    expect(knowledge).to_contain_text("Vraag advies aan Veilig Thuis Flevoland")  # demo version 2
    expect(knowledge).to_contain_text("stand 30 november 2026")
    check_page("kennis-casus")
    knowledge.get_by_role("link", name="Alles over deze stap voor uw beroepsgroep").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stap 2: collegiale consultatie")
    check_page("kennis-stap")
    page.goto(reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"}))
    page.get_by_role("link", name="Signalen bij deze groep (Eergerelateerd geweld)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("eergerelateerd geweld")
    check_page("kennis-doelgroep")

    docent_session = page.context.cookies()  # the same code twice in 30 s is refused
    _log_in_as(page, "redactie")
    page.goto(reverse("trainings:home"))
    page.get_by_role("link", name="Kennisteksten bewerken").click()
    check_page("kennis-beheer")
    row = page.locator("tr", has_text="stap-2/onderwijs")
    row.get_by_role("link", name="In het onderwijs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerken: In het onderwijs")
    expect(page.locator("main")).to_contain_text("U werkt aan versie 2")
    today = timezone.localdate()
    page.get_by_label("Stand (datum waarop de tekst klopt)").fill(today.isoformat())
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\n- Bespreek de uitkomst ook met de mentor van de leerling.")
    page.get_by_label("Wat is er veranderd?").fill("Tip over de mentor toegevoegd.")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    expect(page.locator("main")).to_contain_text("Voorbeeld (nog niet opgeslagen)")
    check_page("kennis-voorbeeld")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geschiedenis: In het onderwijs")
    expect(page.locator("main")).to_contain_text("Versie 3 (nu getoond)")
    expect(page.locator("main")).to_contain_text("Tip over de mentor toegevoegd.")
    check_page("kennis-geschiedenis")

    page.context.clear_cookies()
    page.context.add_cookies(docent_session)  # type: ignore[arg-type]
    _open_case(page, case)
    knowledge = page.locator("#kennis-bij-deze-stap")
    expect(knowledge).to_contain_text(f"stand {_dutch(today)}")
    expect(knowledge).to_contain_text("Bespreek de uitkomst ook met de mentor")
