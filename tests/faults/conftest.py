"""What the fault tests share: one database that other threads and a server process reach, and
a way to let many threads start the same write at the same moment.

On PostgreSQL that database is simply the test database: every thread opens its own connection
and a server process gets its address. SQLite's test database lives in memory, where threads
share a cache with table locks instead of the file locking and busy timeout of a real
deployment; so on SQLite the test runs on a copy of it in a file (WAL, `synchronous=FULL`,
`BEGIN IMMEDIATE`, as configured), which every thread — and a server process — opens like the
application does."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

THREADS = 50


@dataclass
class SharedDatabase:
    """The database of one fault test, as other threads and processes reach it."""

    vendor: str
    data_dir: Path
    server_env: dict[str, str] = field(default_factory=dict)
    """What a server process needs in its environment to use this database."""

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "meldwijzer.sqlite3"


def postgres_url(settings_dict: dict[str, Any]) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[SharedDatabase]:
    """The test's database, reachable from other threads and processes. Request it before any
    fixture that writes, so on SQLite those rows are in the file too."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if connection.vendor != "sqlite":
        yield SharedDatabase(
            vendor=connection.vendor,
            data_dir=data_dir,
            server_env={"DATABASE_URL": postgres_url(connection.settings_dict)},
        )
        return
    shared = SharedDatabase(vendor="sqlite", data_dir=data_dir)
    connection.ensure_connection()
    with sqlite3.connect(shared.sqlite_file) as copy:
        connection.connection.backup(copy)
    copy.close()
    in_memory = connections["default"]
    original = connections.settings["default"]
    on_file = {**original, "NAME": str(shared.sqlite_file)}
    connections.settings["default"] = on_file
    connections["default"] = in_memory.__class__(on_file, "default")
    try:
        yield shared
    finally:
        connections["default"].close()
        connections.settings["default"] = original
        connections["default"] = in_memory


@dataclass
class Outcome:
    """What each thread's call gave: its return value or the exception it raised."""

    results: list[Any] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def all_at_once(count: int, work: Callable[[int], Any]) -> Outcome:
    """Run `work(0) … work(count - 1)` in `count` threads, each on its own database connection,
    released together by a barrier so that their writes overlap."""
    barrier = threading.Barrier(count)
    lock = threading.Lock()
    outcome = Outcome()

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=60)
            result = work(number)
        except BaseException as error:  # every failure is the test's to judge
            with lock:
                outcome.errors.append(error)
        else:
            with lock:
                outcome.results.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return outcome
