"""Importing a source's shared file into the datalab: every row checked, then all stored or none.

A file (CSV — UTF-8 with or without BOM, comma or semicolon — or XLSX) is read and every row is
checked against `schema.SHARED_COLUMNS` first. Errors are Dutch and numbered as a spreadsheet
numbers rows (the header is row 1). Only a file without errors is stored, in one transaction;
anything that goes wrong, also while storing, leaves the import `mislukt` and nothing stored.
While it runs, `rows_total`/`rows_done` on the `Import` show how far it is, written outside that
transaction so another request sees them.

Where a source leaves `soort_melding` empty, the kind of report is derived from the datalab's
earlier records of all sources, linked on the persons' research pseudonyms made with the same
key: `vervolg` when an earlier record of a person has a case open on the report's day, `her` when
a person was in a record in the three years before, `eerste` otherwise. A file made with another
key than the datalab's earlier imports is refused: its pseudonyms could not be linked.
"""

from __future__ import annotations

import contextvars
import csv
import datetime
import hashlib
import io
import json
import logging
import re
import secrets
import threading
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from meldwijzer.datalab import events, schema
from meldwijzer.datalab.models import (
    Import,
    ImportState,
    Record,
    RecordForm,
    RecordPerson,
    ReportKind,
    Source,
    SourceKind,
)
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation

