"""Pseudonymising a partner's export: nothing that names a person leaves, the same person gets the
same pseudonym in every partner's file, and without the region's key nothing happens."""

from __future__ import annotations

import csv
import datetime
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from meldwijzer import cli
from meldwijzer.datalab import schema
from meldwijzer.datalab.pseudonymise import (
    KEY_ENV,
    PseudonymiseError,
    age_band,
    bsn_normalise,
    elfproef,
    file_pseudonymise,
    regional_key,
)
from meldwijzer.privacy.pseudonyms import key_id

KEY = "regionale-sleutel-flevoland-proef"
VALID_BSN = "111222333"
EIGHT_DIGIT_BSN = "12345672"  # 012345672 passes the elfproef

VT_ROWS = [
    {
        "kenmerk": "VT-1",
        "meldingsdatum": "2022-03-15",
        "melder_rol": "beroepskracht",
        "melder_sector": "politie",
        "aard": "kindermishandeling",
        "vormen": "lichamelijk|getuige",
        "postcode": "8302 AB",
        "adres": "Kerkstraat 12",
        "persoon_1_bsn": VALID_BSN,
        "persoon_1_naam": "Sanne de Vries",
        "persoon_1_geboortedatum": "14-07-2014",
        "persoon_1_rol": "slachtoffer",
        "persoon_2_naam": "Hélène  Bakker",
        "persoon_2_geboortedatum": "1985-01-02",
        "persoon_2_rol": "pleger",
        "persoon_3_naam": "Onbekende buurman",
        "persoon_3_rol": "betrokkene",
    },
    {
        "kenmerk": "VT-2",
        "meldingsdatum": "01-06-2023",
        "melder_rol": "burger",
        "melder_sector": "geen",
        "aard": "partnergeweld",
        "postcode": "8301",
        "persoon_1_bsn": EIGHT_DIGIT_BSN,
        "persoon_1_naam": "Piet Jansen",
        "persoon_1_geboortedatum": "1927-06-01",
        "persoon_1_rol": "slachtoffer",
    },
]

IDENTIFIERS = [
    VALID_BSN,
    EIGHT_DIGIT_BSN,
    "Sanne",
    "Vries",
    "Bakker",
    "Jansen",
    "buurman",
    "Kerkstraat",
    "8302 AB",
    "8302AB",
    "14-07-2014",
    "2014-07-14",
    "1985-01-02",
    "1927-06-01",
]


def export_write(path, rows):
    names = [c.name for c in schema.EXPORT_COLUMNS]
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(names)
        for row in rows:
            sheet.append([row.get(name, "") for name in names])
        book.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=names, delimiter=";")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in names})
    return path


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_elfproef():
    assert elfproef("111222333")
    assert elfproef("123456782")
    assert not elfproef("123456789")
    assert not elfproef("000000000")
    assert not elfproef("12345678")
    assert bsn_normalise(EIGHT_DIGIT_BSN) == "012345672"
    assert bsn_normalise("1112.22.333") == "111222333"
    assert bsn_normalise("123456789") == ""


def test_age_bands_as_cbs():
    on = datetime.date(2022, 3, 15)
    assert age_band(born=datetime.date(2022, 3, 15), on=on) == "0-4"
    assert age_band(born=datetime.date(2017, 3, 16), on=on) == "0-4"  # 4 the day before 5
    assert age_band(born=datetime.date(2017, 3, 15), on=on) == "5-9"
    assert age_band(born=datetime.date(1927, 3, 15), on=on) == "95+"
    assert age_band(born=datetime.date(1927, 3, 16), on=on) == "90-94"


def test_shared_file_has_no_identifiers(tmp_path):
    source = export_write(tmp_path / "export.csv", VT_ROWS)
    target = tmp_path / "gedeeld.csv"
    outcome = file_pseudonymise(source=source, target=target, key=KEY)
    assert outcome.rows == 2 and outcome.persons == 4 and outcome.without_pseudonym == 1
    text = target.read_text(encoding="utf-8")
    for identifier in IDENTIFIERS:
        assert identifier not in text, identifier
    rows = read_csv(target)
    assert list(rows[0]) == [c.name for c in schema.SHARED_COLUMNS]
    first, second = rows
    assert first["pc4"] == "8302" and second["pc4"] == "8301"
    assert {r["sleutel_id"] for r in rows} == {key_id(KEY, "datalab")}
    assert re.fullmatch(r"rp-[0-9a-f]{32}", first["persoon_1_pseudoniem"])
    assert first["persoon_1_leeftijdsklasse"] == "5-9"
    assert first["persoon_2_leeftijdsklasse"] == "35-39"
    assert first["persoon_3_pseudoniem"] == "" and first["persoon_3_rol"] == "betrokkene"
    assert second["persoon_1_leeftijdsklasse"] == "95+"
    assert first["vormen"] == "lichamelijk|getuige"


