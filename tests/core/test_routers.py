"""The datalab's analyses read from the read replica when there is one; nothing else does."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from meldwijzer.core import routers
from meldwijzer.core.routers import AnalysisReadsRouter, analysis_reads
from meldwijzer.datalab.models import Record
from meldwijzer.datalab.selectors import report_get
from tests.datalab.builders import record, source_with_import
from tests.factories import OrganisationFactory

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@override_settings(ANALYSIS_DATABASE="replica")
def test_only_reads_inside_an_analysis_go_to_the_replica():
    router = AnalysisReadsRouter()
    assert router.db_for_read(Record) is None
    with analysis_reads():
        assert router.db_for_read(Record) == "replica"
        assert router.db_for_write(Record) == "default"
    assert router.db_for_read(Record) is None
    assert router.allow_migrate("default", "datalab")
    assert not router.allow_migrate("replica", "datalab")


def datalab_with_records(count: int = 12):
    datalab = OrganisationFactory(name="Gemeente Noordoostpolder")
    imported = source_with_import(datalab)
    for number in range(count):
        record(imported, f"r{number}", datetime.date(2025, 1 + number % 12, 3))
    return datalab


@pytest.mark.django_db
def test_every_read_of_the_report_is_an_analysis_read(monkeypatch):
    datalab = datalab_with_records()
    cache.clear()
    reads: list[bool] = []
    original = AnalysisReadsRouter.db_for_read

    def spy(self, model, **hints):
        reads.append(routers._analysis.get())
        return original(self, model, **hints)

    monkeypatch.setattr(AnalysisReadsRouter, "db_for_read", spy)
    report_get(organisation=datalab)
    assert len(reads) > 10
    assert all(reads)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a read replica is a PostgreSQL set-up")
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_report_is_read_from_the_replica_and_equals_the_primarys():
    datalab = datalab_with_records()
    cache.clear()
    with (
        override_settings(ANALYSIS_DATABASE="replica"),
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        from_replica = report_get(organisation=datalab)
    assert any("datalab_record" in q["sql"] for q in replica.captured_queries)
    assert any("ROW_NUMBER()" in q["sql"] for q in replica.captured_queries)  # the raw SQL too
    assert not [q for q in primary.captured_queries if "datalab_" in q["sql"]]
    cache.clear()
    from_primary = report_get(organisation=datalab)
    assert from_replica.analyses == from_primary.analyses
