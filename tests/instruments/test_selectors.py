"""Whether the case page offers filling in an instrument (`case_instrument_startable`): exactly
when the instruments page would let the actor start one — switched on, in its current version,
for the case's step, in a case the actor may change — read from the settings and the versions'
digests only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meldwijzer.instruments import selectors, services
from meldwijzer.instruments.editing import InstrumentEdit
from meldwijzer.instruments.loader import shipped_instruments
from meldwijzer.instruments.models import InstrumentDefinition, OrganisationInstrument
from tests.instruments.builders import SCAN, shipped
from tests.instruments.own_instrument import OWN_V1, OWN_V2

pytestmark = pytest.mark.django_db

IN_STEP_1 = "phases: [stap_1]\n"
NOT_IN_STEP_1 = "phases: [stap_4, hulp]\n"


def _startable(case, actor) -> bool:
    """Asked as the case page asks, checked against what the instruments page decides."""
    startable = selectors.case_instrument_startable(case=case, actor=actor)
    rows = selectors.case_instruments(case=case, actor=actor)
    assert startable == any(row.can_start for row in rows)
    return startable


def _all_shipped_off(admin) -> None:
    for key in shipped_instruments():
        services.instrument_set_enabled(actor=admin, key=key, enabled=False)


def _upload(admin, text: str, *, enable: bool = True) -> None:
    services.instrument_upload(actor=admin, data=text.encode(), filename="e.yaml", enable=enable)


def test_a_shipped_instrument_is_on_until_switched_off(actor, case, admin):
    assert _startable(case, actor)
    _all_shipped_off(admin)
    assert not _startable(case, actor)


def test_an_own_instrument_counts_in_its_latest_version_only_while_switched_on(actor, case, admin):
    _all_shipped_off(admin)
    _upload(admin, OWN_V1 + IN_STEP_1, enable=False)
    assert not _startable(case, actor)
    services.instrument_set_enabled(actor=admin, key="eigen_lijst", enabled=True)
    assert _startable(case, actor)
    _upload(admin, OWN_V2 + NOT_IN_STEP_1)  # the new version is not for step 1
    assert not _startable(case, actor)


def test_an_own_instrument_without_a_setting_is_off(actor, case, admin):
    _all_shipped_off(admin)
    _upload(admin, OWN_V1 + IN_STEP_1)
    OrganisationInstrument.objects.filter(key="eigen_lijst").delete()
    assert not _startable(case, actor)


def test_an_adjusted_shipped_instrument_counts_in_the_organisations_version(
    actor, case, admin, monkeypatch
):
    _all_shipped_off(admin)
    services.instrument_set_enabled(actor=admin, key=SCAN, enabled=True)
    OrganisationInstrument.objects.filter(key=SCAN).delete()  # on by default, as shipped
    services.instrument_edit_save(
        actor=admin,
        key=SCAN,
        edit=InstrumentEdit(title="Huisbezoek-scan wijkteam"),
        based_on_version=shipped(SCAN).version,
    )
    assert _startable(case, actor)
    # A later release ships the scan for step 4 only; the adjusted version keeps its own steps.
    later = {**shipped_instruments(), SCAN: replace(shipped(SCAN), phases=("stap_4",))}
    monkeypatch.setattr(selectors, "shipped_instruments", lambda: later)
    assert _startable(case, actor)
    InstrumentDefinition.objects.filter(key=SCAN, organisation__isnull=False).delete()  # unadjusted
    assert not _startable(case, actor)


def test_only_someone_who_may_change_the_case_can_start_one(actor, case, colleague, stranger):
    assert _startable(case, actor)
    assert not selectors.case_instrument_startable(case=case, actor=colleague)
    assert not selectors.case_instrument_startable(case=case, actor=stranger)


def test_a_version_not_yet_checked_in_this_process_is_read_and_checked_once(
    actor, case, admin, monkeypatch
):
    _all_shipped_off(admin)
    _upload(admin, OWN_V1 + IN_STEP_1)
    monkeypatch.setattr(selectors, "_PARSED", {})
    assert _startable(case, actor)
    _upload(admin, OWN_V2 + IN_STEP_1)
    with CaptureQueriesContext(connection) as first:
        assert selectors.case_instrument_startable(case=case, actor=actor)
    with CaptureQueriesContext(connection) as again:
        assert selectors.case_instrument_startable(case=case, actor=actor)
    assert len(again) == len(first) - 1 == 2  # settings and digests; the text only the first time
    assert all("source_text" not in query["sql"] for query in again.captured_queries)
