"""Importing shared files: every rule refuses its row with a numbered Dutch message, a file is
stored all or nothing, another key is refused, and the kind of report is derived across sources."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import connection

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.datalab import imports
from meldwijzer.datalab.imports import ImportRefused, import_file, rows_store
from meldwijzer.datalab.models import (
    Import,
    ImportState,
    Record,
    RecordForm,
    RecordPerson,
    Source,
    SourceKind,
)
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.datalab.sharedfiles import (
    KEY_ID,
    NAMES,
    csv_bytes,
    csv_write,
    pseudonym,
    row,
    xlsx_write,
)
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(db):
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Gemeente Proefpolder"), role=Role.POLICY_ADVISER
    )
    return actor_for_user(user=membership.user, organisation_id=membership.organisation.pk)


def upload(
    actor, data: bytes, filename="meldingen.csv", source="Veilig Thuis", kind="veilig_thuis"
):
    return import_file(
        actor=actor,
        source_name=source,
        source_kind=kind,
        uploaded=io.BytesIO(data),
        filename=filename,
    )


def messages(imported: Import) -> list[str]:
    return [e["melding"] for e in imported.errors]


def test_csv_with_bom_and_semicolons_is_stored(actor):
    rows = [
        row("VT-1"),
        row("VT-2", persoon_2_pseudoniem=pseudonym("123456782"), persoon_2_rol="pleger"),
    ]
    imported = upload(actor, csv_bytes(rows))
    assert imported.state == ImportState.DONE, imported.errors
    assert imported.rows_total == imported.rows_done == 2 and imported.records_added == 2
    assert imported.key_id == KEY_ID
    record = Record.objects.get(reference="VT-2")
    assert record.reported_on == datetime.date(2022, 3, 15)
    assert record.case_started_on == datetime.date(2022, 3, 16)
    assert record.key_id == KEY_ID and record.pc4 == "8302" and not record.report_kind_derived
    assert sorted(RecordForm.objects.filter(record=record).values_list("form", flat=True)) == [
        "getuige",
        "lichamelijk",
    ]
    assert RecordPerson.objects.filter(record=record).count() == 2
    assert (
        AccessLogEntry.objects.filter(
            subject_type="datalab_import", subject_id=str(imported.pk)
        ).exists()
        or AccessLogEntry.objects.filter(subject_id=str(imported.pk)).exists()
    )


def test_csv_with_commas_and_without_bom(actor):
    imported = upload(actor, csv_bytes([row()], delimiter=",", bom=False))
    assert imported.state == ImportState.DONE, imported.errors


def test_xlsx_with_date_cells_and_dutch_dates(actor, tmp_path):
    rows = [
        row("X-1") | {"meldingsdatum": datetime.date(2022, 3, 15), "casus_start": ""},
        row("X-2") | {"meldingsdatum": "15-03-2022", "pc4": 8302},
    ]
    path = xlsx_write(tmp_path / "meldingen.xlsx", rows)
    imported = upload(actor, path.read_bytes(), filename="meldingen.xlsx")
    assert imported.state == ImportState.DONE, imported.errors
    assert imported.file_format == "xlsx"
    assert set(Record.objects.values_list("reported_on", flat=True)) == {datetime.date(2022, 3, 15)}


BAD_ROWS = [
    (
        {"meldingsdatum": "31-02-2022"},
        "Rij 3, kolom meldingsdatum: 31-02-2022 is geen bestaande datum.",
    ),
    ({"meldingsdatum": "2022/03/15"}, "Rij 3, kolom meldingsdatum: 2022/03/15 is geen datum"),
    ({"meldingsdatum": ""}, "Rij 3, kolom meldingsdatum: deze kolom is verplicht"),
    ({"melder_rol": "agent"}, "Rij 3, kolom melder_rol: agent is geen toegestane waarde"),
    ({"soort_melding": "tweede"}, "Rij 3, kolom soort_melding: tweede is geen toegestane"),
    ({"vormen": "lichamelijk|slaan"}, "Rij 3, kolom vormen: slaan is geen toegestane vorm"),
    ({"uitkomst": "klaar"}, "Rij 3, kolom uitkomst: klaar is geen"),
    ({"pc4": "0999"}, "Rij 3, kolom pc4: 0999 is geen PC4"),
    ({"pc4": "83021"}, "Rij 3, kolom pc4: 83021 is geen PC4"),
    ({"pc4": "83AB"}, "Rij 3, kolom pc4: 83AB is geen PC4"),
    ({"persoon_1_pseudoniem": "rp-1234"}, "Rij 3, kolom persoon_1_pseudoniem: dit is geen"),
    ({"persoon_1_pseudoniem": "rp-" + "G" * 32}, "Rij 3, kolom persoon_1_pseudoniem: dit is geen"),
    ({"persoon_1_rol": ""}, "Rij 3, kolom persoon_1_rol: vul de rol"),
    ({"persoon_1_leeftijdsklasse": "5-10"}, "Rij 3, kolom persoon_1_leeftijdsklasse: 5-10 is geen"),
    ({"sleutel_id": "abcdefabcdef"}, "Rij 3, kolom sleutel_id: het bestand heeft meer dan één"),
    ({"sleutel_id": "geen-sleutel"}, "Rij 3, kolom sleutel_id: dit is geen sleutel-id"),
    ({"sleutel_id": ""}, "Rij 3, kolom sleutel_id: de rij heeft pseudoniemen maar geen sleutel-id"),
    ({"kenmerk": "VT-1"}, "Rij 3, kolom kenmerk: kenmerk VT-1 staat ook in rij 2."),
    (
        {"casus_start": "2022-03-14"},
        "Rij 3, kolom casus_start: 2022-03-14 ligt vóór de meldingsdatum.",
    ),
    ({"eerste_actie": "01-01-2022"}, "Rij 3, kolom eerste_actie: 01-01-2022 ligt vóór"),
    ({"casus_einde": "2022-03-10"}, "Rij 3, kolom casus_einde: 2022-03-10 ligt vóór"),
    (
        {"casus_start": "2022-04-01", "casus_einde": "2022-03-20"},
        "Rij 3, kolom casus_einde: de casus eindigt vóór zijn start.",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS)
def test_every_rule_refuses_its_row_and_stores_nothing(actor, bad, message):
    imported = upload(actor, csv_bytes([row("VT-1"), row("VT-2") | bad, row("VT-3")]))
    assert imported.state == ImportState.FAILED
    assert any(m.startswith(message) for m in messages(imported)), messages(imported)
    assert imported.records_added == 0
    assert not Record.objects.exists()


def test_pseudonym_error_does_not_repeat_the_value(actor):
    imported = upload(actor, csv_bytes([row() | {"persoon_1_pseudoniem": "111222333"}]))
    assert imported.state == ImportState.FAILED
    assert not any("111222333" in m for m in messages(imported))


def test_missing_column_is_one_clear_error(actor):
    names = [n for n in NAMES if n != "meldingsdatum"]
    imported = upload(actor, csv_bytes([row(), row("VT-2")], names=names))
    assert imported.state == ImportState.FAILED
    assert messages(imported) == [
        "De verplichte kolom(men) ontbreken: meldingsdatum. De eerste rij moet de kolomnamen "
        "bevatten zoals in het schema."
    ]


def test_file_with_identifying_columns_is_refused(actor):
    imported = upload(actor, csv_bytes([row() | {"persoon_1_bsn": "111222333"}]))
    assert imported.state == ImportState.FAILED
    assert "meldwijzer datalab pseudonymise" in messages(imported)[0]
    assert not Record.objects.exists()


def test_reference_already_imported_for_the_source(actor):
    assert upload(actor, csv_bytes([row("VT-1")])).state == ImportState.DONE
    again = upload(actor, csv_bytes([row("VT-2"), row("VT-1")]))
    assert again.state == ImportState.FAILED
    assert messages(again) == [
        "Rij 3, kolom kenmerk: kenmerk VT-1 is al eerder ingelezen voor deze bron."
    ]
    # Another source may use the same reference.
    other = upload(actor, csv_bytes([row("VT-1")]), source="Politie", kind="partner")
    assert other.state == ImportState.DONE
    assert Record.objects.count() == 2


def test_errors_are_capped(actor):
    rows = [row(f"R-{n}", pc4="0000") for n in range(250)]
    imported = upload(actor, csv_bytes(rows))
    assert len(imported.errors) == imported_errors_cap() + 1
    assert imported.errors[-1]["melding"] == "En nog 50 andere fouten."
    assert imported.errors[0]["rij"] == 2


def imported_errors_cap() -> int:
    return imports.MAX_ERRORS


def test_failure_while_storing_leaves_nothing(actor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(RecordPerson.objects, "bulk_create", broken)
    imported = upload(actor, csv_bytes([row("VT-1"), row("VT-2")]))
    assert imported.state == ImportState.FAILED
    assert messages(imported) == [imports.BROKE_DOWN]
    assert not Record.objects.exists() and not RecordForm.objects.exists()


def test_file_of_another_key_is_refused(actor):
    assert upload(actor, csv_bytes([row("VT-1")])).state == ImportState.DONE
    other_key = row(
        "P-1", sleutel_id="0123456789ab", persoon_1_pseudoniem=pseudonym("111222333", key="ander")
    )
    refused = upload(actor, csv_bytes([other_key]), source="Politie", kind="partner")
    assert refused.state == ImportState.FAILED
    assert "andere sleutel" in messages(refused)[0] and "niet te koppelen" in messages(refused)[0]
    assert Record.objects.count() == 1


def _plain_zip() -> bytes:
    """A zip file, but not a workbook: no OOXML parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("meldingen.csv", "kenmerk;meldingsdatum\n")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"kenmerk;meldingsdatum\n", "meldingen.txt", "Kies een CSV- of Excelbestand"),
        (b"kenmerk;meldingsdatum\n", "meldingen.xlsx", "geen Excelbestand"),
        (_plain_zip(), "meldingen.xlsx", "geen Excelbestand"),
        (b"PK\x03\x04\x00\x00\x00binary", "meldingen.csv", "geen tekstbestand"),
        ("kenmerk;meldingsdatum\nVT-1;Müller\n".encode("latin-1"), "m.csv", "UTF-8"),
        (b"", "meldingen.csv", "leeg"),
    ],
)
def test_wrong_files_are_refused_as_a_whole(actor, data, filename, message):
    with pytest.raises(ImportRefused, match=message):
        upload(actor, data, filename=filename)
    assert not Import.objects.exists()


