"""The HSDS import under fuzzing (hypothesis): broken JSON files, broken zip files and zip files
with a broken CSV table give the import's own report with errors, never an exception, and change
nothing; the CSV export cannot run a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import hsds
from meldwijzer.social_map.hsds_import import hsds_import
from meldwijzer.social_map.models import Location, Provider, Service
from tests.fuzzing import FORMULAS, FUZZ, broken, mangled
from tests.social_map.builders import directory_records
from tests.social_map.test_hsds import EXAMPLES, csv_zip

pytestmark = pytest.mark.django_db

TABLES = {path.name: path.read_bytes() for path in sorted((EXAMPLES / "csv").iterdir())}


@pytest.fixture
def platform(make_member, organisation):
    return actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))


def _counts() -> tuple[int, int, int]:
    return Provider.objects.count(), Service.objects.count(), Location.objects.count()


@st.composite
def zip_with_a_broken_table(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(TABLES)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for table, content in TABLES.items():
            archive.writestr(table, draw(mangled([content])) if table == name else content)
    return buffer.getvalue()


FILES = st.one_of(
    broken([(EXAMPLES / "organization_full.json").read_bytes(), csv_zip()]),
    zip_with_a_broken_table(),
)


def test_broken_files_give_a_report_and_change_nothing(platform):
    @FUZZ
    @given(data=FILES)
    def check(data: bytes) -> None:
        before = _counts()
        report = hsds_import(actor=platform, source="fuzz", data=data)
        if report.errors:
            assert not report.written
            assert _counts() == before
            assert all(problem.message for problem in report.errors)

    check()


def test_the_csv_export_neutralises_formulas(db):
    directory_records(None, name=FORMULAS[0])
    with zipfile.ZipFile(io.BytesIO(hsds.export_csv_zip(audience=hsds.FULL))) as archive:
        text = archive.read("organizations.csv").decode("utf-8")
    names = [line["name"] for line in csv.DictReader(io.StringIO(text))]
    assert "'" + FORMULAS[0] in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
