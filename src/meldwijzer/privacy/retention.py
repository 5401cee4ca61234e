"""Retention periods as data: the defaults per kind of file, with their legal basis, an "as of"
date and the source, from `retention.yaml`; checked when loaded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from meldwijzer.privacy.models import FileKind

PATH = Path(__file__).resolve().parent / "retention.yaml"
MAX_YEARS = 115


class RetentionTableError(ValueError):
    """The retention table is incomplete or malformed."""


@dataclass(frozen=True)
class RetentionPeriod:
    file_kind: str
    label: str
    years: int
    counted_from: str
    basis: str
    source: str
    as_of: datetime.date
    overridden: bool = False


@dataclass(frozen=True)
class RetentionTable:
    as_of: datetime.date
    source: str
    periods: dict[str, RetentionPeriod]


def retention_table_parse(document: Any) -> RetentionTable:
    """Check a parsed `retention.yaml` and return it; every problem is named."""
    if not isinstance(document, dict):
        raise RetentionTableError("De bewaartabel is geen tabel.")
    as_of, source, periods = document.get("as_of"), document.get("source"), document.get("periods")
    problems: list[str] = []
    if not isinstance(as_of, datetime.date):
        problems.append("as_of: een datum (jjjj-mm-dd) ontbreekt")
    if not isinstance(source, str) or not source.strip():
        problems.append("source: de bron ontbreekt")
    if not isinstance(periods, dict):
        raise RetentionTableError("; ".join([*problems, "periods: de termijnen ontbreken"]))
    missing = sorted(set(FileKind.values) - set(periods))
    unknown = sorted(set(periods) - set(FileKind.values))
    if missing:
        problems.append("termijn ontbreekt voor: " + ", ".join(missing))
    if unknown:
        problems.append("onbekende soort dossier: " + ", ".join(map(str, unknown)))
    for kind, period in periods.items():
        if not isinstance(period, dict):
            problems.append(f"{kind}: geen tabel")
            continue
        years = period.get("years")
        if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
            problems.append(f"{kind}: years moet een heel aantal jaren zijn (1–{MAX_YEARS})")
        for key in ("label", "basis", "counted_from"):
            if not isinstance(period.get(key), str) or not period[key].strip():
                problems.append(f"{kind}: {key} ontbreekt")
    if problems:
        raise RetentionTableError("; ".join(problems))
    assert isinstance(as_of, datetime.date) and isinstance(source, str)
    return RetentionTable(
        as_of=as_of,
        source=source.strip(),
        periods={
            kind: RetentionPeriod(
                file_kind=kind,
                label=period["label"].strip(),
                years=period["years"],
                counted_from=period["counted_from"].strip(),
                basis=period["basis"].strip(),
                source=source.strip(),
                as_of=as_of,
            )
            for kind, period in periods.items()
        },
    )


@cache
def default_retention() -> RetentionTable:
    """The shipped defaults."""
    return retention_table_parse(yaml.safe_load(PATH.read_text(encoding="utf-8")))
