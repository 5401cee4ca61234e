"""Sociale kaart import of a large file: how long it holds the write transaction, and how long
someone else's write has to wait meanwhile.

Generates a realistic HSDS file (`tests/social_map/generated_hsds.py`: 300 organizations with
900 services make about 7 MB, the size of the file in the security review) and imports it into a
throw-away database — a temporary SQLite file, or `test_<name>` beside `<DATABASE_URL>` with
PostgreSQL — several times: into an empty sociale kaart (everything new) and again over itself
(everything updated). Meanwhile another thread appends a row to the access log every 50 ms, as
other people's work does. Prints per round and as medians: the whole import, the write
transaction (`ImportReport.write_seconds`: from BEGIN to COMMIT), and the longest wait of the
other writes.

    .venv/bin/python benchmarks/social_map_import.py [--organizations 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This checkout's code and its tests/ (factories, generators), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with throwaway_database() as (vendor, _):
        run(vendor, args.organizations, args.rounds)


@dataclass
class Others:
    """Another person's work during the import: an access-log row every 50 ms."""

    waits: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    running: threading.Event = field(default_factory=threading.Event)

    def work(self) -> None:
        from django.db import DatabaseError, connections

        from meldwijzer.audit.models import Action, Subject
        from meldwijzer.audit.services import AuditWriteError, access_log_record

        try:
            while self.running.is_set():
                start = time.perf_counter()
                try:
                    access_log_record(
                        actor=None, action=Action.READ, subject=Subject.PAGE, username="ander"
                    )
                except (AuditWriteError, DatabaseError) as error:  # "database is locked"
                    self.failures.append(str(error.__cause__ or error))
                self.waits.append(time.perf_counter() - start)
                time.sleep(0.05)
        finally:
            connections.close_all()


def wipe() -> None:
    from meldwijzer.social_map.models import (
        ChangeRecord,
        ImportJob,
        Location,
        Provider,
        ServiceTerm,
    )

    for model in (ServiceTerm, ChangeRecord, Location, Provider, ImportJob):
        model.objects.all().delete()


def import_once(actor: object, data: bytes) -> tuple[float, float, Others]:
    from meldwijzer.social_map.hsds_import import hsds_import

    others = Others()
    others.running.set()
    thread = threading.Thread(target=others.work)
    thread.start()
    start = time.perf_counter()
    report = hsds_import(actor=actor, source="groot.json", data=data)  # type: ignore[arg-type]
    total = time.perf_counter() - start
    others.running.clear()
    thread.join()
    if not report.written:
        raise SystemExit(f"import failed: {[str(p) for p in report.errors[:5]]}")
    return total, report.write_seconds, others


def run(vendor: str, organizations: int, rounds: int) -> None:
    from tests.factories import MembershipFactory
    from tests.social_map.generated_hsds import directory_file

    from meldwijzer.organisations.roles import Role
    from meldwijzer.organisations.selectors import actor_for_user

    data = directory_file(organizations)
    actor = actor_for_user(user=MembershipFactory(role=Role.PLATFORM_ADMIN).user)
    print(
        f"{vendor}: {len(data) / 1e6:.1f} MB, {organizations} organizations, "
        f"{organizations * 3} services, {rounds} rounds"
    )
    results: dict[str, list[tuple[float, float, float, int]]] = {"new": [], "again": []}
    for number in range(1, rounds + 1):
        wipe()
        for kind in ("new", "again"):
            total, held, others = import_once(actor, data)
            longest = max(others.waits, default=0.0)
            results[kind].append((total, held, longest, len(others.failures)))
            print(
                f"  round {number} {kind:5}: import {total:6.2f} s, write transaction "
                f"{held:5.2f} s, others' longest wait {longest:5.2f} s "
                f"({len(others.waits)} writes, {len(others.failures)} failed)"
            )
    print("medians:")
    for kind, rows in results.items():
        total, held, longest = (statistics.median(row[i] for row in rows) for i in range(3))
        failed = sum(row[3] for row in rows)
        print(
            f"  {kind:5}: import {total:6.2f} s, write transaction {held:5.2f} s, "
            f"others' longest wait {longest:5.2f} s, failed writes {failed}"
        )


if __name__ == "__main__":
    main()
