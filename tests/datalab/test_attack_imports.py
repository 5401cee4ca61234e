"""Hostile shared files: NUL bytes anywhere, zip bombs, formula-like and overlong values. Every
one is refused with a clear Dutch message and stores nothing; none ends in a server error."""

from __future__ import annotations

import io
import zipfile

import pytest

from meldwijzer.datalab import imports
from meldwijzer.datalab.imports import ImportRefused, import_file
from meldwijzer.datalab.models import Import, ImportState, Record
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.datalab.sharedfiles import csv_bytes, row, xlsx_write
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(db):
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Gemeente Proefpolder"), role=Role.POLICY_ADVISER
    )
    return actor_for_user(user=membership.user, organisation_id=membership.organisation.pk)


def upload(actor, data: bytes, filename: str = "meldingen.csv") -> Import:
    return import_file(
        actor=actor,
        source_name="Veilig Thuis",
        source_kind="veilig_thuis",
        uploaded=io.BytesIO(data),
        filename=filename,
    )


def messages(imported: Import) -> list[str]:
    return [e["melding"] for e in imported.errors]


def padded(count: int) -> list[dict[str, str]]:
    return [row(f"VT-{n}") for n in range(count)]


@pytest.mark.parametrize("column", ["kenmerk", "melder_rol", "pc4"])
def test_nul_byte_far_into_a_csv_is_refused_with_its_row(actor, column):
    """PostgreSQL refuses NUL in text (and in JSON): one after the first 64 kB must still refuse
    the file with a clear message naming its row, not store a record nor break down."""
    rows = padded(400)
    rows[-1] = row("VT-laatste", **{column: "VT\x00x" if column == "kenmerk" else "a\x00b"})
    data = csv_bytes(rows)
    assert data.index(b"\x00") > 65536
    with pytest.raises(ImportRefused, match="rij 401"):
        upload(actor, data)
    assert not Import.objects.exists() and not Record.objects.exists()


def test_nul_in_rows_read_otherwise_is_a_row_error(actor):
    """Rows that do not come from a CSV (a workbook, the demo) are checked for NUL per cell."""
    from meldwijzer.datalab.imports import Checked, row_check

    checked = Checked()
    assert row_check(7, row("VT\x00-1", melder_rol="a\x00b"), checked) is None
    assert checked.error_count == 2
    assert all("\x00" not in e["melding"] and e["rij"] == 7 for e in checked.stored_errors())


def test_nul_byte_in_an_xlsx_cell_stores_nothing(actor, tmp_path):
    path = xlsx_write(tmp_path / "m.xlsx", [row("VT-1", kenmerk="VT_x0000_1")])
    imported = upload(actor, path.read_bytes(), filename="m.xlsx")
    assert all("\x00" not in r for r in Record.objects.values_list("reference", flat=True))
    assert imported.state in (ImportState.DONE, ImportState.FAILED)


def _bomb(size: int) -> bytes:
    """A workbook whose sheet unpacks to `size` bytes of padding (a zip bomb in miniature)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        book.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return out.getvalue()


def test_xlsx_that_unpacks_beyond_the_limit_is_refused(actor, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1_000_000)
    data = _bomb(2_000_000)
    assert len(data) < 10_000
    with pytest.raises(ImportRefused, match="uitgepakt"):
        upload(actor, data, filename="bom.xlsx")
    assert not Import.objects.exists()


def test_duplicate_header_is_refused(actor):
    data = csv_bytes([row()]).replace(b"pc4;", b"kenmerk;", 1)
    imported = upload(actor, data)
    assert imported.state == ImportState.FAILED
    assert any("dubbel" in text or "twee keer" in text for text in messages(imported))
    assert not Record.objects.exists()


def test_header_only_and_formula_values(actor):
    header_only = csv_bytes([])
    imported = upload(actor, header_only)
    assert imported.state == ImportState.FAILED and "geen rijen" in messages(imported)[0]
    formula = upload(actor, csv_bytes([row("VT-1", melder_rol="=cmd|' /C calc'!A0")]))
    assert formula.state == ImportState.FAILED and not Record.objects.exists()


def test_overlong_cells_are_row_errors(actor):
    imported = upload(actor, csv_bytes([row("V" * 100_000, pc4="9" * 100_000)]))
    assert imported.state == ImportState.FAILED
    assert all(len(text) < 300 for text in messages(imported))


def test_a_cell_far_out_does_not_widen_every_row(actor, tmp_path, monkeypatch):
    """A 5 kB workbook with one cell at column 5000 was read as rows of 5000 cells (one at
    XFD1048576 kept the import busy for minutes): only the header's columns are read."""
    path = xlsx_write(tmp_path / "m.xlsx", [row(f"VT-{n}") for n in range(40)])
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active.cell(row=60, column=5000, value="x")
    book.save(path)
    calls = []
    real = imports._cell
    monkeypatch.setattr(imports, "_cell", lambda value: calls.append(1) or real(value))
    table = imports.table_read(path.read_bytes(), "m.xlsx")
    assert not table.problem and len(table.rows) == 40
    assert len(calls) < 20_000  # was 60 rows × 5000 cells


def test_a_workbook_wider_than_the_schema_allows_is_refused(actor, tmp_path):
    names = [f"kolom_{n}" for n in range(imports.MAX_COLUMNS + 1)]
    path = xlsx_write(tmp_path / "m.xlsx", [], names=names)
    imported = upload(actor, path.read_bytes(), filename="m.xlsx")
    assert imported.state == ImportState.FAILED and "kolommen" in messages(imported)[0]
