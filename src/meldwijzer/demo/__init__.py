"""The demo region: each app contributes a loader, listed in settings.MELDWIJZER_DEMO_LOADERS."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


def demo_load() -> None:
    """Load every app's demo data, in order, in one transaction. Safe to run again."""
    with transaction.atomic():
        for path in settings.MELDWIJZER_DEMO_LOADERS:
            import_string(path)()
