"""After the report, in the real browser with the demo region: a teacher's report reaches Veilig
Thuis' inbox, Veilig Thuis opens the family's file and hands the regie to the wijkteam, the
family's printout names exactly one contact point, a contact note without the safety answer is
not saved, a match notice names the other professional and nothing of the family, and a
pseudonymised conference item shows no identifying data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldwijzer.accounts.models import User
from meldwijzer.coordination.models import (
    ContactNote,
    CoordinationFile,
    FamilyMember,
    IncomingReport,
)
from meldwijzer.organisations.models import Organisation
from tests.browser.conftest import PageCheck, log_in
from tests.coordination.inbox_builders import case_to_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD, PARENT = "Kind Voorbeeld", "Ouder Voorbeeld"  # as `case_to_report` records them


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_from_a_teachers_report_to_the_wijkteam(page: Page, check_page: PageCheck) -> None:
    case = case_to_report(User.objects.get(username="docent"), "Leerling groep 6, zorgen thuis")
    veilig_thuis = Organisation.objects.get(sector="veilig_thuis")

    # The teacher sends the report from the case page and sees what Veilig Thuis will get.
    log_in(page, "docent")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Melding doen via Meldwijzer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding via Meldwijzer")
    expect(page.locator(".report")).to_contain_text(CHILD)
    page.get_by_label("Bij welke Veilig Thuis meldt u?").select_option(str(veilig_thuis.pk))
    page.get_by_role("group", name="Hebt u de cliënt of de ouders verteld").get_by_label(
        "Ja", exact=True
    ).check()
    check_page("coordination-report-send")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_label("Ik heb gelezen wat er wordt verstuurd")).to_be_visible()
    assert not IncomingReport.objects.filter(case=case).exists(), "sent without confirming"
    page.get_by_label("Ik heb gelezen wat er wordt verstuurd").check()
    page.get_by_role("button", name="Melding versturen").click()
    report = IncomingReport.objects.get(case=case)
    _log_out(page)

    # Veilig Thuis finds it in the inbox, confirms receipt and opens the family's file.
    log_in(page, "veiligthuis")
    page.goto("/regie/")
    page.get_by_role("link", name="Binnengekomen meldingen").click()
    check_page("coordination-inbox")
    page.get_by_role("link", name=re.compile(case.title)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Basisschool De Polderpionier")
    expect(page.locator("main")).to_contain_text(CHILD)
    page.get_by_role("button", name="Ontvangst bevestigen").click()
    page.get_by_role("link", name="Regiedossier openen").click()
    page.get_by_label("Korte omschrijving, zonder namen").fill("Gezin met schoolkind, Emmeloord")
    expect(page.get_by_label(CHILD)).to_be_checked()
    page.get_by_label("Uw telefoonnummer voor het gezin").fill("0800 000 0101")
    page.get_by_role("button", name="Regiedossier openen").click()
    file = CoordinationFile.objects.get(title="Gezin met schoolkind, Emmeloord")
    expect(page).to_have_url(re.compile(rf"/regie/{file.pk}/$"))
    assert sorted(file.family.values_list("name", flat=True)) == [CHILD, PARENT]
    report.refresh_from_db()
    assert report.received_at is not None and report.file == file

    # The match notice: Veilig Thuis and the GGD registered the same baby (demo), and Veilig
    # Thuis sees the GGD's professional — never the family.
    page.goto("/regie/samenloop/")
    notices = page.locator("main")
    expect(notices).to_contain_text("GGD")
    for family_name in ("Noah", "Dijkstra", "Marknesse", "pasgeboren"):
        expect(notices).not_to_contain_text(family_name)
    check_page("coordination-match-veilig-thuis")

    # Veilig Thuis offers the regie to the wijkteam's casusregisseur, on the mother's consent.
    page.goto(f"/regie/{file.pk}/")
    page.get_by_role("navigation", name="Onderdelen van het regiedossier").get_by_role(
        "link", name="Overdracht van de regie"
    ).click()
    receiver = page.get_by_label("Aan wie draagt u de regie over?")
    receiver.select_option(receiver.locator("option", has_text="Kramer").get_attribute("value"))
    page.get_by_label("Wat moet wie het overneemt weten?").fill(
        "Moeder werkt mee; de school volgt het kind. Huisbezoek is gedaan."
    )
    page.get_by_label("Grondslag (alleen bij een andere organisatie)").select_option("toestemming")
    page.get_by_label("Wie gaf toestemming").fill("moeder (met gezag)")
    until = timezone.localdate() + datetime.timedelta(days=120)
    page.get_by_label("Toestemming geldt tot en met").fill(until.isoformat())
    check_page("coordination-handover-offer")
    page.get_by_role("button", name="Regie aanbieden").click()
    _log_out(page)

    # The wijkteam accepts: from then on Anouk Kramer is the one casusregisseur, on every page.
    log_in(page, "regisseur")
    page.goto("/regie/")
    page.get_by_role("link", name=re.compile("vraagt u de regie over te nemen.*schoolkind")).click()
    check_page("coordination-handover-answer")
    page.get_by_role("button", name="Regie overnemen").click()
    expect(page).to_have_url(re.compile(rf"/regie/{file.pk}/$"))
    file.refresh_from_db()
    assert file.coordinator.username == "regisseur"
    assert file.lead_organisation.name == "Sociaal Wijkteam Emmeloord"
    expect(page.locator(".mw-coordinator")).to_contain_text("Anouk Kramer")
    check_page("coordination-file-after-handover")

    # The family's printout: exactly one contact point, the casusregisseur.
    page.goto(f"/regie/{file.pk}/wie-doet-wat/afdrukken/")
    printout = page.locator("main")
    expect(printout.locator("a[href^='tel:']")).to_have_count(1)
    expect(printout.locator("[data-contact-point]")).to_have_count(1)
    expect(printout.locator("[data-contact-point]")).to_contain_text("Anouk Kramer")
    expect(printout).not_to_contain_text("Ik ben de casusregisseur")  # Veilig Thuis stepped back
    check_page("coordination-who-does-what-print")

    # A contact note without the safety answer is not saved; with it, it is.
    page.goto(f"/regie/{file.pk}/contacten/")
    page.get_by_label("Datum van het contact").fill(timezone.localdate().isoformat())
    page.get_by_label("Met wie").fill("moeder")
    page.get_by_label("Wat is er besproken").fill("Kennismaking na de overdracht.")
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator("#foutmeldingen")).to_be_visible()
    assert not ContactNote.objects.filter(file=file).exists()
    check_page("coordination-contact-refused")
    page.get_by_role("group", name="Wordt het veiligheidsplan nagekomen?").get_by_label(
        "Er is nog geen veiligheidsplan"
    ).check()
    page.get_by_role("group", name="Is het nu veilig genoeg?").get_by_label("Veilig genoeg").check()
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator("main")).to_contain_text("Kennismaking na de overdracht.")
    assert ContactNote.objects.filter(file=file, safety="veilig").count() == 1
    _log_out(page)

    # The GGD's side of the match: the other professional, no content.
    log_in(page, "jgz")
    page.goto("/regie/samenloop/")
    main = page.locator("main")
    expect(main).to_contain_text("Veilig Thuis")
    for family_name in ("Noah", "Dijkstra", "Samira", "Youssef"):
        expect(main).not_to_contain_text(family_name)
    check_page("coordination-match-ggd")
    _log_out(page)

    # The huisarts, a participant who did not confirm involvement, sees the Emmeloord family of
    # the demo conference only as roles and age bands.
    log_in(page, "huisarts")
    page.goto("/regie/overleggen/")
    page.get_by_role("link", name=re.compile("Interventieoverleg")).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("jaar")
    emmeloord = CoordinationFile.objects.get(title="Gezin met twee kinderen, Emmeloord")
    for member in FamilyMember.objects.filter(file=emmeloord):
        for part in member.name.split():
            expect(main).not_to_contain_text(part)
        if member.date_of_birth:
            expect(main).not_to_contain_text(member.date_of_birth.strftime("%d-%m-%Y"))
    expect(main).not_to_contain_text(emmeloord.reference)
    check_page("coordination-conference-pseudonymised")
