"""Instruments in the real browser, on a phone (375 px): a professional fills in the home-visit scan
from a case, saves halfway, finishes and reads the outcome; a reassessment side by side; the
functioneel beheerder switches instruments and uploads a file. Every page is checked with axe-core
at desktop and phone width, and may not scroll sideways on the phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.instruments.models import InstrumentDefinition, InstrumentDraft, InstrumentResult
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.browser.conftest import PageCheck, log_in
from tests.browser.test_case_flow import Phone
from tests.factories import TEST_PASSWORD, MembershipFactory
from tests.instruments.own_instrument import OWN_V1

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCAN_TITLE = "Huisbezoek-scan huiselijk geweld en kindermishandeling"


def _home_visitor_with_a_case() -> tuple[str, Case]:
    organisation = Organisation.objects.get(name="Sociaal Wijkteam Emmeloord")
    membership = MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation)
    actor = actor_for_user(user=membership.user)
    case = case_services.case_open(
        actor=actor,
        title="Huisbezoek gezin met jonge kinderen",
        profession="sociaal_werk_jeugd",
        client="kind",
    )
    return membership.user.username, case


def _answer(page: Page, question: str, answer: str) -> None:
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    group.get_by_label(answer, exact=True).check()


def _answer_the_rest(page: Page) -> None:
    """Every question without an answer yet: 'Nee', or the lowest point of a scale."""
    for question in page.locator("fieldset.mw-question").all():
        if question.locator("input:checked").count():
            continue
        nee = question.get_by_label("Nee", exact=True)
        (nee if nee.count() else question.locator("input[type=radio]").first).check()


def test_home_visit_scan_on_a_phone(page: Page, check_page: PageCheck) -> None:
    username, case = _home_visitor_with_a_case()
    log_in(page, username, TEST_PASSWORD)
    phone = Phone(page, check_page)

    page.goto(f"/casussen/{case.pk}/")
    expect(page.get_by_text("Nog geen instrument ingevuld")).to_be_visible()
    page.get_by_role("link", name="Screening of risicotaxatie invullen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening en risicotaxatie")
    phone.check("instruments-case")

    page.get_by_role("link", name=re.compile(rf"^Invullen\W+{SCAN_TITLE}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SCAN_TITLE)
    phone.check("instruments-fill")

    # Halfway: a few answers, then save and come back later.
    _answer(page, "Er is een jong kind in het gezin", "Ja")
    _answer(page, "Eén partner controleert de ander", "Ja")
    _answer(page, "Een ouder heeft veel stress.", "Weet ik (nog) niet")
    page.get_by_role("button", name="Tussentijds opslaan").first.click()
    expect(page.get_by_role("status").first).to_contain_text("tussentijds opgeslagen")
    expect(page.locator("#concept-stand")).to_contain_text("3 van de 47 vragen beantwoord")
    group = page.get_by_role("group", name=re.compile("Eén partner controleert de ander"))
    expect(group.get_by_label("Ja", exact=True)).to_be_checked()
    phone.check("instruments-draft")
    draft = InstrumentDraft.objects.get(case=case)
    assert draft.answers == {
        "kind_afhankelijk": "ja",
        "gezin_controle": "ja",
        "ouder_stress": "onbekend",
    }
    assert not Entry.objects.filter(case=case, kind=EntryKind.INSTRUMENT_RESULT).exists()

    # Finishing too early names the open questions and keeps what was answered.
    page.get_by_role("button", name="Afronden en uitkomst bekijken").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Controleer uw antwoorden")
    expect(page.locator("#foutmeldingen")).to_contain_text("Een kind is te vroeg geboren")
    phone.check("instruments-fill-errors")

    # The rest of the visit: letsel, a child who witnesses violence, and my own judgement.
    _answer(page, "Het kind heeft letsel dat niet past bij de uitleg", "Ja")
    _answer(page, "Het kind is getuige van geweld tussen volwassenen in huis.", "Ja")
    _answer(page, "Hoe veilig is het kind op dit moment", "2 – zorgen")
    _answer_the_rest(page)
    page.get_by_label("Wat viel u verder op?").fill("Vader nam steeds het woord.")
    page.get_by_role("button", name="Afronden en uitkomst bekijken").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uitkomst: {SCAN_TITLE}")
    expect(page.get_by_role("status").first).to_contain_text("staat in het dossier")
    profiles = page.locator(
        "section", has=page.get_by_role("heading", name="Mogelijke gezinsprofielen")
    )
    expect(profiles.get_by_role("heading", name="Intieme terreur")).to_be_visible()
    expect(profiles).to_contain_text("Eén partner controleert de ander")  # why
    expect(profiles).to_contain_text("Wat in dit patroon vaak helpt")
    violence = page.locator(
        "section", has=page.get_by_role("heading", name="Mogelijke vormen van geweld")
    )
    expect(
        violence.get_by_role("heading", name="Lichamelijk geweld of mishandeling")
    ).to_be_visible()
    expect(violence.get_by_role("heading", name="Getuige van partnergeweld")).to_be_visible()
    expect(page.get_by_text("geen besluit en geen diagnose")).to_be_visible()
    phone.check("instruments-result")

    page.get_by_role("link", name="Terug naar de casus").click()
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Screening en risicotaxatie"))
    ).to_contain_text("Intieme terreur")
    phone.check("instruments-case-page")
    page.get_by_role("link", name="Geschiedenis bekijken").click()
    expect(page.locator("main")).to_contain_text("Uitkomst instrument")
    page.go_back()

    result = InstrumentResult.objects.get(case=case)
    assert result.answers["toelichting"] == "Vader nam steeds het woord."
    assert result.answers["gezin_controle"] == "ja" and result.answers["veiligheid_nu"] == 2
    assert {v["code"] for v in result.outcome["violence"]} == {"lichamelijk", "getuige"}
    assert not InstrumentDraft.objects.filter(case=case).exists()


def test_a_reassessment_side_by_side_on_a_phone(page: Page, check_page: PageCheck) -> None:
    log_in(page, "aandacht.wijkteam")
    phone = Phone(page, check_page)
    case = Case.objects.get(title="Gezin, signalen van schuldhulp")
    page.goto(f"/casussen/{case.pk}/instrumenten/")
    page.get_by_role(
        "link", name=re.compile(rf"^Uitkomsten naast elkaar bekijken\W+{SCAN_TITLE}")
    ).click()
    table = page.get_by_role("table")
    risk = table.get_by_role("row", name=re.compile(r"^Risicofactoren Verhoogd"))
    expect(risk).to_contain_text("Laag")  # the second assessment, three weeks later
    expect(table).to_contain_text("veranderd")
    phone.check("instruments-compare")


def test_functioneel_beheerder_switches_and_uploads_instruments(
    page: Page, check_page: PageCheck, tmp_path
) -> None:
    log_in(page, "beheer.wijkteam")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Instrumenten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Instrumenten van")
    check_page("instruments-manage")

    example = page.locator(
        "li", has=page.get_by_role("heading", name=re.compile("^Voorbeeld: gescoorde"))
    )
    example.get_by_role("button", name="Inschakelen").click()
    expect(page.get_by_role("status").first).to_contain_text("is ingeschakeld")
    page.locator(
        "li", has=page.get_by_role("heading", name=re.compile("^Voorbeeld: gescoorde"))
    ).get_by_role("link", name=re.compile("^Bekijken")).click()
    expect(page.get_by_text("geen gevalideerd instrument").first).to_be_visible()
    check_page("instruments-definition")

    page.get_by_role("link", name="Instrumenten", exact=True).first.click()
    page.get_by_role("link", name="Eigen instrument laden").click()
    broken = tmp_path / "kapot.yaml"
    broken.write_text(
        OWN_V1.replace("violence: [verwaarlozing]", "violence: [honger]").replace(
            "min: 0, max: 0}", "min: 0, max: 1}"
        ),
        encoding="utf-8",
    )
    page.get_by_label("Definitiebestand (YAML of JSON)").set_input_files(str(broken))
    page.get_by_role("button", name="Controleren en laden").click()
    problems = page.locator("#problemen li")
    expect(problems).to_have_count(2)
    expect(page.locator("#foutmeldingen")).to_contain_text("Er is niets opgeslagen")
    check_page("instruments-upload-errors")
    assert not InstrumentDefinition.objects.filter(key="eigen_lijst").exists()

    good = tmp_path / "eigen_lijst.yaml"
    good.write_text(OWN_V1, encoding="utf-8")
    page.get_by_label("Definitiebestand (YAML of JSON)").set_input_files(str(good))
    page.get_by_role("button", name="Controleren en laden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eigen zorgenlijst")
    expect(page.get_by_role("status").first).to_contain_text("versie 1 is geladen en ingeschakeld")
    check_page("instruments-uploaded")
    definition = InstrumentDefinition.objects.get(key="eigen_lijst")
    assert definition.organisation.name == "Sociaal Wijkteam Emmeloord"
    assert definition.source_text == OWN_V1


def test_functioneel_beheerder_adjusts_an_instrument_on_a_phone(
    page: Page, check_page: PageCheck
) -> None:
    log_in(page, "beheer.wijkteam")
    phone = Phone(page, check_page)
    organisation = Organisation.objects.get(name="Sociaal Wijkteam Emmeloord")
    earlier = list(
        InstrumentResult.objects.filter(organisation=organisation, key="huisbezoek_scan")
    )
    assert earlier and {result.version for result in earlier} == {"2.0"}

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Instrumenten"
    ).click()
    page.get_by_role("link", name=re.compile(rf"^Bekijken\W+{SCAN_TITLE}")).click()
    expect(page.get_by_role("heading", name="Gebruik en aanpassen")).to_be_visible()
    expect(page.get_by_role("button", name="Uitschakelen")).to_be_visible()
    page.get_by_role("link", name="Aanpassen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SCAN_TITLE} aanpassen")
    expect(
        page.get_by_role("group", name="Voor de professionals van uw organisatie")
    ).to_be_visible()
    phone.check("instruments-edit")

    # A new wording, a question switched off, and a band that now overlaps the one below it.
    first = page.get_by_role("group", name=re.compile(r"^Vraag 1\b"))
    first.get_by_label("Tekst van de vraag").fill(
        "Er is een baby of peuter in het gezin die nog helemaal op de ouders is aangewezen."
    )
    page.get_by_role("group", name=re.compile(r"^Vraag 2\b")).get_by_label(
        "Deze vraag niet meer stellen"
    ).check()
    raised = page.get_by_role("group", name="Band ‘Verhoogd’")
    raised.get_by_label("Van (punten)").fill("3")
    page.get_by_role("button", name="Wijzigingen bekijken").click()
    errors = page.locator("#foutmeldingen")
    expect(errors).to_contain_text("Er is niets opgeslagen")
    expect(errors).to_contain_text(
        "Banden ‘Laag’ en ‘Verhoogd’ overlappen: score 3 valt in allebei"
    )
    expect(raised.get_by_label("Van (punten)")).to_have_attribute("aria-invalid", "true")
    phone.check("instruments-edit-errors")
    assert not InstrumentDefinition.objects.filter(organisation=organisation).exists()

    # Fixed: 'Laag' now runs to 4 and has a new name, 'Verhoogd' starts at 5.
    low = page.get_by_role("group", name="Band ‘Laag’")
    low.get_by_label("Naam").fill("Weinig risicofactoren")
    low.get_by_label("Tot en met (punten)").fill("4")
    page.get_by_role("group", name="Band ‘Verhoogd’").get_by_label("Van (punten)").fill("5")
    page.get_by_role("button", name="Wijzigingen bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanpassing controleren")
    expect(page.get_by_role("status").first).to_contain_text("Er is nog niets opgeslagen")
    changes = page.locator("section", has=page.get_by_role("heading", name=re.compile("Wat er")))
    expect(changes).to_contain_text("uitgezet")
    expect(changes).to_contain_text("0 tot en met 3 → 0 tot en met 4")
    expect(changes).to_contain_text("Er is een baby of peuter in het gezin")
    phone.check("instruments-edit-confirm")

    page.get_by_role("button", name="Terug naar aanpassen").click()
    expect(page.get_by_role("group", name="Band ‘Laag’").get_by_label("Naam")).to_have_value(
        "Weinig risicofactoren"
    )
    page.get_by_role("button", name="Wijzigingen bekijken").click()
    page.get_by_role("button", name="Opslaan als versie 2.0-1").click()
    expect(page.get_by_role("status").first).to_contain_text("is opgeslagen als versie 2.0-1")
    expect(page.get_by_text("Aangepast door uw organisatie")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Versie 2\.0-1 – aangepast op"))).to_be_visible()
    phone.check("instruments-edit-saved")

    adjusted = InstrumentDefinition.objects.get(organisation=organisation, key="huisbezoek_scan")
    assert adjusted.version == "2.0-1" and adjusted.based_on.version == "2.0"
    for result in earlier:  # results made before keep the version they were made with
        result.refresh_from_db()
        assert result.version == "2.0" and result.definition.organisation is None
