"""The datalab's files under fuzzing (hypothesis): broken CSV and XLSX deliveries and broken
partner exports are refused with the importer's own Dutch answer and store nothing; the shared
file the pseudonymiser writes cannot run a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from meldwijzer.core.spreadsheets import formula_safe
from meldwijzer.datalab.imports import BROKE_DOWN, ImportRefused, import_file
from meldwijzer.datalab.models import Record
from meldwijzer.datalab.pseudonymise import PseudonymiseError, file_pseudonymise
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.datalab.sharedfiles import csv_bytes, row, xlsx_write
from tests.datalab.test_pseudonymise import KEY, VT_ROWS
from tests.factories import MembershipFactory, OrganisationFactory
from tests.fuzzing import FORMULAS, FUZZ, broken

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(db):
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Gemeente Proefpolder"), role=Role.POLICY_ADVISER
    )
    return actor_for_user(user=membership.user, organisation_id=membership.organisation.pk)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    rows = [row("VT-1"), row("VT-2", kenmerk=FORMULAS[0])]
    path = xlsx_write(tmp_path_factory.mktemp("xlsx") / "m.xlsx", rows)  # type: ignore[arg-type]
    return {"csv": [csv_bytes(rows), csv_bytes(rows, delimiter=",")], "xlsx": [path.read_bytes()]}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_broken_deliveries_are_refused_and_store_nothing(actor, seeds, file_format):
    @FUZZ
    @given(data=broken(seeds[file_format]))
    def check(data: bytes) -> None:
        before = Record.objects.count()
        try:
            imported = import_file(
                actor=actor,
                source_name="Veilig Thuis",
                source_kind="veilig_thuis",
                uploaded=io.BytesIO(data),
                filename=f"meldingen.{file_format}",
            )
        except ImportRefused:
            assert Record.objects.count() == before
            return
        messages = [error["melding"] for error in imported.errors]
        assert BROKE_DOWN not in messages
        if imported.records_added == 0:
            assert Record.objects.count() == before

    check()


def _export(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@FUZZ
@given(data=broken([_export(VT_ROWS)]))
def test_broken_partner_exports_give_the_pseudonymisers_own_refusal(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("export")
    source, target = folder / "export.csv", folder / "gedeeld.csv"
    source.write_bytes(data)
    try:
        file_pseudonymise(source=source, target=target, key=KEY)
    except PseudonymiseError:
        assert not target.exists()


@FUZZ
@given(formula=st.sampled_from(FORMULAS), tail=st.text(max_size=20))
def test_the_shared_file_neutralises_formulas(tmp_path_factory, formula, tail):
    """A reference typed as a formula in the partner's system reaches the shared file as text."""
    folder = tmp_path_factory.mktemp("formula")
    rows = [VT_ROWS[0] | {"kenmerk": (formula + tail).replace("\x00", "")}]
    source = folder / "export.csv"
    source.write_bytes(_export(rows))
    for name in ("gedeeld.csv", "gedeeld.xlsx"):
        try:
            file_pseudonymise(source=source, target=folder / name, key=KEY)
        except PseudonymiseError:
            continue
        if name.endswith(".csv"):
            cells = [
                cell
                for line in csv.reader(io.StringIO((folder / name).read_text()))
                for cell in line
            ]
        else:
            sheet = load_workbook(folder / name).active
            assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
            cells = [str(cell.value or "") for line in sheet.iter_rows() for cell in line]
        # Only numbers may start like a formula; any other such text got an apostrophe.
        assert all(formula_safe(cell) == cell for cell in cells), cells
        assert not any(cell.startswith(("=", "@")) for cell in cells)
