"""Which database a read goes to: the datalab's analyses to a read replica when there is one.

Everything runs on the primary, except the reads inside `analysis_reads()`: they go to the
database named by `settings.ANALYSIS_DATABASE` — a PostgreSQL read replica when
`DATABASE_REPLICA_URL` is set (ADR 0042), otherwise the primary itself. Writes are never routed;
a replica is never migrated (it copies the primary).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

_analysis = ContextVar("analysis_reads", default=False)


@contextmanager
def analysis_reads() -> Iterator[None]:
    """Send the ORM reads in this block to the analysis database. Only for reads that may lag the
    primary by a moment (figures, never a file someone is working on)."""
    token = _analysis.set(True)
    try:
        yield
    finally:
        _analysis.reset(token)


def analysis_connection() -> BaseDatabaseWrapper:
    """The connection for raw SQL of an analysis: the one the ORM's reads in the block use."""
    return connections[settings.ANALYSIS_DATABASE if _analysis.get() else "default"]


class AnalysisReadsRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return settings.ANALYSIS_DATABASE if _analysis.get() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
