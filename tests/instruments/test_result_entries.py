"""An instrument's result reaches the dossier as an entry with its outcome codes: the case page and
the report read that entry only, entries written before carry the codes after the data
migration, and the case page offers an instrument through `cases.extensions`."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from meldwijzer.audit.models import Action
from meldwijzer.cases import extensions
from meldwijzer.cases.entries import INSTRUMENT_CODE_FIELDS
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.cases.report import case_report
from meldwijzer.instruments.models import InstrumentResult
from tests.instruments.builders import SCAN, record_result, shipped

pytestmark = pytest.mark.django_db


def _codes(items: list[dict]) -> list[dict]:
    return [{"code": item["code"], "label": item["label"]} for item in items]


def test_the_entry_carries_the_instrument_and_its_outcome_as_codes(actor, case):
    result = record_result(actor, case, sig_letsel="ja", gezin_controle="ja")
    entry = Entry.objects.get(kind=EntryKind.INSTRUMENT_RESULT)
    data = entry.data
    assert data["instrument_key"] == SCAN
    assert data["instrument_version"] == result.version
    assert data["definition_digest"] == result.digest == shipped().digest
    assert data["instrument_kind"] == shipped().kind_label
    outcome = data["outcome"]
    assert outcome["profiles"] == _codes(result.outcome["profiles"]) != []
    assert outcome["violence"] == _codes(result.outcome["violence"]) != []
    assert outcome["flags"] == _codes(result.outcome["flags"])
    assert [s["band"] for s in outcome["scores"]] == [s["band"] for s in result.outcome["scores"]]
    assert outcome["note"] == result.outcome["note"]
    # The summary the case page shows stays as it was.
    assert "Intieme terreur" in data["suggested_profiles"]


def test_the_report_reads_the_entry_not_the_result(actor, case):
    record_result(actor, case, gezin_controle="ja")
    entry = Entry.objects.get(kind=EntryKind.INSTRUMENT_RESULT)
    data = {**entry.data, "outcome": {**entry.data["outcome"], "note": "Uit de dossierregel."}}
    Entry.objects.filter(pk=entry.pk).update(data=data)
    (item,) = case_report(actor=actor, case_id=case.pk, action=Action.PRINT)["instruments"]
    assert item["note"] == "Uit de dossierregel."
    assert [p["code"] for p in item["profiles"]] == ["intieme_terreur"]
    assert item["key"] == SCAN and item["kind_label"] == shipped().kind_label


def test_entries_written_before_get_their_codes_from_the_data_migration(actor, case):
    result = record_result(actor, case, sig_letsel="ja", gezin_controle="ja")
    entry = result.entry
    complete = dict(entry.data)
    before = case_report(actor=actor, case_id=case.pk, action=Action.PRINT)["instruments"]
    legacy = {k: v for k, v in complete.items() if k not in INSTRUMENT_CODE_FIELDS}
    Entry.objects.filter(pk=entry.pk).update(data=legacy)
    migration = importlib.import_module(
        "meldwijzer.instruments.migrations.0003_result_entries_carry_outcome_codes"
    )
    migration.add_outcome_codes(global_apps, None)
    entry.refresh_from_db()
    assert entry.data == complete  # what was written stays; the codes are added
    after = case_report(actor=actor, case_id=case.pk, action=Action.PRINT)["instruments"]
    assert after == before
    assert InstrumentResult.objects.get(pk=result.pk).entry_id == entry.pk


def test_the_case_page_offers_an_instrument_through_the_extensions(
    verified, actor, case, monkeypatch
):
    client = verified(actor.user)
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    assert "Screening of risicotaxatie invullen" in client.get(url).content.decode()
    monkeypatch.setattr(extensions, "_ACTIONS", [])
    assert "Screening of risicotaxatie invullen" not in client.get(url).content.decode()


def test_the_case_page_shows_the_latest_outcome_per_instrument_from_the_entries(
    verified, actor, case
):
    record_result(actor, case)
    latest = record_result(actor, case, gezin_controle="ja")
    page = verified(actor.user).get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    text = page.content.decode()
    assert text.count('id="instrument-uitkomst-') == 1
    assert f'id="instrument-uitkomst-{latest.pk}"' in text
    assert "Intieme terreur" in text