logger = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * MAX_BYTES
"""A workbook is a zip: what it unpacks to is limited too (a zip bomb is small when sent)."""
MAX_COLUMNS = 200
TOO_WIDE = f"Het bestand heeft meer dan {MAX_COLUMNS} kolommen; het schema heeft er veel minder."
"""The largest file the pages and the API accept; larger files go through the command."""
MAX_ERRORS = 200
"""Errors kept on an import; the rest are counted."""
BATCH = 500
PROGRESS_EVERY = 500
FORMATS = ("csv", "xlsx")
PSEUDONYM = re.compile(r"^rp-[0-9a-f]{32}$")
PC4 = re.compile(r"^[1-9][0-9]{3}$")
KEY_ID = re.compile(r"^[0-9a-f]{12}$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
AGE_BANDS: frozenset[str] = frozenset([f"{low}-{low + 4}" for low in range(0, 95, 5)] + ["95+"])
IDENTIFYING = frozenset(
    ["postcode", "adres"]
    + [
        f"persoon_{n}_{part}"
        for n in range(1, schema.PERSONS + 1)
        for part in ("bsn", "naam", "geboortedatum")
    ]
)
"""Columns of a partner's own export: a file with any of them was not pseudonymised."""
BROKE_DOWN = "Het opslaan is onverwacht mislukt; er is niets opgeslagen. Probeer het opnieuw."

Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The upload is refused as a whole before anything is read (size, type); Dutch message."""


# --- Reading files --------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """(row number as a spreadsheet counts it, values by column)."""
    problem: str = ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def file_format_of(filename: str) -> str:
    return Path(filename).suffix.lower().lstrip(".")


def content_check(data: bytes, filename: str) -> str:
    """A Dutch reason why `data` is not a CSV or XLSX file as its name says; '' when it is."""
    file_format = file_format_of(filename)
    if file_format not in FORMATS:
        return "Kies een CSV- of Excelbestand (.csv of .xlsx)."
    if file_format == "xlsx":
        if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
            return "Dit bestand is geen Excelbestand (.xlsx), al heeft het die naam."
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            unpacked = sum(info.file_size for info in book.infolist())
            parts = set(book.namelist())
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= parts:
            return "Dit bestand is geen Excelbestand (.xlsx), al heeft het die naam."
        if unpacked > MAX_UNPACKED_BYTES:
            return (
                f"Het Excelbestand is uitgepakt groter dan {MAX_UNPACKED_BYTES // 2**20} MB. "
                "Sla het op als CSV UTF-8 en lees dat in."
            )
        return ""
    if b"\x00" in data[:65536]:
        return "Dit bestand is geen tekstbestand (CSV), al heeft het die naam."
    nul = data.find(b"\x00")
    if nul >= 0:  # PostgreSQL stores no NUL in text: name the row to mend
        line = data.count(b"\n", 0, nul) + 1
        return (
            f"Het CSV-bestand bevat in rij {line} een ongeldig teken (NUL); er is niets opgeslagen."
        )
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "Het CSV-bestand is niet in UTF-8 opgeslagen. Sla het op als ‘CSV UTF-8’."
    return ""


def _numbered(header: list[str], values: Iterable[tuple[int, list[Any]]]) -> Iterator:
    for number, cells in values:
        texts = [_cell(value) for value in cells]
        if not any(texts):
            continue
        yield number, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(header)}


def table_read(data: bytes, filename: str) -> Table:
    """The header and the non-empty rows of a CSV or XLSX file, or a Dutch problem."""
    problem = content_check(data, filename)
    if problem:
        return Table(problem=problem)
    if file_format_of(filename) == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            first = next(sheet.iter_rows(max_row=1, values_only=True), ())
            header = [_cell(v).lower() for v in first]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                book.close()
                return Table(problem=TOO_WIDE)
            # Only the header's columns: a cell far out (XFD1048576) would otherwise make every
            # row of a tiny file thousands of cells wide.
            lines = sheet.iter_rows(min_row=2, max_col=max(len(header), 1), values_only=True)
            rows = list(_numbered(header, ((n, list(r)) for n, r in enumerate(lines, start=2))))
            book.close()
        except Exception:  # any broken workbook is the same Dutch answer
            return Table(problem="Het Excelbestand is beschadigd of niet te lezen.")
    else:
        text = data.decode("utf-8-sig")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            header = [h.strip().lower() for h in next(reader, [])]
            rows = list(_numbered(header, ((reader.line_num, r) for r in reader)))
        except csv.Error:
            return Table(
                problem="Het CSV-bestand is niet te lezen (aanhalingstekens kloppen niet)."
            )
    if not any(header):
        return Table(problem="Het bestand is leeg: de eerste rij moet de kolomnamen bevatten.")
    return Table(header=header, rows=rows)


def date_parse(text: str) -> tuple[datetime.date | None, str]:
    """A date in jjjj-mm-dd or dd-mm-jjjj, or a Dutch problem."""
    text = text.strip()
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = DUTCH_DATE.match(text)
        if not match:
            return None, f"{text[:40]} is geen datum (schrijf jjjj-mm-dd of dd-mm-jjjj)."
        day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day), ""
    except ValueError:
        return None, f"{text} is geen bestaande datum."


# --- Checking rows --------------------------------------------------------------------------------


@dataclass
class Person:
    pseudonym: str
    role: str
    age_band: str


@dataclass
class Row:
    number: int
    reference: str
    reported_on: datetime.date
    fields: dict[str, Any]
    forms: list[str]
    persons: list[Person]


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    key_id: str = ""

    def error(self, number: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            place = f"Rij {number}, kolom {column}: " if number else ""
            self.errors.append({"rij": number, "kolom": column, "melding": place + message})

    def stored_errors(self) -> list[dict[str, Any]]:
        more = self.error_count - len(self.errors)
        tail = [{"rij": None, "kolom": "", "melding": f"En nog {more} andere fouten."}]
        return self.errors + (tail if more > 0 else [])


COLUMNS = {c.name: c for c in schema.SHARED_COLUMNS}
CHOICES = {c.name: {value for value, _ in c.choices} for c in schema.SHARED_COLUMNS if c.choices}
FIELDS = {
    "melder_rol": "reporter_role",
    "melder_sector": "reporter_sector",
    "soort_melding": "report_kind",
    "aard": "violence_kind",
    "uitkomst": "outcome",
}
DATES = {
    "casus_start": "case_started_on",
    "eerste_actie": "first_action_on",
    "casus_einde": "case_ended_on",
}


def header_check(header: list[str], checked: Checked) -> None:
    twice = sorted({name for name in header if name and header.count(name) > 1})
    if twice:
        checked.error(
            None,
            "",
            "De kolom(men) " + ", ".join(t[:40] for t in twice) + " staan dubbel in de eerste "
            "rij; welke geldt is dan niet te zeggen. Houd van elke kolom één.",
        )
    identifying = sorted(IDENTIFYING & set(header))
    if identifying:
        checked.error(
            None,
            "",
            "Dit bestand bevat gegevens die mensen herkenbaar maken (kolom "
            + ", ".join(identifying)
            + "). Maak eerst het gedeelde bestand met ‘meldwijzer datalab pseudonymise’.",
        )
    missing = [c.name for c in schema.SHARED_COLUMNS if c.required and c.name not in header]
    if missing:
        checked.error(
            None,
            "",
            "De verplichte kolom(men) ontbreken: " + ", ".join(missing) + ". De eerste rij moet "
            "de kolomnamen bevatten zoals in het schema.",
        )


def row_check(number: int, values: Mapping[str, str], checked: Checked) -> Row | None:
    """One row checked; its errors are added to `checked`."""
    before = checked.error_count

    def error(column: str, message: str) -> None:
        checked.error(number, column, message)

    broken = [name for name, value in values.items() if "\x00" in value]
    for name in broken:  # PostgreSQL stores no NUL; the value is not repeated
        error(name, "deze cel bevat een ongeldig teken (NUL).")
    if broken:
        return None

    def choice(column: str) -> str:
        value = values.get(column, "").strip()
        if value and value not in CHOICES[column]:
            error(column, f"{value[:40]} is geen toegestane waarde (zie het schema).")
        return value

    for column in schema.SHARED_COLUMNS:
        if column.required and not values.get(column.name, "").strip():
            error(column.name, "deze kolom is verplicht en hier leeg.")
    reference = values.get("kenmerk", "").strip()
    if len(reference) > 64:
        error("kenmerk", "het kenmerk is langer dan 64 tekens.")
    reported_on = None
    if values.get("meldingsdatum", "").strip():
        reported_on, problem = date_parse(values["meldingsdatum"])
        if problem:
            error("meldingsdatum", problem)
    fields: dict[str, Any] = {column: choice(name) for name, column in FIELDS.items()}
    for name, attribute in DATES.items():
        text = values.get(name, "").strip()
        day = None
        if text:
            day, problem = date_parse(text)
            if problem:
                error(name, problem)
            elif reported_on and day and day < reported_on:
                error(name, f"{text} ligt vóór de meldingsdatum.")
        fields[attribute] = day
    started, ended = fields["case_started_on"], fields["case_ended_on"]
    if started and ended and ended < started:
        error("casus_einde", "de casus eindigt vóór zijn start.")
    forms = [f.strip() for f in values.get("vormen", "").split(schema.LIST_SEPARATOR) if f.strip()]
    for form in forms:
        if form not in CHOICES["vormen"]:
            error("vormen", f"{form[:40]} is geen toegestane vorm van geweld (zie het schema).")
    code = values.get("pc4", "").strip()
    if code and not PC4.match(code):
        error("pc4", f"{code[:10]} is geen PC4 (vier cijfers, 1000 tot en met 9999).")
    fields["pc4"] = code
    key = values.get("sleutel_id", "").strip()
    if key and not KEY_ID.match(key):
        error("sleutel_id", "dit is geen sleutel-id (twaalf tekens 0-9 en a-f).")
    elif key:
        if not checked.key_id:
            checked.key_id = key
        elif key != checked.key_id:
            error(
                "sleutel_id", "het bestand heeft meer dan één sleutel-id; één sleutel per bestand."
            )
    persons = []
    for n in range(1, schema.PERSONS + 1):
        prefix = f"persoon_{n}_"
        pseudonym = values.get(prefix + "pseudoniem", "").strip()
        band = values.get(prefix + "leeftijdsklasse", "").strip()
        role = choice(prefix + "rol")
        if not (pseudonym or band or role):
            continue
        if pseudonym and not PSEUDONYM.match(pseudonym):
            # The value is not repeated: it might be a name or a BSN in the wrong place.
            error(prefix + "pseudoniem", "dit is geen onderzoekspseudoniem (rp- en 32 tekens).")
        if pseudonym and not key:
            error("sleutel_id", "de rij heeft pseudoniemen maar geen sleutel-id.")
        if band and band not in AGE_BANDS:
            error(prefix + "leeftijdsklasse", f"{band[:10]} is geen leeftijdsklasse (0-4 … 95+).")
        if not role:
            error(prefix + "rol", "vul de rol van deze persoon in.")
        persons.append(Person(pseudonym, role, band))
    if checked.error_count > before or reported_on is None:
        return None
    fields["key_id"] = key
    return Row(number, reference, reported_on, fields, forms, persons)


def rows_check(
    *,
    source: Source,
    table: Table,
    on_progress: Progress | None = None,
) -> Checked:
    """Every row of the file checked, with the file-wide rules (one key, unique references, the
    datalab's key)."""
    checked = Checked()
    header_check(table.header, checked)
    if checked.error_count:
        return checked
    seen: dict[str, int] = {}
    total = len(table.rows)
    for done, (number, values) in enumerate(table.rows, start=1):
        row = row_check(number, values, checked)
        if row is not None:
            if row.reference in seen:
                checked.error(
                    number,
                    "kenmerk",
                    f"kenmerk {row.reference} staat ook in rij {seen[row.reference]}.",
                )
            else:
                seen[row.reference] = number
                checked.rows.append(row)
        if on_progress and (done % PROGRESS_EVERY == 0 or done == total):
            on_progress(done, total)
    if not table.rows:
        checked.error(None, "", "Het bestand heeft geen rijen met meldingen.")
    existing = (
        set(
            Record.objects.filter(source=source, reference__in=list(seen)).values_list(
                "reference", flat=True
            )
        )
        if len(seen) <= 5000
        else _existing_references(source, set(seen))
    )
    for reference in sorted(existing, key=lambda r: seen[r]):
        checked.error(
            seen[reference],
            "kenmerk",
            f"kenmerk {reference} is al eerder ingelezen voor deze bron.",
        )
    earlier = datalab_key_ids(source.datalab)
    if checked.key_id and earlier and checked.key_id not in earlier:
        checked.error(
            None,
            "sleutel_id",
            "Dit bestand is gemaakt met een andere sleutel dan de eerdere leveringen aan dit "
            "datalab; de pseudoniemen zijn dan niet te koppelen. Maak het opnieuw met de "
            "regionale sleutel.",
        )
    return checked


def _existing_references(source: Source, references: set[str]) -> set[str]:
    known = Record.objects.filter(source=source).values_list("reference", flat=True).iterator()
    return {reference for reference in known if reference in references}


def datalab_key_ids(organisation: Organisation) -> set[str]:
    """The key ids of the datalab's imported files (one, normally)."""
    return set(
        Import.objects.filter(source__datalab=organisation, state=ImportState.DONE)
        .exclude(key_id="")
        .values_list("key_id", flat=True)
    )


# --- Deriving the kind of report ------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One earlier record of a person: the day of its report and its case."""

    reported_on: datetime.date
    started: datetime.date | None
    ended: datetime.date | None
    record: str


def _three_years_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 3, day=28)


def report_kind_derive(row_day: datetime.date, record: str, history: Iterable[Seen]) -> str:
    """`vervolg` if an earlier record of one of the persons has a case open on `row_day`, `her` if
    one of them was in a record in the three years before, `eerste` otherwise."""
    earlier = [s for s in history if s.record != record and s.reported_on < row_day]
    if any(
        s.started and s.started <= row_day and (s.ended is None or s.ended >= row_day)
        for s in earlier
    ):
        return ReportKind.FOLLOW_UP
    since = _three_years_before(row_day)
    if any(s.reported_on >= since for s in earlier):
        return ReportKind.REPEAT
    return ReportKind.FIRST


def kinds_derive(*, organisation: Organisation, rows: list[Row], key_id: str) -> None:
    """Fill in the kind of report where the file left it empty, from the datalab's records of all
    sources and the file's own rows, linked on the persons' pseudonyms of the same key."""
    todo = [row for row in rows if not row.fields["report_kind"]]
    if not todo:
        return
    wanted = {p.pseudonym for row in todo for p in row.persons if p.pseudonym}
    history: dict[str, list[Seen]] = defaultdict(list)
    chunk = sorted(wanted)
    for start in range(0, len(chunk), BATCH):
        persons = RecordPerson.objects.filter(
            record__datalab=organisation,
            record__key_id=key_id,
            pseudonym__in=chunk[start : start + BATCH],
        ).values_list(
            "pseudonym",
            "record__reported_on",
            "record__case_started_on",
            "record__case_ended_on",
            "record_id",
        )
        for pseudonym, day, started, ended, record_id in persons:
            history[pseudonym].append(Seen(day, started, ended, f"db:{record_id}"))
    for row in rows:
        for person in row.persons:
            if person.pseudonym in wanted:
                history[person.pseudonym].append(
                    Seen(
                        row.reported_on,
                        row.fields["case_started_on"],
                        row.fields["case_ended_on"],
                        f"file:{row.number}",
                    )
                )
    for row in todo:
        seen = [s for p in row.persons if p.pseudonym for s in history.get(p.pseudonym, [])]
        row.fields["report_kind"] = report_kind_derive(row.reported_on, f"file:{row.number}", seen)
        row.fields["report_kind_derived"] = True


# --- Storing --------------------------------------------------------------------------------------


def _progress_write(imported: Import, done: int, total: int) -> None:
    """Progress, committed at once (outside any transaction) so another request sees it."""
    Import.objects.filter(pk=imported.pk).update(rows_done=done, rows_total=total)


def records_insert(*, imported: Import, rows: list[Row]) -> int:
    """All rows as records, in one transaction (the caller's)."""
    source = imported.source
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        records = Record.objects.bulk_create(
            [
                Record(
                    datalab_id=source.datalab_id,
                    source=source,
                    imported=imported,
                    reference=row.reference,
                    reported_on=row.reported_on,
                    **row.fields,
                )
                for row in batch
            ]
        )
        if any(record.pk is None for record in records):  # pragma: no cover - old databases
            by_reference = dict(
                Record.objects.filter(imported=imported).values_list("reference", "pk")
            )
            for record in records:
                record.pk = by_reference[record.reference]
        RecordForm.objects.bulk_create(
            [
                RecordForm(record=record, form=form)
                for record, row in zip(records, batch, strict=True)
                for form in dict.fromkeys(row.forms)
            ]
        )
        RecordPerson.objects.bulk_create(
            [
                RecordPerson(record=record, pseudonym=p.pseudonym, role=p.role, age_band=p.age_band)
                for record, row in zip(records, batch, strict=True)
                for p in row.persons
            ]
        )
    return len(rows)


def _fail(imported: Import, errors: list[dict[str, Any]]) -> None:
    Import.objects.filter(pk=imported.pk).update(
        state=ImportState.FAILED, errors=errors, finished_at=timezone.now(), records_added=0
    )


def table_store(
    *,
    imported: Import,
    table: Table,
    actor: Actor | None,
    on_progress: Progress | None = None,
) -> Import:
    """Check and store a read file for an existing running import; the import at its end."""

    def progress(done: int, total: int) -> None:
        _progress_write(imported, done, total)
        if on_progress:
            on_progress(done, total)

    source = imported.source
    try:
        if table.problem:
            checked = Checked()
            checked.error(None, "", table.problem)
        else:
            Import.objects.filter(pk=imported.pk).update(rows_total=len(table.rows))
            checked = rows_check(source=source, table=table, on_progress=progress)
        if checked.error_count:
            _fail(imported, checked.stored_errors())
        else:
            with transaction.atomic():
                kinds_derive(organisation=source.datalab, rows=checked.rows, key_id=checked.key_id)
                added = records_insert(imported=imported, rows=checked.rows)
                Import.objects.filter(pk=imported.pk).update(
                    state=ImportState.DONE,
                    key_id=checked.key_id,
                    records_added=added,
                    rows_done=len(table.rows),
                    finished_at=timezone.now(),
                )
    except Exception:
        logger.exception("Het inlezen van datalablevering %s is mislukt.", imported.pk)
        _fail(imported, [{"rij": None, "kolom": "", "melding": BROKE_DOWN}])
    events.import_recorded(actor=actor, import_id=imported.pk, source=source.name)
    imported.refresh_from_db()
    return imported


def source_get_or_create(*, organisation: Organisation, name: str, kind: str) -> Source:
    name = " ".join(name.split())
    if not name:
        raise ImportRefused("Vul de naam van de bron in.")
    if kind not in SourceKind.values:
        raise ImportRefused("Kies de soort bron.")
    source = Source.objects.filter(datalab=organisation, name__iexact=name).first()
    return source or Source.objects.create(datalab=organisation, name=name[:200], kind=kind)


def rows_store(
    *,
    source: Source,
    rows: list[Mapping[str, Any]],
    filename: str,
    file_format: str,
    uploaded_by: Any = None,
    on_progress: Progress | None = None,
    actor: Actor | None = None,
) -> Import:
    """Store rows already read (the demo, the platform's own cases) as one import of `source`,
    with the same checks as a file."""
    header = list(rows[0]) if rows else [c.name for c in schema.SHARED_COLUMNS]
    table = Table(
        header=[h.lower() for h in header],
        rows=[(n, {k.lower(): _cell(v) for k, v in row.items()}) for n, row in enumerate(rows, 2)],
    )
    digest = hashlib.sha256(json.dumps(table.rows, sort_keys=True).encode()).hexdigest()
    imported = Import.objects.create(
        source=source,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        file_format=file_format[:4],
        sha256=digest,
        rows_total=len(rows),
    )
    return table_store(imported=imported, table=table, actor=actor, on_progress=on_progress)


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "datalab" / "leveringen"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_path(imported: Import) -> Path:
    """A file of its own for an upload while it is read: the test workers, or a second process
    with a database of its own, share the data directory and so may hold an import with the same
    id, whose upload must not overwrite this one."""
    return upload_dir() / f"{imported.pk}-{secrets.token_hex(8)}.{imported.file_format}"


def _read_upload(uploaded: IO[bytes]) -> bytes:
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB. Lees het in met "
            "‘meldwijzer datalab import’."
        )
    return data


