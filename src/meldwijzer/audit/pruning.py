"""Removing the access log's oldest months once its term has passed, keeping what is left
verifiable (ADR 0040).

The term itself is the privacy app's (`privacy.access_log_retention`); here is only how months go.
`prune_plan` says which months hold rows before the first month to keep, and how many. Pruning
them (`audit_months_prune`, in the caller's transaction) reads for every chain with rows there
the sequence number and hash of its last row in them, then takes the access log for itself (on
PostgreSQL an exclusive lock on the table, so no append runs meanwhile), records those as the
chains' anchors, signed (`audit.anchors`), and removes the months: on PostgreSQL by dropping their
partitions (rows of such a month still in the DEFAULT partition are first moved into a partition
of their own, `partitions.create_months`), on SQLite by deleting their rows. Verification then
starts each of those chains at its anchor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Min

from meldwijzer.audit.anchors import anchor_record
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.audit.partitions import (
    TABLE,
    Month,
    create_months,
    existing_months,
    is_partitioned,
    months_between,
)


@dataclass
class PrunePlan:
    keep_from: Month
    """The first month kept; every month before it goes."""
    rows: dict[Month, int] = field(default_factory=dict)
    """The months before `keep_from` that hold rows, with how many."""

    @property
    def months(self) -> list[Month]:
        return sorted(self.rows)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def prune_plan(*, keep_from: Month) -> PrunePlan:
    """Which months before `keep_from` hold rows, and how many each (read only)."""
    plan = PrunePlan(keep_from=keep_from)
    older = AccessLogEntry.objects.filter(occurred_at__lt=keep_from.start)
    found = older.aggregate(first=Min("occurred_at"))
    if found["first"] is None:
        return plan
    for month in months_between(Month.of(found["first"]), keep_from)[:-1]:
        count = older.filter(occurred_at__gte=month.start, occurred_at__lt=month.end).count()
        if count:
            plan.rows[month] = count
    return plan


@dataclass
class PruneResult:
    months: list[Month] = field(default_factory=list)
    rows: int = 0
    chains: int = 0
    """Chains anchored (that had rows in the months removed)."""


def audit_months_prune(*, keep_from: Month, months: list[Month]) -> PruneResult:
    """Remove `months` (all before `keep_from`) from the access log, anchoring every chain that had
    rows in them. Call it inside a transaction, together with the row that logs the pruning; the
    caller has checked those months (`verification.audit_month_verify`)."""
    if any(month >= keep_from for month in months):
        raise ValueError("Alleen maanden vóór de eerste bewaarde maand kunnen weg.")
    result = PruneResult()
    if not months:
        return result
    start, end = months[0].start, months[-1].end
    # Read before taking the log for ourselves: these months no longer change (rows are only
    # appended, at the present time), and reading them may take a while.
    last_rows = _last_rows(start, end)
    partitioned = is_partitioned()
    if partitioned:
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
    for chain, (sequence, entry_hash, rows) in sorted(last_rows.items()):
        anchor_record(chain=chain, sequence=sequence, entry_hash=entry_hash, kept_from=end)
        result.rows += rows
        result.chains += 1
    if partitioned:
        _drop_partitions(months)
    else:
        _delete_rows(start, end)
    result.months = list(months)
    return result


def _last_rows(start: datetime.datetime, end: datetime.datetime) -> dict[int, tuple[int, str, int]]:
    """Per chain with rows from `start` to `end`: its last row's sequence number and hash there,
    and how many rows it has there."""
    gone = AccessLogEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    found = {}
    for chain in gone.values("chain").annotate(sequence=Max("sequence"), rows=Count("id")):
        entry_hash = AccessLogEntry.objects.values_list("entry_hash", flat=True).get(
            chain=chain["chain"], sequence=chain["sequence"]
        )
        found[chain["chain"]] = (chain["sequence"], entry_hash, chain["rows"])
    return found


def _drop_partitions(months: list[Month]) -> None:
    with connection.cursor() as cursor:
        create_months(cursor, months)  # a month's rows still in the DEFAULT partition get their own
        # PostgreSQL does not drop a table with foreign key checks still pending in this
        # transaction: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for month in sorted(existing_months(cursor) & set(months)):
            cursor.execute(f'DROP TABLE "{month.partition}"')


def _delete_rows(start: datetime.datetime, end: datetime.datetime) -> None:
    """SQLite: the rows of the months, with one DELETE (the model refuses deleting rows)."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{TABLE}" WHERE occurred_at >= %s AND occurred_at < %s',  # noqa: S608
            [adapt(start), adapt(end)],
        )
