"""The delivery pages: upload with Dutch errors, progress while running, numbered errors, and no
record's contents anywhere."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.datalab import schema
from meldwijzer.datalab.models import Import, ImportState, Record, Source
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.datalab.sharedfiles import csv_bytes, row
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(db):
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Gemeente Proefpolder"), role=Role.POLICY_ADVISER
    )
    return force_verified_login(Client(), membership.user)


def post(
    client, data: bytes, name="meldingen.csv", source="Veilig Thuis Flevoland", kind="veilig_thuis"
):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        reverse("datalab:import_new"), {"source": source, "kind": kind, "file": upload}
    )


def test_form_has_stable_labels(client):
    page = client.get(reverse("datalab:import_new")).content.decode()
    assert ">Bron" in page and ">Bestand" in page and ">Bestand inlezen</button>" in page
    assert 'type="file"' in page and 'list="bestaande-bronnen"' in page


def test_upload_is_read_and_listed_without_record_contents(client):
    response = post(client, csv_bytes([row("VT-SECRET-1", pc4="8399"), row("VT-SECRET-2")]))
    imported = Import.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("datalab:import", kwargs={"import_id": imported.pk})
    assert imported.state == ImportState.DONE and Record.objects.count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "2 meldingen toegevoegd" in detail and "Refresh" not in detail
    listing = client.get(reverse("datalab:imports")).content.decode()
    assert "meldingen.csv" in listing and "Veilig Thuis Flevoland" in listing
    for page in (detail, listing):
        assert "VT-SECRET" not in page and "8399" not in page and "rp-" not in page
    # The source is offered for the next upload.
    assert (
        'value="Veilig Thuis Flevoland"'
        in client.get(reverse("datalab:import_new")).content.decode()
    )


def test_errors_are_shown_per_row(client):
    response = post(client, csv_bytes([row("A"), row("B", meldingsdatum="31-02-2022")]))
    detail = client.get(response["Location"]).content.decode()
    assert "Rij 3, kolom meldingsdatum: 31-02-2022 is geen bestaande datum." in detail
    assert "niets opgeslagen" in detail
    assert not Record.objects.exists()


def test_wrong_file_is_a_form_error(client):
    response = post(client, b"just text", name="meldingen.pdf")
    assert response.status_code == 400
    assert "Kies een CSV- of Excelbestand" in response.content.decode()
    response = post(client, b"no zip", name="meldingen.xlsx")
    assert response.status_code == 400 and "geen Excelbestand" in response.content.decode()
    response = post(client, csv_bytes([row()]), source="  ")
    assert (
        response.status_code == 400 and "Vul de naam van de bron in." in response.content.decode()
    )
    assert not Import.objects.exists() and not Source.objects.exists()


def test_running_import_shows_progress_and_refreshes(client):
    post(client, csv_bytes([row()]))
    imported = Import.objects.get()
    Import.objects.filter(pk=imported.pk).update(
        state=ImportState.RUNNING, rows_total=10, rows_done=4
    )
    response = client.get(reverse("datalab:import", kwargs={"import_id": imported.pk}))
    page = response.content.decode()
    assert response["Refresh"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress class="mw-progress" max="10" value="4"' in page and "4 van 10 rijen" in page


def test_background_upload_runs_in_a_thread(client, settings):
    """With the background on (as in production), the page returns while the thread works."""
    settings.DATALAB_IMPORT_IN_BACKGROUND = True
    response = post(client, csv_bytes([row()]))
    assert response.status_code == 302
    # The thread starts when the request's transaction commits; in this test that never happens,
    # so the import is still running, with its file kept under the data directory.
    imported = Import.objects.get()
    assert imported.state == ImportState.RUNNING
    from meldwijzer.datalab.imports import upload_dir

    # A name of its own: another test worker (sharing the data directory) may be reading an
    # upload of an import with the same id at this moment.
    kept = list(upload_dir().glob(f"{imported.pk}-*.csv"))
    assert len(kept) == 1
    kept[0].unlink()


def test_schema_page_and_document(client):
    page = client.get(reverse("datalab:schema")).content.decode()
    assert "meldwijzer datalab pseudonymise" in page
    for column in schema.REPORT_COLUMNS + schema.SHARED_ONLY:
        assert f"<code>{column.name}</code>" in page
    from pathlib import Path

    document = Path(__file__).parents[2] / "docs" / "datalab-schema.md"
    assert document.read_text(encoding="utf-8") == schema.schema_markdown()
