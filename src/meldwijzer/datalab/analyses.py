"""The analyses of a datalab: every question of the regional datalab that the records can
answer, counted once into one `disclosure.Publication` and returned as a protected `Report`."""

from __future__ import annotations

from django.utils import timezone

from meldwijzer.datalab.report import Report
from meldwijzer.organisations.models import Organisation


def report_build(*, organisation: Organisation, version: str) -> Report:
    return Report(
        organisation=organisation.name,
        municipality=organisation.municipality.name,
        built_at=timezone.now(),
        first_day=None,
        last_day=None,
        sources=(),
        analyses=(),
        version=version,
    )
