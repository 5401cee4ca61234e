"""The client's copy in the browser: the teacher opens a case whose signal has a confidential
source, adds the mother's own statement, gives the mother (with gezag) a copy after checking her
identity card, and downloads the PDF and the JSON. The PDF holds the access log and the
statement, never the source. Accessible at desktop and phone width on every page of the flow."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldwijzer.accounts.models import User
from meldwijzer.cases.entries import SignalForm
from meldwijzer.cases.models import Case
from meldwijzer.organisations.selectors import actor_for_user
from tests.browser.conftest import PageCheck, log_in
from tests.cases.builders import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_TITLE = "Leerling groep 3 vaak te laat en moe"
SOURCE = "Buurvrouw P. Geheimhouden, 06-98765432"
STATEMENT = "Sem was die weken ziek. Ik wil dat dit in het dossier staat."


def test_a_teacher_gives_the_mother_a_copy(page: Page, check_page: PageCheck) -> None:
    case = Case.objects.get(title=CASE_TITLE)
    actor = actor_for_user(user=User.objects.get(username="docent"))
    record(actor, case, SignalForm, {
        "date": timezone.localdate().isoformat(), "category": "verwaarlozing", "source": "derde",
        "source_name": SOURCE, "source_confidential": True,
        "facts": "De buurvrouw ziet Sem vaak alleen buiten spelen.",
    })  # fmt: skip

    log_in(page, "docent")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Eigen verklaring van de cliënt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eigen verklaring van de cliënt")
    check_page("copy-statement-form")
    page.get_by_label("Wie gaf de verklaring?").select_option(
        label="Jolanda Verzonnen (Ouder, moeder, met gezag)"
    )
    page.get_by_label("De verklaring", exact=True).fill(STATEMENT)
    page.get_by_role("button", name="Verklaring toevoegen").click()
    expect(page.get_by_text("De eigen verklaring van de cliënt is toegevoegd.")).to_be_visible()
    expect(page.locator("#inzage-afschrift")).to_contain_text(STATEMENT)

    page.get_by_role("link", name="Afschrift voor de cliënt").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afschrift voor de cliënt")
    page.get_by_label("Een ouder met gezag van het kind").check()
    page.get_by_label("Aan wie geeft u het afschrift?").select_option(
        label="Jolanda Verzonnen (Ouder, moeder, met gezag)"
    )
    page.get_by_label("Over welk kind gaat het afschrift?").select_option(
        label="Sem Verzonnen (Kind)"
    )
    page.get_by_label("Welk identiteitsbewijs hebt u gecontroleerd?").select_option("id_kaart")
    page.get_by_label("Reden of verzoek").fill("Moeder vroeg om een afschrift.")
    # Without the identity check: refused, with the reason at the field.
    page.get_by_role("button", name="Afschrift maken").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Controleer eerst een identiteitsbewijs")
    check_page("copy-form-refused")

    page.get_by_label("Ik heb het identiteitsbewijs van de ontvanger gezien").check()
    page.get_by_role("button", name="Afschrift maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afschrift gemaakt")
    check_page("copy-given")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Afschrift als PDF downloaden").click()
    with page.expect_download() as json_download:
        page.get_by_role("link", name="Afschrift als gegevensbestand (JSON) downloaden").click()
    pdf_path, json_path = pdf_download.value.path(), json_download.value.path()
    text = "\n".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_path.read_bytes())).pages
    )
    body = json_path.read_text(encoding="utf-8")
    assert "Wie heeft het dossier bekeken" in text and "Uw eigen verklaring" in text
    assert "in het dossier staat" in text and len(json.loads(body)["access_log"]) > 0
    for shown in (text, body):
        assert "Geheimhouden" not in shown and "06-98765432" not in shown
        assert "Gegevens van de melder zijn afgeschermd" in shown

    page.get_by_role("link", name="Terug naar de casus").click()
    expect(page.locator("#inzage-afschrift")).to_contain_text(
        "Jolanda Verzonnen (een ouder met gezag"
    )
    check_page("copy-case-page")
