"""Which files the retention job can destroy, registered by the apps that own them.

`privacy` sits below the apps that hold files, so it never names their models. Each owning app
registers in its `AppConfig.ready()` one *source* per kind of file it owns
(`retention_sources_register`): how its files are found in the database (`FileQuery`: its rows,
which of them are closed, their organisation and the moments that make up their last change — so
the expired, unheld files are selected in SQL, never by reading every file), how to find one
(locked, for the destruction and for a legal hold), and how to destroy one completely. An app that keeps rows belonging to another app's
file — instrument results in a case, follow-up plans of a coordination file — registers a *part*
for that kind (`retention_parts_register`): whether it still keeps the file (changed recently,
still running), and how to destroy its rows of it.

A source and a part each name every model whose rows they destroy (`models`) and every link
they clear in rows that stay (`detaches`, as `app_label.Model.field`), so a test can check that no
model holding a file's data is forgotten.

Rows go with `rows_destroy`: one DELETE per table, no signals, no cascades, no model `delete()`
(the dossier's rows refuse that, as they are never deleted by anyone else). The database checks
its foreign keys when the transaction commits, so the order within one destruction is free.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from meldwijzer.privacy.models import LegalHold


@dataclass(frozen=True)
class RetainedFile:
    """One file as the retention job sees it."""

    resource_kind: str
    """`ResourceKind`: how a legal hold names it."""
    file_kind: str
    """`FileKind`: whose period applies."""
    file_id: int
    reference: str
    organisation_id: int
    client_pseudonym: str
    last_change: datetime.datetime
    closed: bool


@dataclass(frozen=True)
class Expiry:
    """When the files of one kind have passed their period: their last change lies before the
    cut-off of their organisation — its own period where it recorded one, else the table's."""

    resource_kind: str
    cutoff: datetime.datetime
    """The cut-off of the retention table's period."""
    own_cutoffs: dict[int, datetime.datetime] = field(default_factory=dict)
    """Organisation id → the cut-off of its own period."""

    def passed(self, organisation: str, moments: Iterable[str]) -> Q:
        """Rows whose every moment of change is empty or before their organisation's cut-off."""
        moments = tuple(moments)

        def before(cutoff: datetime.datetime) -> Q:
            return reduce(
                and_, (Q(**{f"{m}__isnull": True}) | Q(**{f"{m}__lt": cutoff}) for m in moments)
            )

        by_cutoff: dict[datetime.datetime, list[int]] = {}
        for organisation_id, cutoff in self.own_cutoffs.items():
            by_cutoff.setdefault(cutoff, []).append(organisation_id)
        condition = before(self.cutoff)
        if self.own_cutoffs:
            condition &= ~Q(**{f"{organisation}__in": list(self.own_cutoffs)})
        for cutoff, organisation_ids in by_cutoff.items():
            condition |= Q(**{f"{organisation}__in": organisation_ids}) & before(cutoff)
        return condition

    def held(self) -> Q:
        """Rows an active legal hold keeps."""
        return Q(
            Exists(
                LegalHold.objects.filter(
                    resource_kind=self.resource_kind,
                    resource_id=OuterRef("pk"),
                    lifted_at__isnull=True,
                )
            )
        )


@dataclass(frozen=True)
class FileTally:
    """How many files of a kind are open, closed, and past their period under a legal hold."""

    open: int
    closed: int
    held: int


@dataclass(frozen=True)
class FileQuery:
    """How the files of one kind are found in the database; the owning app says what closed
    means and which moments make up a file's last change."""

    rows: Callable[[], models.QuerySet[Any]]
    """Every file of the kind, with the fields `retained` reads."""
    closed: Q
    organisation: str
    """The field naming the organisation whose period applies."""
    moments: tuple[str, ...]
    """The fields whose latest value is the file's last change."""
    retained: Callable[[Any], RetainedFile]

    def due(self, expiry: Expiry) -> Iterable[RetainedFile]:
        """The closed files past their period that no legal hold keeps, selected in SQL and read
        in chunks."""
        rows = (
            self.rows()
            .filter(self.closed, expiry.passed(self.organisation, self.moments))
            .exclude(expiry.held())
            .order_by("pk")
        )
        for row in rows.iterator(chunk_size=500):
            yield self.retained(row)

    def tally(self, expiry: Expiry) -> FileTally:
        """Three counts in the database, however many files."""
        closed = self.rows().filter(self.closed)
        return FileTally(
            open=self.rows().exclude(self.closed).count(),
            closed=closed.count(),
            held=closed.filter(expiry.passed(self.organisation, self.moments))
            .filter(expiry.held())
            .count(),
        )


@dataclass(frozen=True)
class RetentionSource:
    resource_kind: str
    file_kind: str
    files: FileQuery
    """Its files in the database: which are closed, due and held."""
    get: Callable[[int], RetainedFile | None]
    """One file, its row locked until the transaction ends; None when it does not exist."""
    destroy: Callable[[RetainedFile], Counter[str]]
    """Delete the file and every row of its own app that belongs to it; rows per model."""
    holds_pseudonym: Callable[[str], bool]
    """Whether a file of this kind still carries this client pseudonym."""
    models: tuple[type[models.Model], ...]
    detaches: tuple[str, ...] = ()
    resource_ids: Callable[[RetainedFile], dict[str, list[int]]] = field(default=lambda file: {})
    """Resources (kind → ids) inside the file that grants may name, such as a consultation
    summary; their grants go with the file."""


@dataclass(frozen=True)
class RetentionPart:
    resource_kind: str
    keeps: Callable[[RetainedFile, datetime.datetime], bool]
    """Whether this part still keeps the file: changed after the cut-off, or still running."""
    destroy: Callable[[RetainedFile], Counter[str]]
    models: tuple[type[models.Model], ...]
    detaches: tuple[str, ...] = ()
    resource_ids: Callable[[RetainedFile], dict[str, list[int]]] = field(default=lambda file: {})
    """Other resources (kind → ids) inside the file that grants may name, such as a plan."""


_SOURCES: dict[str, RetentionSource] = {}
_PARTS: dict[str, list[RetentionPart]] = {}


def retention_sources_register(source: RetentionSource) -> None:
    """Add an app's kind of file (once, however often `ready()` runs)."""
    _SOURCES[source.resource_kind] = source


def retention_parts_register(part: RetentionPart) -> None:
    """Add an app's rows of another app's kind of file (once, however often `ready()` runs)."""
    parts = _PARTS.setdefault(part.resource_kind, [])
    if all(existing.destroy is not part.destroy for existing in parts):
        parts.append(part)


def retention_sources() -> list[RetentionSource]:
    return list(_SOURCES.values())


def retention_source(resource_kind: str) -> RetentionSource | None:
    return _SOURCES.get(resource_kind)


def retention_parts(resource_kind: str) -> list[RetentionPart]:
    """The parts of a kind of file, the app registered last first (it sits highest)."""
    return list(reversed(_PARTS.get(resource_kind, [])))


def rows_destroy(queryset: models.QuerySet[Any], counts: Counter[str]) -> None:
    """Delete every row of `queryset` with one statement and count them under the model's
    label. Nothing cascades: whoever calls it names every table of the file."""
    deleted = queryset._raw_delete(queryset.db)
    if deleted:
        counts[queryset.model._meta.label] += deleted
