"""Access log cost: one chained append versus a plain insert, writers in parallel, and chain
verification speed.

In parallel, `WRITERS` threads, each with its own database connection, append logged reads at the
same time: each for its own organisation (one chain each, as the application writes), all into one
chain (how every row was written before there was a chain per organisation: one head locked for
all), and as plain inserts into a table without a chain. Throughput is rows per second over all
threads, the median of several rounds.

Creates a throw-away database (a temporary SQLite file, or `<DATABASE_URL>` with PostgreSQL), so it
never touches real data.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and its tests/ (factories, generators), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402

ROWS_PER_ROUND = 200
ROUNDS = 7
WRITERS = 8
ROWS_PER_WRITER = 100
PARALLEL_ROUNDS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--rows", type=int, default=ROWS_PER_ROUND, help="rows per round")
    parser.add_argument("--writers", type=int, default=WRITERS)
    parser.add_argument("--rows-per-writer", type=int, default=ROWS_PER_WRITER)
    parser.add_argument("--parallel-rounds", type=int, default=PARALLEL_ROUNDS)
    args = parser.parse_args()
    globals().update(  # the sizes the functions below read
        ROUNDS=args.rounds,
        ROWS_PER_ROUND=args.rows,
        WRITERS=args.writers,
        ROWS_PER_WRITER=args.rows_per_writer,
        PARALLEL_ROUNDS=args.parallel_rounds,
    )
    with throwaway_database() as (vendor, test_db):
        # Checkpoints are written as in production (part of the cost), but not echoed to the terminal.
        logging.getLogger("meldwijzer.audit.checkpoints").setLevel(logging.WARNING)
        run(vendor, test_db)


def run(vendor: str, database: str) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from meldwijzer.audit.models import Action, Purpose, Subject
    from meldwijzer.audit.services import access_log_record
    from meldwijzer.audit.verification import audit_chain_verify

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_plain (id integer PRIMARY KEY, at varchar(40), who varchar(150),"
            " what varchar(40), ref varchar(64), digest varchar(64))"
        )

    chained, plain = [], []
    next_id = 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(ROWS_PER_ROUND):
            access_log_record(
                actor=None, username="bench", action=Action.READ, subject=Subject.CASE,
                subject_id="123", client_id="cl-bench", purpose=Purpose.CARE,
            )  # fmt: skip
        chained.append((time.perf_counter() - start) / ROWS_PER_ROUND)

        start = time.perf_counter()
        for _ in range(ROWS_PER_ROUND):
            next_id += 1
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_plain VALUES (%s, %s, %s, %s, %s, %s)",
                    [next_id, timezone.now().isoformat(), "bench", "read", "123", "0" * 64],
                )
        plain.append((time.perf_counter() - start) / ROWS_PER_ROUND)

    parallel = run_parallel(next_id)

    verify_times = []
    for _ in range(3):
        start = time.perf_counter()
        result = audit_chain_verify()
        verify_times.append(time.perf_counter() - start)
    assert result.ok, result.problems
    # One month on its own (on PostgreSQL: one partition), as `audit verify --maand` reads it.
    from meldwijzer.audit.verification import audit_month_verify, audit_months

    month = audit_months()[-1]
    month_times = []
    for _ in range(3):
        start = time.perf_counter()
        month_result = audit_month_verify(month)
        month_times.append(time.perf_counter() - start)
    assert month_result.ok, month_result.problems

    chained_ms = statistics.median(chained) * 1000
    plain_ms = statistics.median(plain) * 1000
    verify_rate = result.rows_checked / statistics.median(verify_times)
    print(f"database: {vendor} ({database})")
    print(f"rounds: {ROUNDS} × {ROWS_PER_ROUND} rows, each in its own transaction")
    print(f"chained append, median per row: {chained_ms:.3f} ms")
    print(f"plain insert,   median per row: {plain_ms:.3f} ms")
    print(f"ratio chained / plain: {chained_ms / plain_ms:.2f}")
    print(f"verify: {result.rows_checked} rows, median {verify_rate:,.0f} rows/s")
    month_rate = month_result.rows_checked / statistics.median(month_times)
    print(f"verify one month ({month}): {month_result.rows_checked} rows, {month_rate:,.0f} rows/s")
    print(
        f"in parallel: {WRITERS} writers × {ROWS_PER_WRITER} rows, each row in its own "
        f"transaction, {PARALLEL_ROUNDS} rounds; median rows/s over all writers"
    )
    for name, rate in parallel.items():
        print(f"  {name:<28} {rate:>8,.0f} rows/s")
    own, one, plain_rate = (
        parallel["own chain per writer"],
        parallel["one chain for all"],
        parallel["plain insert"],
    )
    print(f"  ratio own chains / one chain: {own / one:.2f}")
    print(f"  ratio own chains / plain:     {own / plain_rate:.2f}")
    print(f"  ratio one chain / plain:      {one / plain_rate:.2f}")


def _in_parallel(work: Callable[[int], None]) -> float:
    """Run `work(writer)` in `WRITERS` threads started together; rows per second over all."""
    from django.db import connections

    start_together = threading.Barrier(WRITERS + 1)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start_together.wait()
            work(number)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    start_together.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise failures[0]
    return WRITERS * ROWS_PER_WRITER / elapsed


def run_parallel(first_id: int) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from meldwijzer.audit.models import Action, Purpose, Subject
    from meldwijzer.audit.services import access_log_record
    from meldwijzer.organisations.models import Municipality, Organisation, Sector

    municipality = Municipality.objects.create(name="Benchstad", province="Utrecht")
    organisations = [
        Organisation.objects.create(
            name=f"Bench {n}", sector=Sector.EDUCATION, municipality=municipality
        )
        for n in range(WRITERS)
    ]
    ids = itertools.count(first_id + 1)
    ids_lock = threading.Lock()

    def logged_reads(organisation: Organisation | None) -> None:
        for _ in range(ROWS_PER_WRITER):
            access_log_record(
                actor=None, organisation=organisation, username="bench", action=Action.READ,
                subject=Subject.CASE, subject_id="123", client_id="cl-bench", purpose=Purpose.CARE,
            )  # fmt: skip

    def plain_inserts() -> None:
        for _ in range(ROWS_PER_WRITER):
            with ids_lock:
                row_id = next(ids)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_plain VALUES (%s, %s, %s, %s, %s, %s)",
                    [row_id, timezone.now().isoformat(), "bench", "read", "123", "0" * 64],
                )

    kinds: dict[str, Callable[[int], None]] = {
        "own chain per writer": lambda n: logged_reads(organisations[n]),
        "one chain for all": lambda n: logged_reads(None),
        "plain insert": lambda n: plain_inserts(),
    }
    rates: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(PARALLEL_ROUNDS):  # interleaved, so a noisy moment hits all kinds alike
        for name, work in kinds.items():
            rates[name].append(_in_parallel(work))
    return {name: statistics.median(values) for name, values in rates.items()}


if __name__ == "__main__":
    sys.exit(main())
