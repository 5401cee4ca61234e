"""Pseudonymising a partner's own export into the shared file, at the partner, before it leaves.

The partner's export (`schema.EXPORT_COLUMNS`) names people: BSN, name, date of birth, postcode and
address. The shared file (`schema.SHARED_COLUMNS`) keeps none of that. Each person becomes a
research pseudonym made with the region's key (`privacy.pseudonyms.regional_pseudonym`): from the
BSN when it passes the elfproef, otherwise from name and date of birth, otherwise none (the row is
kept). The date of birth becomes the person's five-year age band at the report (the bands of CBS),
the postcode its four digits; names and the address are dropped. Every row carries the key's id
(`sleutel_id`), never the key: the datalab links records of two partners only when their ids
are the same.

The region's key comes from a file or `MELDWIJZER_DATALAB_KEY`; without one this refuses, because
a key made up on the spot would give pseudonyms nobody else can link.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from meldwijzer.core.spreadsheets import formula_safe
from meldwijzer.datalab import schema
from meldwijzer.datalab.imports import date_parse, table_read
from meldwijzer.privacy.pseudonyms import key_id, regional_pseudonym

KEY_ENV = "MELDWIJZER_DATALAB_KEY"
KEY_PURPOSE = "datalab"
FORMATS = ("csv", "xlsx")
AGE_BANDS: tuple[str, ...] = (*(f"{low}-{low + 4}" for low in range(0, 95, 5)), "95+")
"""The five-year bands of CBS's population by age (0-4 … 90-94, 95+)."""

POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})?$")
MAX_ERRORS = 50


class PseudonymiseError(Exception):
    """The export cannot be pseudonymised; nothing was written. The message is Dutch."""


@dataclass
class Outcome:
    rows: int = 0
    persons: int = 0
    without_pseudonym: int = 0
    errors: list[str] = field(default_factory=list)


def regional_key(*, key_file: str | Path | None) -> str:
    """The region's key, from `key_file` or the environment; refused (Dutch) when neither has one."""
    if key_file:
        try:
            key = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise PseudonymiseError(f"Het sleutelbestand {key_file} is niet te lezen.") from error
        if not key:
            raise PseudonymiseError(f"Het sleutelbestand {key_file} is leeg.")
        return key
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise PseudonymiseError(
            "Er is geen regionale sleutel. Geef het sleutelbestand op met --sleutel-bestand of zet "
            f"{KEY_ENV}. Er wordt nooit zelf een sleutel gemaakt: pseudoniemen van een andere "
            "sleutel zijn niet te koppelen aan die van de andere partners."
        )
    return key


def elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN elfproef: 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def bsn_normalise(text: str) -> str:
    """A BSN as nine digits (an eight-digit BSN gets its leading zero); '' when it is not valid."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch not in ".-")
    if len(digits) == 8:
        digits = "0" + digits
    return digits if elfproef(digits) else ""


def age_band(*, born: datetime.date, on: datetime.date) -> str:
    """The five-year age band on a day ('0-4' … '95+')."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age >= 95:
        return "95+"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def pc4(postcode: str) -> str | None:
    """The four digits of a Dutch postcode ('' for none); None when it is not a postcode."""
    text = postcode.strip()
    if not text:
        return ""
    match = POSTCODE.match(text)
    return match.group(1) if match else None


