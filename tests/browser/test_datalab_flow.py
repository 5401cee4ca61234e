"""The datalab in the browser, the whole way: a policy adviser reads two partners' pseudonymised
files in, reads the overview, the questions with their chart and map, downloads the report for
the signaaloverleg, and every page is accessible at desktop and phone width."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import random
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from meldwijzer.datalab import schema
from meldwijzer.organisations.roles import Role
from tests.browser.conftest import PageCheck, log_in
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_ID = "0123456789ab"
POSTCODES = ("8302", "8302", "8303", "8303", "8301", "8304", "8305", "8308", "8315", "8316")


def _shared_file(path: Path, prefix: str, count: int, seed: int) -> Path:
    """A shared file as a partner delivers it: research pseudonyms, PC4, no names."""
    chance = random.Random(seed)
    names = [c.name for c in schema.SHARED_COLUMNS]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, delimiter=";", extrasaction="ignore")
    writer.writeheader()
    start = datetime.date(2021, 1, 1)
    for number in range(count):
        day = start + datetime.timedelta(days=chance.randrange(0, 540))
        person = hashlib.sha256(f"{prefix}-{number % (count // 2)}".encode()).hexdigest()[:32]
        writer.writerow(
            {
                "kenmerk": f"{prefix}-{number}",
                "meldingsdatum": day.isoformat(),
                "melder_rol": "beroepskracht",
                "melder_sector": chance.choice(["politie", "politie", "gezondheidszorg"]),
                "soort_melding": chance.choice(["eerste", "her", "vervolg"]),
                "aard": chance.choice(["kindermishandeling", "partnergeweld"]),
                "vormen": "lichamelijk",
                "casus_start": (day + datetime.timedelta(days=2)).isoformat(),
                "eerste_actie": (day + datetime.timedelta(days=5)).isoformat(),
                "pc4": chance.choice(POSTCODES),
                "sleutel_id": KEY_ID,
                "persoon_1_pseudoniem": f"rp-{person}",
                "persoon_1_leeftijdsklasse": "5-9",
                "persoon_1_rol": "slachtoffer",
            }
        )
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return path


def test_the_policy_adviser_imports_and_reads_the_datalab(
    page: Page, check_page: PageCheck, tmp_path: Path
) -> None:
    # A datalab of its own (the demo's datalab holds demo records made with another key).
    adviser = MembershipFactory(
        role=Role.POLICY_ADVISER, organisation=OrganisationFactory(name="Gemeente Proefpolder")
    ).user
    # The analysis pages are long (a chart and a table per period) and their full-page
    # screenshots take a busy machine longer than the default ten seconds.
    page.set_default_timeout(30_000)
    log_in(page, adviser.username, TEST_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Datalab").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Datalab")

    partners = [("Veilig Thuis Flevoland", "vt", 200), ("Politie Midden-Nederland", "pol", 80)]
    for seed, (source, prefix, count) in enumerate(partners):
        page.goto(reverse("datalab:import_new"))
        page.get_by_label("Bron", exact=True).fill(source)
        page.get_by_label("Bestand", exact=True).set_input_files(
            _shared_file(tmp_path / f"{prefix}.csv", prefix, count, seed)
        )
        page.get_by_role("button", name="Bestand inlezen").click()
        expect(page.locator("#stand")).to_have_text("Geslaagd", timeout=30_000)

    page.goto(reverse("datalab:overview"))
    expect(page.get_by_role("table", name="Partners die gegevens leveren")).to_contain_text(
        "Politie Midden-Nederland"
    )
    expect(page.get_by_text("aantallen van 1 tot en met 9 worden niet getoond")).to_be_visible()
    check_page("datalab-overzicht")

    page.locator(
        f"a[href='{reverse('datalab:analysis', kwargs={'analysis': 'meldingen'})}']"
    ).click()
    expect(page.locator("svg.mw-chart").first).to_be_visible()
    expect(page.locator("table caption").first).to_be_visible()
    check_page("datalab-meldingen")

    page.goto(reverse("datalab:analysis", kwargs={"analysis": "wijken"}))
    expect(page.locator("svg.mw-map")).to_be_visible()
    expect(page.locator("svg.mw-map path")).to_have_count(16)
    check_page("datalab-wijken")

    page.goto(reverse("datalab:overview"))
    # The whole report takes WeasyPrint a while on a busy machine.
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("link", name="Rapport voor het signaaloverleg (pdf)").click(timeout=90_000)
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("datalab-noordoostpolder-rapport-")