def _run(imported_id: int, path: Path, actor: Actor | None) -> None:
    imported = Import.objects.select_related("source__datalab").get(pk=imported_id)
    try:
        table = table_read(path.read_bytes(), imported.filename)
    except OSError:
        table = Table(problem=BROKE_DOWN)
    table_store(imported=imported, table=table, actor=actor)


def _run_in_thread(imported_id: int, path: Path, actor: Actor | None) -> None:
    try:
        _run(imported_id, path, actor)
    except Exception:
        logger.exception("Datalablevering %s: de achtergrondtaak is mislukt.", imported_id)
        Import.objects.filter(pk=imported_id, state=ImportState.RUNNING).update(
            state=ImportState.FAILED,
            errors=[{"rij": None, "kolom": "", "melding": BROKE_DOWN}],
            finished_at=timezone.now(),
        )
    finally:
        path.unlink(missing_ok=True)
        connections.close_all()


def in_background() -> bool:
    """Whether the pages run imports in a thread; the test settings switch the social map's
    imports (and so these) to the request's own thread."""
    default = getattr(settings, "SOCIAL_MAP_IMPORT_IN_BACKGROUND", True)
    return bool(getattr(settings, "DATALAB_IMPORT_IN_BACKGROUND", default))


def import_file(
    *,
    actor: Actor | None,
    source_name: str,
    source_kind: str,
    uploaded: IO[bytes],
    filename: str,
    organisation: Organisation | None = None,
    background: bool = False,
    limit: bool = True,
) -> Import:
    """Import an uploaded shared file for the actor's datalab (or `organisation`). The file is kept
    under the data directory while it is read. In the background the import is returned while it
    runs; otherwise when it is done. Raises `ImportRefused` for a file refused as a whole."""
    datalab = organisation or (actor.organisation if actor else None)
    if datalab is None:
        raise ImportRefused("Er is geen datalab gekozen.")
    filename = Path(filename or "").name
    if file_format_of(filename) not in FORMATS:
        raise ImportRefused("Kies een CSV- of Excelbestand (.csv of .xlsx).")
    data = _read_upload(uploaded) if limit else uploaded.read()
    if not data:
        raise ImportRefused("Het bestand is leeg.")
    problem = content_check(data, filename)
    if problem:
        raise ImportRefused(problem)
    with transaction.atomic():
        source = source_get_or_create(organisation=datalab, name=source_name, kind=source_kind)
        imported = Import.objects.create(
            source=source,
            uploaded_by=actor.user if actor else None,
            filename=filename[:255],
            file_format=file_format_of(filename),
            sha256=hashlib.sha256(data).hexdigest(),
        )
    path = upload_path(imported)
    path.write_bytes(data)
    try:
        if background:
            context = contextvars.copy_context()
            transaction.on_commit(
                lambda: threading.Thread(
                    target=context.run,
                    args=(_run_in_thread, imported.pk, path, actor),
                    name=f"datalab-import-{imported.pk}",
                    daemon=True,
                ).start()
            )
            return imported
        _run(imported.pk, path, actor)
    finally:
        if not background:
            path.unlink(missing_ok=True)
    imported.refresh_from_db()
    return imported
