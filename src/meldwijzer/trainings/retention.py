"""A worry shared without identifying data that became a case keeps only the worry when the
retention job destroys the case: the link to it goes (registered in `apps.py`). The worry holds
nothing about the client."""

from __future__ import annotations

from collections import Counter

from meldwijzer.privacy.models import ResourceKind
from meldwijzer.privacy.retention_sources import RetainedFile, RetentionPart
from meldwijzer.trainings.models import Worry


def _case_destroy(file: RetainedFile) -> Counter[str]:
    Worry.objects.filter(case_id=file.file_id).update(case=None)
    return Counter()


CASE_PART = RetentionPart(
    resource_kind=ResourceKind.CASE,
    keeps=lambda file, cutoff: False,
    destroy=_case_destroy,
    models=(),
    detaches=("trainings.Worry.case",),
)
