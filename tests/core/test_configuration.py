"""Configuration: every environment variable the product reads is documented in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
READERS = re.compile(
    r"""(?:env_(?:str|bool|int|list)|secret_from_env_or_file|os\.environ\.get|os\.environ\.setdefault)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read() -> set[str]:
    names: set[str] = set()
    for path in [*ROOT.joinpath("src").rglob("*.py"), ROOT / "tasks.py",
                 *ROOT.joinpath("tests/browser").rglob("*.py")]:  # fmt: skip
        names |= set(READERS.findall(path.read_text(encoding="utf-8")))
    return names - {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "CI"}


def test_env_example_lists_every_variable():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = variables_read()
    assert read, "no environment variables found; the pattern is broken"
    assert read - documented == set()


@pytest.mark.django_db
def test_sqlite_connections_sync_fully_and_check_foreign_keys():
    """WAL mode itself is checked on a real database file in tests/test_cli.py."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