def test_size_limit(actor, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(ImportRefused, match="groter dan"):
        upload(actor, csv_bytes([row()]))
    assert not Import.objects.exists()


def test_derivation_of_the_kind_of_report_across_sources(actor):
    """A hand-checked history. Veilig Thuis delivered (with kinds):
    X 2019-01-10, case 2019-01-10 … 2019-06-30; Y 2022-01-01, case from 2022-01-05, still open;
    W 2020-01-01, case ended 2020-02-01. The platform's file leaves the kind empty."""
    x, y, w, z = (pseudonym(b) for b in ("111222333", "123456782", "012345672", "100000009"))

    def report(reference, day, person, **values):
        return row(
            reference,
            meldingsdatum=day,
            casus_start=values.pop("casus_start", ""),
            eerste_actie="",
            persoon_1_pseudoniem=person,
            **values,
        )

    vt = [
        report("VT-X", "2019-01-10", x, casus_start="2019-01-10", casus_einde="2019-06-30"),
        report("VT-Y", "2022-01-01", y, casus_start="2022-01-05"),
        report("VT-W", "2020-01-01", w, casus_start="2020-01-01", casus_einde="2020-02-01"),
    ]
    assert upload(actor, csv_bytes(vt)).state == ImportState.DONE
    platform = [
        report("P-1", "2022-07-01", x, soort_melding=""),  # X's reports are over 3 years ago
        report("P-2", "2022-03-01", y, soort_melding=""),  # Y's case is open
        report("P-3", "2022-09-01", x, soort_melding=""),  # X was in P-1 this year
        report("P-4", "2022-05-01", z, soort_melding=""),  # Z is new
        report("P-5", "2022-03-01", y, soort_melding="eerste"),  # given: kept
        report("P-6", "2019-06-01", x, soort_melding=""),  # X's case of 2019 is open
        report("P-7", "2021-01-01", w, soort_melding=""),  # W's case ended, report < 3 years
        report("P-8", "2019-01-10", x, soort_melding=""),  # same day is not 'earlier'
    ]
    done = upload(actor, csv_bytes(platform), source="Meldwijzer", kind=SourceKind.PLATFORM)
    assert done.state == ImportState.DONE, done.errors
    kinds = dict(
        Record.objects.filter(source__name="Meldwijzer").values_list("reference", "report_kind")
    )
    assert kinds == {
        "P-1": "eerste",
        "P-2": "vervolg",
        "P-3": "her",
        "P-4": "eerste",
        "P-5": "eerste",
        "P-6": "vervolg",
        "P-7": "her",
        "P-8": "eerste",
    }
    derived = set(
        Record.objects.filter(report_kind_derived=True).values_list("reference", flat=True)
    )
    assert derived == {"P-1", "P-2", "P-3", "P-4", "P-6", "P-7", "P-8"}
    assert Source.objects.get(name="Meldwijzer").kind == SourceKind.PLATFORM


def test_rows_store_for_the_demo_reports_progress(actor):
    source = Source.objects.create(
        datalab=actor.organisation, name="Demo", kind=SourceKind.VEILIG_THUIS
    )
    seen = []
    imports_progress = imports.PROGRESS_EVERY
    try:
        imports.PROGRESS_EVERY = 2
        imported = rows_store(
            source=source,
            rows=[row(f"D-{n}") for n in range(5)],
            filename="demo",
            file_format="demo",
            on_progress=lambda done, total: seen.append((done, total)),
        )
    finally:
        imports.PROGRESS_EVERY = imports_progress
    assert imported.state == ImportState.DONE and imported.records_added == 5
    assert seen == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_while_checking(actor, tmp_path):
    """Progress is written outside the import's transaction, so another request sees it."""
    source = Source.objects.create(datalab=actor.organisation, name="Groot", kind="partner")
    outside = []

    def watch(done, total):
        outside.append(connection.in_atomic_block)
        assert Import.objects.get(source=source).rows_done == done

    rows_store(
        source=source, rows=[row(f"G-{n}") for n in range(3)], filename="g", file_format="csv",
        on_progress=watch,
    )  # fmt: skip
    assert outside == [False]


def test_command_imports_a_large_file(actor, tmp_path, capsys):
    from meldwijzer import cli

    path = csv_write(tmp_path / "groot.csv", [row(f"G-{n}") for n in range(3)])
    argv = ["datalab", "import", str(path), "--bron", "Politie", "--organisatie"]
    assert cli.main([*argv, actor.organisation.name]) == 0
    assert "3 meldingen ingelezen" in capsys.readouterr().out
    assert Record.objects.count() == 3
    assert cli.main([*argv, "Gemeente Nergens"]) == 1


def test_an_upload_is_read_from_its_own_file(actor, monkeypatch):
    """Test workers, or a second process with a database of its own, share the data directory,
    and so may hold an import with the same id: its upload must not overwrite the one read."""
    real = imports._run
    others = []

    def another_process_uploads_too(imported_id, path, actor):
        other = imports.upload_path(Import.objects.get(pk=imported_id))
        other.write_bytes(csv_bytes([row("ANDER-1")]))
        others.append(other)
        real(imported_id, path, actor)

    monkeypatch.setattr(imports, "_run", another_process_uploads_too)
    imported = upload(actor, csv_bytes([row(f"R-{n}") for n in range(3)]))
    for other in others:
        other.unlink(missing_ok=True)
    assert imported.state == ImportState.DONE and imported.records_added == 3