def test_same_person_same_pseudonym_in_two_partners_files(tmp_path):
    police = [
        {
            "kenmerk": "P-77",
            "meldingsdatum": "2023-01-10",
            "melder_rol": "beroepskracht",
            "melder_sector": "politie",
            "aard": "kindermishandeling",
            # The same child by BSN (written differently), the same adult by name and birth date
            # written with other capitals, spaces and without the accent.
            "persoon_1_bsn": "1112 22 333",
            "persoon_1_rol": "slachtoffer",
            "persoon_2_naam": "HELENE bakker",
            "persoon_2_geboortedatum": "02-01-1985",
            "persoon_2_rol": "pleger",
        }
    ]
    vt = file_pseudonymise(
        source=export_write(tmp_path / "vt.csv", VT_ROWS), target=tmp_path / "vt-out.csv", key=KEY
    )
    police_out = tmp_path / "politie-out.xlsx"
    file_pseudonymise(
        source=export_write(tmp_path / "politie.xlsx", police), target=police_out, key=KEY
    )
    assert vt.rows == 2
    vt_row = read_csv(tmp_path / "vt-out.csv")[0]
    sheet = load_workbook(police_out, read_only=True).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    police_row = dict(zip(lines[0], lines[1], strict=True))
    assert police_row["persoon_1_pseudoniem"] == vt_row["persoon_1_pseudoniem"]
    assert police_row["persoon_2_pseudoniem"] == vt_row["persoon_2_pseudoniem"]
    # Another key gives other pseudonyms.
    file_pseudonymise(
        source=export_write(tmp_path / "p2.csv", police), target=tmp_path / "p2o.csv", key="x"
    )
    assert (
        read_csv(tmp_path / "p2o.csv")[0]["persoon_1_pseudoniem"] != vt_row["persoon_1_pseudoniem"]
    )


def test_xlsx_output_has_no_identifiers(tmp_path):
    source = export_write(tmp_path / "export.xlsx", VT_ROWS)
    target = tmp_path / "gedeeld.xlsx"
    file_pseudonymise(source=source, target=target, key=KEY)
    book = load_workbook(target, read_only=True)
    cells = [str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v]
    for identifier in IDENTIFIERS:
        assert not any(identifier in cell for cell in cells), identifier


def test_bsn_failing_elfproef_names_the_row_and_writes_nothing(tmp_path):
    rows = [VT_ROWS[0], VT_ROWS[1] | {"persoon_1_bsn": "123456789"}]
    target = tmp_path / "gedeeld.csv"
    with pytest.raises(PseudonymiseError) as refused:
        file_pseudonymise(source=export_write(tmp_path / "e.csv", rows), target=target, key=KEY)
    assert "Rij 3, kolom persoon_1_bsn: dit BSN doorstaat de elfproef niet." in str(refused.value)
    assert "123456789" not in str(refused.value)
    assert not target.exists()


def test_bad_postcode_and_date_are_errors(tmp_path):
    rows = [VT_ROWS[0] | {"postcode": "0123 AB", "meldingsdatum": "31-02-2022"}]
    with pytest.raises(PseudonymiseError) as refused:
        file_pseudonymise(
            source=export_write(tmp_path / "e.csv", rows), target=tmp_path / "o.csv", key=KEY
        )
    message = str(refused.value)
    assert "Rij 2, kolom postcode" in message
    assert "Rij 2, kolom meldingsdatum: 31-02-2022 is geen bestaande datum." in message


def test_no_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(PseudonymiseError, match="geen regionale sleutel"):
        regional_key(key_file=None)
    source = export_write(tmp_path / "e.csv", VT_ROWS)
    target = tmp_path / "o.csv"
    with pytest.raises(CommandError, match="geen regionale sleutel"):
        call_command("datalab", "pseudonymise", str(source), str(target))
    assert not target.exists()
    monkeypatch.setenv(KEY_ENV, KEY)
    assert regional_key(key_file=None) == KEY


def test_cli_with_key_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "sleutel.txt"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    source = export_write(tmp_path / "e.csv", VT_ROWS)
    target = tmp_path / "o.csv"
    argv = ["datalab", "pseudonymise", str(source), str(target), "--sleutel-bestand", str(key_file)]
    assert cli.main(argv) == 0
    assert "2 rijen geschreven" in capsys.readouterr().out
    assert read_csv(target)[0]["sleutel_id"] == key_id(KEY, "datalab")
    assert cli.main(["datalab", "pseudonymise", str(source), str(tmp_path / "o.txt")]) == 1
