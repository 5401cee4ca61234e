"""The datalab's figures on the signaaloverleg page: protected trend figures of the region."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.coordination import conferences
from meldwijzer.coordination.models import ConferenceKind
from meldwijzer.datalab import signals
from meldwijzer.datalab.models import ReportKind
from meldwijzer.organisations.models import Sector
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, coordinator
from tests.datalab.builders import record, source_with_import
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _records(datalab) -> None:
    imported = source_with_import(datalab)
    n = 0
    for year in (2021, 2022):
        for quarter, count in enumerate((20, 30, 25, 40), start=1):
            for i in range(count):
                n += 1
                record(
                    imported,
                    f"s{n}",
                    D(year, 3 * quarter - 2, 1 + i % 28),
                    pc4="8308" if i % 2 else "8302",
                    report_kind=ReportKind.REPEAT if i % 4 == 0 else ReportKind.FIRST,
                )
    for i in range(10):
        record(imported, f"last{i}", D(2023, 1, 10))


def _conference(lead):
    return conferences.conference_create(
        actor=actor_of(lead),
        kind=ConferenceKind.SIGNALS,
        title="Signaaloverleg januari",
        starts_at=timezone.now(),
        topics="Hermeldingen in 8302",
    )


def test_no_records_no_figures():
    lead = coordinator()
    organisation = lead.memberships.first().organisation
    assert signals.signal_figures(conference=_conference(lead), organisation=organisation) == []


def test_the_figures_come_from_the_protected_report():
    gemeente = OrganisationFactory(name="Gemeente Noordoostpolder", sector=Sector.MUNICIPALITY)
    _records(gemeente)
    lead = coordinator()  # a wijkteam in the same municipality
    figures = signals.signal_figures(
        conference=_conference(lead), organisation=lead.memberships.first().organisation
    )
    shown = {f.label: f.value for f in figures}
    # Q4 2022: 40 reports; quarters shown 20, 30, 25, 40 in both years: mean 28.75.
    assert shown["Meldingen in 2022 kwartaal 4"] == "40 (gemiddeld 29 per kwartaal)"
    assert shown["Meeste meldingen per 100.000 inwoners in 2022"].startswith("8308 Nagele: ")
    # Repeat reports: i % 4 == 0 -> 5+8+7+10 = 30 of 115 (rounded 30 of 115): 26%.
    assert shown["Hermeldingen in 2022"] == "26% van de meldingen"


def test_the_signaaloverleg_page_shows_the_figures(client):
    gemeente = OrganisationFactory(name="Gemeente Noordoostpolder", sector=Sector.MUNICIPALITY)
    _records(gemeente)
    lead = coordinator()
    conference = _conference(lead)
    force_verified_login(client, lead)
    html = client.get(
        reverse("coordination:conference_detail", kwargs={"conference_id": conference.pk})
    ).content.decode()
    assert "Meldingen in 2022 kwartaal 4" in html
    assert "8308 Nagele" in html
