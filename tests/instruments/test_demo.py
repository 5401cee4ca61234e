"""The demo attaches instrument results (with a reassessment pair), a draft and an own instrument,
through the services, and loading it twice changes nothing."""

from __future__ import annotations

import pytest

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.demo import demo_load
from meldwijzer.instruments.demo import RESULTS
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentDraft,
    InstrumentResult,
    OrganisationInstrument,
)

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _counts() -> tuple[int, ...]:
    return (
        InstrumentResult.objects.count(),
        InstrumentDraft.objects.count(),
        InstrumentDefinition.objects.count(),
        OrganisationInstrument.objects.count(),
        Entry.objects.filter(kind=EntryKind.INSTRUMENT_RESULT).count(),
    )


def test_demo_results_load_once():
    demo_load()
    first = _counts()
    assert first[0] == len(RESULTS) == first[4]
    assert first[1] == 1
    demo_load()
    assert _counts() == first


def test_demo_has_a_reassessment_pair_that_improved():
    demo_load()
    pairs = [
        list(InstrumentResult.objects.filter(case=case_id, key="huisbezoek_scan"))
        for case_id in InstrumentResult.objects.values_list("case", flat=True).distinct()
    ]
    pair = next(results for results in pairs if len(results) == 2)
    before, after = (
        {s["id"]: s for s in result.outcome["scores"]}
        for result in sorted(pair, key=lambda r: r.created_at)
    )
    assert after["risico"]["value"] < before["risico"]["value"]
    assert after["bescherming"]["value"] > before["bescherming"]["value"]


def test_demo_results_suggest_profiles_and_forms_of_violence_and_are_logged():
    demo_load()
    outcomes = [result.outcome for result in InstrumentResult.objects.all()]
    assert any(o["profiles"] for o in outcomes)
    assert any(v["code"] == "lichamelijk" for o in outcomes for v in o["violence"])
    assert AccessLogEntry.objects.filter(part="instrument").count() == len(RESULTS)
    own = InstrumentDefinition.objects.get(key="polderpionier_leerling")
    assert own.organisation.name == "Basisschool De Polderpionier"
    adjusted = InstrumentDefinition.objects.get(
        key="mensenhandel_signalen", organisation=own.organisation
    )
    assert adjusted.version == "2.0-1" and adjusted.based_on.organisation is None
    assert adjusted.title == "Signalen mensenhandel en seksuele uitbuiting bij leerlingen"
