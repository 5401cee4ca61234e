"""Zorgen delen in the browser: the teacher shares a worry — first with a BSN and a name, which
is refused with each finding named, then without — the school's aandachtsfunctionaris finds it
in the inbox and answers, and the teacher reads the answer. Accessible at desktop and phone
width on the form, its refusal and the answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageCheck, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITH_IDENTIFIERS = (
    "Een leerling uit groep 4 is vaak bang om naar huis te gaan. Zijn broer Mees zegt dat het "
    "thuis onrustig is. Het BSN staat op de brief: 123456782."
)
CLEAN = (
    "Een leerling uit groep 4 is vaak bang om naar huis te gaan. Een broer zegt dat het thuis "
    "onrustig is. Wat is een goede eerste stap?"
)
ANSWER = "Schrijf op wat u ziet en hoort, met de dag erbij. Daarna bespreken we het samen."


def test_a_teacher_shares_a_worry_and_reads_the_answer(
    page: Page, check_page: PageCheck, base_url: str
) -> None:
    log_in(page, "docent")
    page.goto("/meldcode/")
    page.get_by_role("link", name="Een zorg delen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorg delen")
    expect(page.get_by_text("Schrijf niets op waaraan iemand te herkennen is")).to_be_visible()
    check_page("worries-form")

    page.get_by_label("De aandachtsfunctionaris van mijn organisatie", exact=False).check()
    page.get_by_label("Uw zorg en uw vraag").fill(WITH_IDENTIFIERS)
    page.get_by_role("button", name="Zorg delen").click()
    errors = page.locator("#foutmeldingen")
    expect(errors).to_contain_text("U schreef een naam (Me…s)")
    expect(errors).to_contain_text("U schreef een BSN (12…2)")
    check_page("worries-refused")

    page.get_by_label("Uw zorg en uw vraag").fill(CLEAN)
    page.get_by_role("button", name="Zorg delen").click()
    expect(page.get_by_text("Uw zorg is gedeeld met kenmerk")).to_be_visible()
    reference = page.get_by_role("heading", level=1).inner_text().split()[-1]

    # The aandachtsfunctionaris in a browser of his own (the demo has an open worry already);
    # the teacher stays logged in.
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(base_url=base_url)
    officer = context.new_page()
    log_in(officer, "aandacht.school")
    officer.goto("/meldcode/")
    expect(officer.get_by_text("2 zorgen wachten op uw antwoord")).to_be_visible()
    officer.goto("/meldcode/zorgen/voor-mij/")
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_text("Een broer zegt dat het thuis onrustig is.")).to_be_visible()
    officer.get_by_label("Uw bericht").fill(ANSWER)
    officer.get_by_role("button", name="Antwoord versturen").click()
    expect(officer.get_by_text("Uw bericht is verstuurd.")).to_be_visible()
    context.close()

    page.goto("/meldcode/zorgen/")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text("Beantwoord", exact=True)).to_be_visible()
    check_page("worries-answer")
