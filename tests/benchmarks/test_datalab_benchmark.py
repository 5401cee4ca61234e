"""The datalab benchmark runs, on tiny data, in the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.db import connection

from meldwijzer.datalab.models import Record, RecordForm, RecordPerson

pytestmark = pytest.mark.django_db

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "datalab.py"


def load():
    spec = importlib.util.spec_from_file_location("datalab_benchmark", PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_records_and_sql_counts_agree():
    bench = load()
    organisation, source, imported = bench.datalab()
    bench.generate(connection.vendor, 2000, organisation, source, imported)
    assert Record.objects.filter(datalab=organisation).count() == 2000
    assert 2000 <= RecordForm.objects.count() <= 6000
    assert 4000 <= RecordPerson.objects.count() <= 6000
    counts = bench.sql_counts(connection.vendor, organisation.pk)
    for name in ("per quarter", "per PC4 per year", "per sector per year",
                 "per violence kind per year", "per report kind per year"):  # fmt: skip
        assert sum(row[2] for row in counts[name]) == 2000, name
    assert len(counts["per quarter"]) == 4 * bench.YEARS
    assert sum(row[2] for row in counts["forms per year"]) == RecordForm.objects.count()
    publication = bench.publication_of(counts)
    assert publication.cell("alles").value == 2000
    assert publication.protect()  # every sum holds, or adds_up would have refused


def test_whole_benchmark_prints_its_figures(capsys):
    load().run(connection.vendor, "test", 2000, 1)
    out = capsys.readouterr().out
    assert "generated 2,000 records" in out
    assert "report ÷ SQL" in out
    assert "peak RSS" in out