def row_pseudonymise(row: Mapping[str, str], *, key: str, number: int, outcome: Outcome) -> dict:
    """One export row as a shared-file row; problems are added to `outcome.errors`."""

    def error(column: str, message: str) -> None:
        outcome.errors.append(f"Rij {number}, kolom {column}: {message}")

    shared: dict[str, str] = {c.name: row.get(c.name, "").strip() for c in schema.REPORT_COLUMNS}
    reported_on: datetime.date | None = None
    reported_text = shared["meldingsdatum"]
    if reported_text:
        reported_on, problem = date_parse(reported_text)
        if problem:
            error("meldingsdatum", problem)
    code = pc4(row.get("postcode", ""))
    if code is None:
        error("postcode", "dit is geen Nederlandse postcode (bijvoorbeeld 8301 AB).")
    shared["pc4"] = code or ""
    shared["sleutel_id"] = key_id(key, KEY_PURPOSE)
    for n in range(1, schema.PERSONS + 1):
        prefix = f"persoon_{n}_"
        bsn_text = row.get(prefix + "bsn", "").strip()
        name = row.get(prefix + "naam", "").strip()
        born_text = row.get(prefix + "geboortedatum", "").strip()
        role = row.get(prefix + "rol", "").strip()
        bsn = ""
        if bsn_text:
            bsn = bsn_normalise(bsn_text)
            if not bsn:
                # The BSN itself is not repeated: the message goes to whoever runs the command.
                error(prefix + "bsn", "dit BSN doorstaat de elfproef niet.")
        born: datetime.date | None = None
        if born_text:
            born, problem = date_parse(born_text)
            if problem:
                error(prefix + "geboortedatum", problem)
        band = ""
        if born and reported_on:
            if born > reported_on:
                error(prefix + "geboortedatum", "de geboortedatum ligt na de meldingsdatum.")
            else:
                band = age_band(born=born, on=reported_on)
        pseudonym = regional_pseudonym(key=key, bsn=bsn, name=name, date_of_birth=born)
        present = bool(bsn_text or name or born_text or role)
        if present:
            outcome.persons += 1
            outcome.without_pseudonym += not pseudonym
        shared[prefix + "pseudoniem"] = pseudonym
        shared[prefix + "leeftijdsklasse"] = band
        shared[prefix + "rol"] = role
    return shared


def rows_pseudonymise(
    rows: Iterable[tuple[int, Mapping[str, str]]], *, key: str
) -> tuple[list[dict], Outcome]:
    """Shared-file rows for numbered export rows, and what happened."""
    outcome = Outcome()
    shared = []
    for number, row in rows:
        outcome.rows += 1
        shared.append(row_pseudonymise(row, key=key, number=number, outcome=outcome))
    return shared, outcome


def table_write(path: Path, rows: Iterable[Mapping[str, str]]) -> None:
    """Write shared-file rows as CSV (UTF-8, comma) or XLSX, by the file's extension."""
    names = [c.name for c in schema.SHARED_COLUMNS]
    file_format = path.suffix.lower().lstrip(".")
    if file_format == "csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({name: formula_safe(str(row.get(name, ""))) for name in names})
    elif file_format == "xlsx":
        from openpyxl import Workbook
        from openpyxl.utils.exceptions import IllegalCharacterError

        book = Workbook(write_only=True)
        sheet = book.create_sheet("meldingen")
        sheet.append(names)
        for number, row in enumerate(rows, start=2):
            try:
                sheet.append([formula_safe(str(row.get(name, ""))) for name in names])
            except IllegalCharacterError as error:
                raise PseudonymiseError(
                    f"Rij {number} van het gedeelde bestand bevat een stuurteken dat niet in een Excelbestand past; "
                    "er is niets geschreven. Schrijf naar een .csv-bestand of verbeter de rij."
                ) from error
        book.save(path)
    else:
        raise PseudonymiseError(f"Schrijf naar een .csv- of .xlsx-bestand, niet naar {path.name}.")


def export_check(header: list[str]) -> None:
    missing = [c.name for c in schema.REPORT_COLUMNS if c.required and c.name not in header]
    if missing:
        raise PseudonymiseError(
            "Het exportbestand mist de verplichte kolom(men): " + ", ".join(missing) + "."
        )


def file_pseudonymise(*, source: Path, target: Path, key: str) -> Outcome:
    """Pseudonymise the export `source` into the shared file `target`. Nothing is written when a
    row is wrong: the errors (at most `MAX_ERRORS`) are in the exception's message."""
    if target.suffix.lower().lstrip(".") not in FORMATS:
        raise PseudonymiseError(
            f"Schrijf naar een .csv- of .xlsx-bestand, niet naar {target.name}."
        )
    try:
        data = source.read_bytes()
    except OSError as error:
        raise PseudonymiseError(f"Het bestand {source} is niet te lezen.") from error
    table = table_read(data, source.name)
    if table.problem:
        raise PseudonymiseError(table.problem)
    export_check(table.header)
    shared, outcome = rows_pseudonymise(table.rows, key=key)
    if outcome.errors:
        shown = outcome.errors[:MAX_ERRORS]
        more = len(outcome.errors) - len(shown)
        lines = "\n".join(shown) + (f"\nEn nog {more} andere fouten." if more else "")
        raise PseudonymiseError(f"Er is niets geschreven. Verbeter eerst:\n{lines}")
    table_write(target, shared)
    return outcome
