"""Access log cost: one chained append versus a plain insert, and chain verification speed.

Creates a throw-away database (a temporary SQLite file, or `<DATABASE_URL>` with PostgreSQL), so it
never touches real data.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

ROWS_PER_ROUND = 200
ROUNDS = 7


def main() -> None:
    os.environ.setdefault("MELDWIJZER_DATA_DIR", tempfile.mkdtemp(prefix="meldwijzer-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "meldwijzer.conf.settings"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":  # a real file, as in production, not an in-memory database
        connection.settings_dict["TEST"]["NAME"] = os.path.join(
            os.environ["MELDWIJZER_DATA_DIR"], "bench.sqlite3"
        )
    from django.test.utils import setup_test_environment

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run(connection.vendor, test_db)
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


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

    verify_times = []
    for _ in range(3):
        start = time.perf_counter()
        result = audit_chain_verify()
        verify_times.append(time.perf_counter() - start)
    assert result.ok, result.problems

    chained_ms = statistics.median(chained) * 1000
    plain_ms = statistics.median(plain) * 1000
    verify_rate = result.rows_checked / statistics.median(verify_times)
    print(f"database: {vendor} ({database})")
    print(f"rounds: {ROUNDS} × {ROWS_PER_ROUND} rows, each in its own transaction")
    print(f"chained append, median per row: {chained_ms:.3f} ms")
    print(f"plain insert,   median per row: {plain_ms:.3f} ms")
    print(f"ratio chained / plain: {chained_ms / plain_ms:.2f}")
    print(f"verify: {result.rows_checked} rows, median {verify_rate:,.0f} rows/s")


if __name__ == "__main__":
    sys.exit(main())
