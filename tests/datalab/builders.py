"""Datalab test data: a source, an import and records, written straight to the tables."""

from __future__ import annotations

import datetime

from meldwijzer.datalab.models import (
    Import,
    ImportState,
    Record,
    ReporterRole,
    ReporterSector,
    ReportKind,
    Source,
    SourceKind,
    ViolenceKind,
)
from meldwijzer.organisations.models import Organisation


def source_with_import(organisation: Organisation, name: str = "Veilig Thuis Flevoland") -> Import:
    source, _ = Source.objects.get_or_create(
        datalab=organisation, name=name, defaults={"kind": SourceKind.VEILIG_THUIS}
    )
    return Import.objects.create(
        source=source,
        filename="meldingen.csv",
        file_format="csv",
        sha256="0" * 64,
        state=ImportState.DONE,
    )


def record(imported: Import, reference: str, reported_on: datetime.date, **fields) -> Record:
    values = {
        "pc4": "8302",
        "reporter_role": ReporterRole.PROFESSIONAL,
        "reporter_sector": ReporterSector.POLICE,
        "report_kind": ReportKind.FIRST,
        "violence_kind": ViolenceKind.CHILD_ABUSE,
    } | fields
    return Record.objects.create(
        datalab=imported.source.datalab,
        source=imported.source,
        imported=imported,
        reference=reference,
        reported_on=reported_on,
        **values,
    )
