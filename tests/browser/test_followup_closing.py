"""Closing with follow-up agreements in the real browser, with the demo region: the teacher
answers afweging 5 'ja' and closes only with agreements (plain closing is not offered), and the
wijkteam's casusregisseur closes the family's coordination file the same way. Both pages are
checked with axe at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meldwijzer.cases.models import Case, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination.demo import WIJKTEAM_FILE
from meldwijzer.coordination.models import CoordinationFile, FileState
from meldwijzer.followups.models import FollowupPlan
from tests.browser.conftest import PageCheck, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closing_with_agreements_on_a_case_and_a_file(page: Page, check_page: PageCheck) -> None:
    # The teacher's help has reached its review date: afweging 5 is answered 'ja'.
    teacher = log_in(page, "docent")
    case = Case.objects.get(title="Leerling groep 6 na evaluatie")
    page.goto(f"/casussen/{case.pk}/afwegen/")
    expect(page.get_by_role("heading", level=2, name=re.compile("Leidt de hulp"))).to_be_visible()
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Toelichting").fill("Het gaat al weken aantoonbaar beter thuis.")
    page.get_by_role("button", name="Antwoord vastleggen").click()
    page.get_by_role("link", name="Naar het besluit").click()
    expect(page.get_by_text("Afsluiten zonder zorg")).to_have_count(0)
    page.get_by_label("Afsluiten met afspraken over het volgen van de veiligheid").check()
    follower = f"{teacher.get_full_name()} — Basisschool De Polderpionier"
    page.get_by_label("Wie volgt de veiligheid van het gezin?").select_option(label=follower)
    page.get_by_label("Hoe volgt u de veiligheid en wat spreekt u af met het gezin?").fill(
        "Elke maand een kort gesprek met moeder bij het ophalen."
    )
    check_page("followup-decide")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw besluit is vastgelegd")
    case.refresh_from_db()
    assert (case.phase, case.outcome) == (Phase.CLOSED, Outcome.CLOSE_FOLLOWUP)
    assert FollowupPlan.objects.filter(case=case, follower=teacher).count() == 1
    page.context.clear_cookies()

    # The casusregisseur closes the family's file from its overview.
    coordinator = log_in(page, "regisseur")
    file = CoordinationFile.objects.get(title=WIJKTEAM_FILE)
    page.goto(f"/regie/{file.pk}/")
    page.get_by_role("link", name="Regiedossier afsluiten met afspraken").click()
    page.get_by_role("button", name="Afsluiten met deze afspraken").click()
    expect(
        page.get_by_text("Kies de professional die de veiligheid van het gezin volgt.", exact=True)
    ).to_be_visible()
    assert CoordinationFile.objects.get(pk=file.pk).state == FileState.OPEN
    follower = f"{coordinator.get_full_name()} — Sociaal Wijkteam Emmeloord"
    page.get_by_label("Wie volgt de veiligheid van het gezin?").select_option(label=follower)
    page.get_by_label("Hoe volgt u de veiligheid en wat spreekt u af met het gezin?").fill(
        "Het wijkteam belt moeder elke maand; oma belt bij zorgen."
    )
    check_page("followup-file-close")
    page.get_by_role("button", name="Afsluiten met deze afspraken").click()
    expect(page.get_by_role("status").first).to_contain_text("Het regiedossier is afgesloten")
    file.refresh_from_db()
    assert file.state == FileState.CLOSED
    assert FollowupPlan.objects.filter(file=file, follower=coordinator).count() == 1
