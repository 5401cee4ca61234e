"""Small shared files (CSV and XLSX) for the import tests, made by hand in tmp_path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from meldwijzer.datalab import schema
from meldwijzer.privacy.pseudonyms import key_id, regional_pseudonym

KEY = "regionale-sleutel-proef"
KEY_ID = key_id(KEY, "datalab")
NAMES = [c.name for c in schema.SHARED_COLUMNS]


def pseudonym(bsn: str, key: str = KEY) -> str:
    return regional_pseudonym(key=key, bsn=bsn)


def row(reference: str = "VT-1", **values: str) -> dict[str, str]:
    base = {
        "kenmerk": reference,
        "meldingsdatum": "2022-03-15",
        "melder_rol": "beroepskracht",
        "melder_sector": "politie",
        "soort_melding": "eerste",
        "aard": "kindermishandeling",
        "vormen": "lichamelijk|getuige",
        "casus_start": "2022-03-16",
        "eerste_actie": "2022-03-20",
        "casus_einde": "",
        "uitkomst": "",
        "pc4": "8302",
        "sleutel_id": KEY_ID,
        "persoon_1_pseudoniem": pseudonym("111222333"),
        "persoon_1_leeftijdsklasse": "5-9",
        "persoon_1_rol": "slachtoffer",
    }
    return base | values


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    delimiter: str = ";",
    bom: bool = True,
    names: list[str] | None = None,
) -> bytes:
    out = io.StringIO()
    extra = [name for values in rows for name in values if name not in NAMES]
    names = names or NAMES + list(dict.fromkeys(extra))
    writer = csv.DictWriter(out, fieldnames=names, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def csv_write(path: Path, rows: list[dict[str, str]], **options: object) -> Path:
    path.write_bytes(csv_bytes(rows, **options))  # type: ignore[arg-type]
    return path


def xlsx_write(path: Path, rows: list[dict[str, object]], names: list[str] | None = None) -> Path:
    names = names or NAMES
    book = Workbook()
    sheet = book.active
    sheet.append(names)
    for values in rows:
        sheet.append([values.get(name, None) for name in names])
    book.save(path)
    return path
