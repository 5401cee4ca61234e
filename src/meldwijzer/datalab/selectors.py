"""Reading the datalab: who may, and the protected report they see.

Only an actor who may see aggregates (a policy adviser, the platform's administrator) reads a
datalab, and only their own organisation's. The report is built once per state of the records
(`records_version`) and kept in the cache; every output reads that one report.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max

from meldwijzer.core.routers import analysis_reads
from meldwijzer.datalab import events
from meldwijzer.datalab.models import Import, ImportState, Source
from meldwijzer.datalab.report import Report
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission

CACHE_SECONDS = 24 * 3600


def datalab_for(*, actor: Actor) -> Organisation:
    """The datalab the actor works in — their organisation's — or a logged refusal (403)."""
    if not actor.can(Permission.AGGREGATES_VIEW):
        events.refused(actor=actor)
    return actor.organisation


def records_version(organisation: Organisation) -> str:
    """A short fingerprint of the datalab's records: it changes with every import."""
    last = Import.objects.filter(source__datalab=organisation, state=ImportState.DONE).aggregate(
        last=Max("pk"), count=Count("pk")
    )
    material = f"{organisation.pk}:{last['last']}:{last['count']}"
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def report_get(*, organisation: Organisation) -> Report:
    """The protected report of a datalab, from the cache when its records have not changed.
    Callers check access (`datalab_for`) and log what they show."""
    from meldwijzer.datalab.analyses import report_build

    # From the read replica when there is one: the version and the figures from the same copy, so
    # a report is never cached under a version its figures do not have yet.
    with analysis_reads():
        version = records_version(organisation)
        key = f"datalab:report:{organisation.pk}:{version}"
        report = cache.get(key)
        if report is None:
            report = report_build(organisation=organisation, version=version)
            cache.set(key, report, CACHE_SECONDS)
    return report


def report_for(*, actor: Actor, analysis: str = "") -> Report:
    """The report for the actor's datalab, logged as read (one analysis, or the overview)."""
    organisation = datalab_for(actor=actor)
    report = report_get(organisation=organisation)
    events.figures_read(actor=actor, analysis=analysis or "overzicht", version=report.version)
    return report


def sources(*, organisation: Organisation) -> list[Source]:
    return list(Source.objects.filter(datalab=organisation).order_by("name"))


def imports(*, organisation: Organisation, limit: int = 50) -> list[Import]:
    return list(
        Import.objects.filter(source__datalab=organisation)
        .select_related("source", "uploaded_by")
        .order_by("-started_at", "-pk")[:limit]
    )


def import_get(*, organisation: Organisation, import_id: int) -> Import | None:
    return (
        Import.objects.filter(source__datalab=organisation, pk=import_id)
        .select_related("source", "uploaded_by")
        .first()
    )


def counts_shown(*, actor: Actor, imported: Import) -> bool:
    """Whether the actor sees an import's raw row and record counts: only who uploaded the file
    (they hold it). For anyone else those counts are true counts of another's delivery — a source
    of seven records would show beside its hidden cell on the overview."""
    return imported.uploaded_by_id is not None and imported.uploaded_by_id == actor.user.pk
