"""A throw-away database for a benchmark, so a benchmark never touches real data.

Django is set up with the production settings (and a temporary data directory unless
`MELDWIJZER_DATA_DIR` is given); the database is a new SQLite file in that directory, or a new
database beside the one `DATABASE_URL` names, made as Django's test runner makes one and
dropped afterwards.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def throwaway_database() -> Iterator[tuple[str, str]]:
    """Yield the database's vendor and name; drop it when the block ends, also on an error."""
    os.environ.setdefault("MELDWIJZER_DATA_DIR", tempfile.mkdtemp(prefix="meldwijzer-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "meldwijzer.conf.settings"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":  # a real file, as in production, not an in-memory database
        connection.settings_dict["TEST"]["NAME"] = os.path.join(
            os.environ["MELDWIJZER_DATA_DIR"], "bench.sqlite3"
        )
    from django.test.utils import setup_test_environment

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        yield connection.vendor, test_db
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)
