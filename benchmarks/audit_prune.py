"""Pruning the access log after its term: how long the check of the months to go takes, and how
long the removal itself holds the log.

Writes `--months` months of `--rows` rows each, spread over `--chains` organisations' chains, six
years back (with time travel, through the application's own bulk append), and one row today. Then
runs `meldwijzer audit prune` as cron would, and prints the time of the check (each month
verified on its own, and a checkpoint), of the removal's transaction (anchors, then dropping the
months' partitions on PostgreSQL or deleting their rows on SQLite, and the row that logs it), and
of a full `audit verify` afterwards.

Creates a throw-away database (a temporary SQLite file, or `<DATABASE_URL>` with PostgreSQL), so it
never touches real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and its tests/ (factories, generators), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402

BATCH = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=2, help="months older than the term")
    parser.add_argument("--rows", type=int, default=100_000, help="rows per month")
    parser.add_argument("--chains", type=int, default=10, help="organisations writing")
    args = parser.parse_args()
    with throwaway_database() as (vendor, test_db):
        # Checkpoints are written as in production (part of the cost), but not echoed to the terminal.
        logging.getLogger("meldwijzer.audit.checkpoints").setLevel(logging.WARNING)
        run(vendor, test_db, args)


def write(month: Any, rows: int, actors: list[Any]) -> None:
    """`rows` logged reads in `month`, in batches, each batch in one organisation's chain."""
    import time_machine

    from meldwijzer.audit.models import Action, Subject
    from meldwijzer.audit.services import access_log_record_each

    with time_machine.travel(month.start + dt.timedelta(days=3), tick=True):
        for number, start in enumerate(range(0, rows, BATCH)):
            size = min(BATCH, rows - start)
            access_log_record_each(
                actor=actors[number % len(actors)],
                action=Action.READ,
                subject=Subject.PAGE,
                rows=[(str(start + n), "") for n in range(size)],
            )


def run(vendor: str, database: str, args: argparse.Namespace) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from tests.factories import MembershipFactory

    from meldwijzer.audit import pruning
    from meldwijzer.audit.checkpoints import audit_checkpoint_create
    from meldwijzer.audit.models import AccessLogEntry
    from meldwijzer.audit.partitions import Month, create_months, is_partitioned
    from meldwijzer.audit.verification import audit_chain_verify
    from meldwijzer.organisations.selectors import actor_for_user
    from meldwijzer.privacy import access_log_retention
    from meldwijzer.privacy.retention_job import years_before

    print(f"database: {vendor} ({database})")
    actors = [actor_for_user(user=MembershipFactory().user) for _ in range(args.chains)]
    first = Month.of(years_before(timezone.now(), 6))
    months = [first]
    while len(months) < args.months:
        months.append(months[-1].next())
    if is_partitioned():  # as when those months were current: made ahead by the daily step
        with transaction.atomic(), connection.cursor() as cursor:
            create_months(cursor, months)
    start = time.perf_counter()
    for month in months:
        write(month, args.rows, actors)
    write(Month.of(timezone.now()), 1, actors)
    print(
        f"wrote {args.months} month(s) of {args.rows:,} rows in {args.chains} chains, six years "
        f"back, in {time.perf_counter() - start:.1f} s"
    )
    audit_checkpoint_create()

    removal: list[float] = []
    real = pruning.audit_months_prune

    def timed_removal(**kwargs: Any) -> pruning.PruneResult:
        began = time.perf_counter()
        try:
            return real(**kwargs)
        finally:
            removal.append(time.perf_counter() - began)

    access_log_retention.audit_months_prune = timed_removal  # type: ignore[assignment]
    start = time.perf_counter()
    run_ = access_log_retention.access_log_prune()
    total = time.perf_counter() - start
    print(
        f"pruned {run_.result.rows:,} rows of {len(run_.result.months)} month(s), "
        f"{run_.result.chains} chains anchored: {total:.2f} s in all"
    )
    print(f"  check (each month verified, a checkpoint): {total - removal[0]:.2f} s")
    print(
        f"  removal's transaction (anchors, then dropping or deleting): {removal[0] * 1000:.0f} ms"
    )
    start = time.perf_counter()
    verified = audit_chain_verify()
    assert verified.ok, verified.problems
    print(
        f"audit verify afterwards: in order, {verified.rows_checked} row(s) left, "
        f"{(time.perf_counter() - start) * 1000:.0f} ms; rows now {AccessLogEntry.objects.count()}"
    )


if __name__ == "__main__":
    main()
