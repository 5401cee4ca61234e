"""The datalab demo: the regional datalab's figures come back, raw and published."""

from __future__ import annotations

import time

import pytest

from meldwijzer.datalab import analyses, demo
from meldwijzer.datalab.models import Import, ImportState, Record
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_scratch():
    organisation = OrganisationFactory(name="Gemeente Noordoostpolder")
    start = time.perf_counter()
    demo.load()
    print("load", time.perf_counter() - start)
    start = time.perf_counter()
    report = analyses.report_build(organisation=organisation, version="x")
    print("build", time.perf_counter() - start)
    for a in report.analyses:
        print("==", a.key, a.title, "|", a.summary)
        for t in a.tables:
            print("  --", t.key, t.columns)
            for r in t.rows:
                print("    ", r.label, [c.shown + (f"({c.reason})" if c.reason else "") for c in r.cells])
    print(report.sources, report.first_day, report.last_day)
