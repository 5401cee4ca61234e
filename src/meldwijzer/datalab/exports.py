"""The datalab's figures as files: an analysis as CSV or XLSX, the whole report as a PDF.

A file holds the published cells only — the shown (rounded) counts and derived figures, a '.' with
the reason code for a hidden cell — with the disclosure rule, the report's version and its period
in its head (CSV) or on its first sheet (XLSX), so a file taken out of its context still says how
its figures were protected. A text that a spreadsheet would read as a formula is prefixed with
an apostrophe (CSV injection).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator, Sequence

from django.utils.text import slugify

from meldwijzer.datalab.disclosure import REASONS, SUPPRESSED, Cell
from meldwijzer.datalab.report import Analysis, Derived, Report, Table

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REASON_HEADING = "Reden verborgen"


def safe(text: str) -> str:
    """A text a spreadsheet will not run: one starting like a formula gets an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def filename(report: Report, what: str, extension: str, today: datetime.date) -> str:
    """e.g. datalab-noordoostpolder-meldingen-2026-12-03.csv"""
    place = slugify(report.municipality or report.organisation) or "datalab"
    return f"datalab-{place}-{slugify(what)}-{today.isoformat()}.{extension}"


def period(report: Report) -> str:
    if report.first_day is None or report.last_day is None:
        return "geen gegevens"
    return f"{report.first_day:%d-%m-%Y} tot en met {report.last_day:%d-%m-%Y}"


def head_lines(report: Report, analysis: Analysis) -> list[tuple[str, str]]:
    """What every file says about itself."""
    return [
        ("Datalab", f"{report.organisation} ({report.municipality})"),
        ("Vraag", f"{analysis.title}: {analysis.question}"),
        ("Periode", period(report)),
        ("Versie van het rapport", report.version),
        ("Opgesteld", f"{report.built_at:%d-%m-%Y %H:%M}"),
        ("Beveiliging", report.rule),
        *((f"Reden {code}", text) for code, text in REASONS.items()),
    ]


def _reasons(table: Table, cells: Sequence[Cell | Derived]) -> str:
    return "; ".join(
        f"{table.columns[i] if i < len(table.columns) else i}: {cell.reason}"
        for i, cell in enumerate(cells)
        if cell.value is None and cell.reason
    )


def table_lines(table: Table) -> Iterator[list[str]]:
    """The table as lines of text: heading, then one line per row, hidden cells as '.'."""
    yield [table.row_heading, *table.columns, REASON_HEADING]
    for row in table.rows:
        shown = [SUPPRESSED if cell.value is None else cell.shown for cell in row.cells]
        yield [row.label, *shown, _reasons(table, row.cells)]


def analysis_csv(report: Report, analysis: Analysis) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for name, text in head_lines(report, analysis):
        writer.writerow([safe(f"# {name}"), safe(text)])
    for table in analysis.tables:
        writer.writerow([])
        writer.writerow([safe(table.title)])
        for note in table.notes:
            writer.writerow([safe(f"# {note}")])
        for line in table_lines(table):
            writer.writerow([safe(text) for text in line])
    # A byte order mark so spreadsheets read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Tabel"
    name, number = base, 2
    while name.lower() in taken:
        name = f"{base[:25]} {number}"
        number += 1
    taken.add(name.lower())
    return name


def analysis_xlsx(report: Report, analysis: Analysis) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "Toelichting"
    taken = {"toelichting"}
    bold = Font(bold=True)
    for name, text in head_lines(report, analysis):
        about.append([name, safe(text)])
        about.cell(row=about.max_row, column=1).font = bold
        about.cell(row=about.max_row, column=2).alignment = Alignment(wrap_text=True)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100
    for table in analysis.tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.append([safe(table.title)])
        sheet.cell(row=1, column=1).font = bold
        sheet.append([safe(table.description)])
        heading = [table.row_heading, *table.columns, REASON_HEADING]
        sheet.append([safe(text) for text in heading])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            values: list[object] = [safe(row.label)]
            for cell in row.cells:
                if cell.value is None:
                    values.append(SUPPRESSED)
                elif isinstance(cell, Cell):
                    values.append(cell.value)  # the published, rounded count
                else:
                    values.append(safe(cell.shown))
            values.append(_reasons(table, row.cells))
            sheet.append(values)
        for note in (*table.notes, report.rule):
            sheet.append([])
            sheet.append([safe(note)])
        sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def analysis_file(report: Report, analysis: Analysis, file_format: str) -> bytes:
    if file_format == "csv":
        return analysis_csv(report, analysis)
    return analysis_xlsx(report, analysis)
