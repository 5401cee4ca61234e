"""The retention job (`meldwijzer retention`): destroy every file whose retention period has
passed.

A file is destroyed when it is closed (an open file is never destroyed), its last change — and
that of every part other apps keep of it — is older than its organisation's period for its kind
(`selectors.retention_period`), and no legal hold is active on it. The owning app's source selects
such files in the database (`retention_sources.FileQuery`); only they are read, and only their
parts are asked whether they still keep them. Each destruction is one
transaction: the file is found again and locked, checked again, destroyed completely through the
owning app's source and the other apps' parts (`retention_sources`), then what this app holds
for it — grants on it, and the client pseudonym's grounds and grants once no file carries that
pseudonym any more — and one access-log row is written (`events.file_destroyed`). The access log
itself is kept: rows about a destroyed file remain for the log's own term.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from meldwijzer.audit.services import AuditWriteError
from meldwijzer.organisations.models import Organisation
from meldwijzer.privacy import events
from meldwijzer.privacy.models import (
    AccessGrant,
    FileKind,
    LegalHold,
    ResourceKind,
    RetentionOverride,
    SharingGround,
)
from meldwijzer.privacy.retention import RetentionPeriod, default_retention
from meldwijzer.privacy.retention_sources import (
    Expiry,
    RetainedFile,
    RetentionSource,
    retention_parts,
    retention_sources,
    rows_destroy,
)
from meldwijzer.privacy.selectors import retention_period

logger = logging.getLogger(__name__)


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same moment `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass
class KindSummary:
    label: str
    destroyed: int = 0
    held: int = 0
    """Closed and past their period, kept by a legal hold."""
    not_due: int = 0
    """Closed, within their period or kept by a part still in use."""
    open: int = 0
    failed: int = 0
    """Due, but the destruction failed and was rolled back (logged; tried again next run)."""
    files: list[RetainedFile] = field(default_factory=list)
    """What was destroyed (or, in a dry run, would be)."""


@dataclass
class RetentionRun:
    dry_run: bool
    kinds: dict[str, KindSummary] = field(default_factory=dict)
    rows: Counter[str] = field(default_factory=Counter)


def _keeps(file: RetainedFile, cutoff: datetime.datetime) -> bool:
    """Whether the file is still kept: open, changed after the cut-off, or a part still in use."""
    if not file.closed or file.last_change >= cutoff:
        return True
    return any(part.keeps(file, cutoff) for part in retention_parts(file.resource_kind))


def _is_held(file: RetainedFile) -> bool:
    return LegalHold.objects.filter(
        resource_kind=file.resource_kind, resource_id=file.file_id, lifted_at__isnull=True
    ).exists()


def _pseudonym_links_destroy(file: RetainedFile, resources: dict[str, list[int]]) -> Counter[str]:
    """Grants on the file and its resources; and, once no file carries the client pseudonym any
    more, every ground and grant recorded for it (they concerned only the files now gone)."""
    counts: Counter[str] = Counter()
    for kind, ids in resources.items():
        if ids:
            rows_destroy(
                AccessGrant.objects.filter(resource_kind=kind, resource_id__in=ids), counts
            )
    pseudonym = file.client_pseudonym
    if not any(source.holds_pseudonym(pseudonym) for source in retention_sources()):
        rows_destroy(AccessGrant.objects.filter(client_pseudonym=pseudonym), counts)
        rows_destroy(SharingGround.objects.filter(client_pseudonym=pseudonym), counts)
    return counts


@transaction.atomic
def file_destroy(
    *, source: RetentionSource, file_id: int, period: RetentionPeriod, cutoff: datetime.datetime
) -> Counter[str] | None:
    """Destroy one file completely, if it is still due and not held: found again and locked,
    so a hold placed or a change made meanwhile wins. Rows destroyed per model, or None."""
    file = source.get(file_id)
    if file is None or _keeps(file, cutoff) or _is_held(file):
        return None
    resources = {file.resource_kind: [file.file_id]}
    counts: Counter[str] = Counter()
    for part in retention_parts(file.resource_kind):
        for kind, ids in part.resource_ids(file).items():
            resources.setdefault(kind, []).extend(ids)
        counts.update(part.destroy(file))
    for kind, ids in source.resource_ids(file).items():
        resources.setdefault(kind, []).extend(ids)
    counts.update(source.destroy(file))
    counts.update(_pseudonym_links_destroy(file, resources))
    organisation = Organisation.objects.get(pk=file.organisation_id)
    events.file_destroyed(file=file, period=period, organisation=organisation)
    return counts


def retention_expiry(*, source: RetentionSource, now: datetime.datetime) -> Expiry:
    """The cut-offs for one kind of file: the table's period and every organisation's own (one
    query)."""
    default = default_retention().periods[FileKind(source.file_kind)]
    own = RetentionOverride.objects.filter(file_kind=source.file_kind).values_list(
        "organisation_id", "years"
    )
    return Expiry(
        resource_kind=source.resource_kind,
        cutoff=years_before(now, default.years),
        own_cutoffs={organisation_id: years_before(now, years) for organisation_id, years in own},
    )


def retention_run(*, dry_run: bool = False) -> RetentionRun:
    """Go through every registered kind of file and destroy what is due (or, with `dry_run`,
    only list it). The database selects the closed files past their period that no hold keeps
    and counts the rest, so a run reads only the files it destroys. Each destruction commits on
    its own."""
    now = timezone.now()
    run = RetentionRun(dry_run=dry_run)
    periods: dict[tuple[int, str], RetentionPeriod] = {}
    for source in retention_sources():
        summary = run.kinds.setdefault(
            source.resource_kind, KindSummary(label=_label(source.resource_kind))
        )
        expiry = retention_expiry(source=source, now=now)
        tally = source.files.tally(expiry)
        summary.open, summary.held = tally.open, tally.held
        due = 0
        for file in source.files.due(expiry):
            due += 1
            key = (file.organisation_id, source.file_kind)
            if key not in periods:
                periods[key] = retention_period(
                    organisation=Organisation.objects.get(pk=file.organisation_id),
                    file_kind=source.file_kind,
                )
            period = periods[key]
            cutoff = years_before(now, period.years)
            if _keeps(file, cutoff):
                summary.not_due += 1
            elif dry_run:
                summary.destroyed += 1
                summary.files.append(file)
            else:
                try:
                    counts = file_destroy(
                        source=source, file_id=file.file_id, period=period, cutoff=cutoff
                    )
                except (DatabaseError, AuditWriteError):
                    # Rolled back as a whole; the other files go on, and the run reports it.
                    logger.exception(
                        "Vernietigen van %s %s mislukt", file.resource_kind, file.file_id
                    )
                    summary.failed += 1
                    continue
                if counts is None:
                    summary.not_due += 1
                else:
                    summary.destroyed += 1
                    summary.files.append(file)
                    run.rows.update(counts)
        summary.not_due += tally.closed - tally.held - due
    return run


def _label(resource_kind: str) -> str:
    return str(ResourceKind(resource_kind).label)
