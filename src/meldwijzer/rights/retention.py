"""What the client's rights leave in a meldcode dossier — the record of each copy given and the
client's own statements — goes with the case when the retention job destroys it (registered in
`apps.py`)."""

from __future__ import annotations

from collections import Counter

from meldwijzer.privacy.models import ResourceKind
from meldwijzer.privacy.retention_sources import RetainedFile, RetentionPart, rows_destroy
from meldwijzer.rights.models import ClientStatement, CopyGiven


def _destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    rows_destroy(CopyGiven.objects.filter(case_id=file.file_id), counts)
    rows_destroy(ClientStatement.objects.filter(case_id=file.file_id), counts)
    return counts


CASE_PART = RetentionPart(
    resource_kind=ResourceKind.CASE,
    keeps=lambda file, cutoff: False,
    destroy=_destroy,
    models=(CopyGiven, ClientStatement),
)
