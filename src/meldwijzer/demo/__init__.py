"""The demo region: each app contributes a loader, listed in settings.MELDWIJZER_DEMO_LOADERS."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


def demo_load() -> None:
    """Load every app's demo data, in order, in one transaction. Safe to run again. Listeners to
    recorded people are silenced: the made-up people recur across the demo's stories, so a loader
    that wants one (such as matching) calls it itself."""
    from meldwijzer.cases.extensions import person_recorded_quiet  # after django.setup()

    with transaction.atomic(), person_recorded_quiet():
        for path in settings.MELDWIJZER_DEMO_LOADERS:
            import_string(path)()
