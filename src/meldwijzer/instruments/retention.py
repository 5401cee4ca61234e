"""What the instruments keep of a meldcode dossier — results and drafts — goes with the case when
the retention job destroys it (registered in `apps.py`). A draft saved after the cut-off keeps
the case."""

from __future__ import annotations

import datetime
from collections import Counter

from meldwijzer.instruments.models import InstrumentDraft, InstrumentResult
from meldwijzer.privacy.models import ResourceKind
from meldwijzer.privacy.retention_sources import RetainedFile, RetentionPart, rows_destroy


def _keeps(file: RetainedFile, cutoff: datetime.datetime) -> bool:
    return InstrumentDraft.objects.filter(case_id=file.file_id, updated_at__gte=cutoff).exists()


def _destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    rows_destroy(InstrumentResult.objects.filter(case_id=file.file_id), counts)
    rows_destroy(InstrumentDraft.objects.filter(case_id=file.file_id), counts)
    return counts


CASE_PART = RetentionPart(
    resource_kind=ResourceKind.CASE,
    keeps=_keeps,
    destroy=_destroy,
    models=(InstrumentResult, InstrumentDraft),
)
