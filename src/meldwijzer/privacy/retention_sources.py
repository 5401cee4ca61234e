"""Which files the retention job can destroy, registered by the apps that own them.

`privacy` sits below the apps that hold files, so it never names their models. Each owning app
registers in its `AppConfig.ready()` one *source* per kind of file it owns
(`retention_sources_register`): how to list its files with their organisation, client pseudonym,
last change and whether they are closed, how to find one (locked, for the destruction and for a
legal hold), and how to destroy one completely. An app that keeps rows belonging to another app's
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
from typing import Any

from django.db import models


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
class RetentionSource:
    resource_kind: str
    file_kind: str
    files: Callable[[], Iterable[RetainedFile]]
    """Every file of this kind, open or closed."""
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
