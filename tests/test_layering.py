"""The apps depend downward only: no domain app reaches up into the API, which is a front door onto
the same services and selectors as the pages (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "meldwijzer"
DOMAIN_APPS = [
    "accounts",
    "audit",
    "cases",
    "core",
    "instruments",
    "organisations",
    "privacy",
    "social_map",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_apps_never_import_the_api(app: str) -> None:
    offenders = [
        f"{path.relative_to(SOURCE)}: {module}"
        for path in sorted((SOURCE / app).rglob("*.py"))
        for module in sorted(imported_modules(path))
        if module == "meldwijzer.api" or module.startswith("meldwijzer.api.")
    ]
    assert not offenders, "\n".join(offenders)
