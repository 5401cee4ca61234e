"""The meldcode dossier as a file the retention job can destroy (registered in `apps.py`).

A case is closed when its phase is `afgesloten`; its last change is the latest of its own
change, closing and re-opening. Destroying it deletes the case with its people, entries, phase
changes and the stored PDFs of its report; grants on its consultation summaries (an entry each) go with it. A later round
that grew out of it (`Case.previous`) loses only the link. What other apps keep of a case —
instrument results, follow-up plans, Veilig Thuis' copy of the report — they register as parts.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from meldwijzer.cases.models import Case, Entry, Person, PhaseChange, ReportPdf
from meldwijzer.cases.workflow import Phase
from meldwijzer.privacy.models import FileKind, ResourceKind
from meldwijzer.privacy.retention_sources import (
    FileQuery,
    RetainedFile,
    RetentionSource,
    rows_destroy,
)

_FIELDS = (
    "pk", "reference", "organisation_id", "client_pseudonym", "phase", "updated_at",
    "closed_at", "reopened_at", "phase_entered_at",
)  # fmt: skip


def _retained(case: Case) -> RetainedFile:
    moments = [case.updated_at, case.phase_entered_at, case.closed_at, case.reopened_at]
    return RetainedFile(
        resource_kind=ResourceKind.CASE,
        file_kind=FileKind.MELDCODE_DOSSIER,
        file_id=case.pk,
        reference=case.reference,
        organisation_id=case.organisation_id,
        client_pseudonym=case.client_pseudonym,
        last_change=max(moment for moment in moments if moment is not None),
        closed=case.phase == Phase.CLOSED,
    )


FILES = FileQuery(
    rows=lambda: Case.objects.only(*_FIELDS),
    closed=Q(phase=Phase.CLOSED),
    organisation="organisation_id",
    moments=("updated_at", "phase_entered_at", "closed_at", "reopened_at"),
    retained=_retained,
)


def _get(case_id: int) -> RetainedFile | None:
    case = Case.objects.select_for_update().only(*_FIELDS).filter(pk=case_id).first()
    return _retained(case) if case is not None else None


def _destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    Case.objects.filter(previous_id=file.file_id).update(previous=None)
    rows_destroy(Entry.objects.filter(case_id=file.file_id), counts)
    rows_destroy(Person.objects.filter(case_id=file.file_id), counts)
    rows_destroy(PhaseChange.objects.filter(case_id=file.file_id), counts)
    rows_destroy(ReportPdf.objects.filter(case_id=file.file_id), counts)
    rows_destroy(Case.objects.filter(pk=file.file_id), counts)
    return counts


def _summaries(file: RetainedFile) -> dict[str, list[int]]:
    """Consultation summaries are shared per entry: their grants go with the case."""
    entries = Entry.objects.filter(case_id=file.file_id).values_list("pk", flat=True)
    return {ResourceKind.CONSULTATION_SUMMARY: list(entries)}


SOURCE = RetentionSource(
    resource_kind=ResourceKind.CASE,
    file_kind=FileKind.MELDCODE_DOSSIER,
    files=FILES,
    get=_get,
    destroy=_destroy,
    holds_pseudonym=lambda pseudonym: Case.objects.filter(client_pseudonym=pseudonym).exists(),
    models=(Case, Person, Entry, PhaseChange, ReportPdf),
    detaches=("cases.Case.previous",),
    resource_ids=_summaries,
)
