"""The access log in monthly partitions on PostgreSQL (ADR 0040).

On PostgreSQL `audit_accesslogentry` is partitioned by range of `occurred_at`, one partition per
calendar month (UTC) named `audit_accesslogentry_yYYYYmMM`, plus a DEFAULT partition that catches
a row for which no month partition exists yet, so an append never fails for want of one. A daily
step (`meldwijzer audit partitions`) makes the current month and the next months exist before
rows arrive. A month whose rows already landed in the DEFAULT partition cannot get its own
partition while they are there: the step then moves them, in one transaction, by taking the
DEFAULT partition off, creating the month and a new DEFAULT, and inserting the old rows again
through the parent table, so each lands in its month (no UPDATE or DELETE: the log stays
append-only). On SQLite there are no partitions and every function here does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

TABLE = "audit_accesslogentry"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3
"""How many months after the current one the daily step keeps ready."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month written as YYYY-MM; ValueError (with a Dutch message) otherwise."""
        try:
            year, month = (int(part) for part in text.split("-"))
            dt.date(year, month, 1)
        except ValueError:
            raise ValueError(
                f"'{text}' is geen maand; schrijf die als JJJJ-MM (2026-12)."
            ) from None
        return cls(year, month)

    @classmethod
    def of(cls, moment: dt.datetime) -> Month:
        moment = moment.astimezone(dt.UTC)
        return cls(moment.year, moment.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def partition(self) -> str:
        return f"{TABLE}_y{self.year:04d}m{self.month:02d}"


def months_between(first: Month, last: Month) -> list[Month]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month.next()
    return months


@dataclass
class PartitionsResult:
    created: list[Month] = field(default_factory=list)
    moved_rows: int = 0
    """Rows moved out of the DEFAULT partition into their new month."""


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as own:
        own.execute("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE])
        found = own.fetchone()
    return bool(found and found[0] == "p")


def existing_months(cursor: Any) -> set[Month]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass",
        [TABLE],
    )
    months = set()
    for (name,) in cursor.fetchall():
        suffix = name.removeprefix(f"{TABLE}_y")
        if suffix != name and len(suffix) == 7:
            months.add(Month(int(suffix[:4]), int(suffix[5:])))
    return months


def _create_month(cursor: Any, month: Month) -> None:
    cursor.execute(
        f'CREATE TABLE "{month.partition}" PARTITION OF "{TABLE}" '
        f"FOR VALUES FROM ('{month.start.isoformat()}') TO ('{month.end.isoformat()}')"
    )


def create_months(cursor: Any, months: list[Month]) -> PartitionsResult:
    """Create the month partitions that do not exist yet, moving rows of those months out of the
    DEFAULT partition. The caller holds a transaction."""
    result = PartitionsResult()
    missing = sorted(set(months) - existing_months(cursor))
    if not missing:
        return result
    cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
    ranges = " OR ".join(
        f"(occurred_at >= '{m.start.isoformat()}' AND occurred_at < '{m.end.isoformat()}')"
        for m in missing
    )
    cursor.execute(f'SELECT count(*) FROM "{DEFAULT_PARTITION}" WHERE {ranges}')  # noqa: S608
    stranded = cursor.fetchone()[0]
    if stranded:
        held = f"{DEFAULT_PARTITION}_held"
        # PostgreSQL does not detach or drop a table with foreign key checks still pending from
        # rows written earlier in the same transaction: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{DEFAULT_PARTITION}"')
        cursor.execute(f'ALTER TABLE "{DEFAULT_PARTITION}" RENAME TO "{held}"')
    for month in missing:
        _create_month(cursor, month)
    if stranded:
        cursor.execute(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT')
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{held}"')  # noqa: S608
        cursor.execute(f'DROP TABLE "{held}"')
        result.moved_rows = stranded
    result.created = missing
    return result


def audit_partitions_ensure(
    *, months_ahead: int = MONTHS_AHEAD, now: dt.datetime | None = None
) -> PartitionsResult:
    """Make this month's partition and the next `months_ahead` months' exist; idempotent, for a
    daily run. Does nothing where the access log is not partitioned (SQLite)."""
    if not is_partitioned():
        return PartitionsResult()
    current = Month.of(now or timezone.now())
    last = current
    for _ in range(months_ahead):
        last = last.next()
    with transaction.atomic(), connection.cursor() as cursor:
        return create_months(cursor, months_between(current, last))
