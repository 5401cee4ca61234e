"""Access-log rows are written only by the typed event functions in each app's `events.py`
(and by audit itself): no view, selector or service builds a row inline, so every row about a
client's data goes through a function that names the client."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "meldwijzer"
WRITERS = {"access_log_record", "access_log_record_each", "access_denied"}
# Audit's own internals: where the writers are defined.
AUDIT_INTERNALS = {SOURCE / "audit" / "services.py"}


def uses_of_writers(path: Path) -> list[str]:
    """Calls of the writers, and imports of them (an alias would hide a call), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in WRITERS:
                found.append(f"{node.lineno}: calls {name}")
        elif isinstance(node, ast.ImportFrom):
            found.extend(
                f"{node.lineno}: imports {alias.name}"
                for alias in node.names
                if alias.name in WRITERS
            )
    return found


def allowed(path: Path) -> bool:
    return path.name == "events.py" or path in AUDIT_INTERNALS


def test_access_log_rows_are_written_only_by_event_functions() -> None:
    offenders = [
        f"{path.relative_to(SOURCE)}:{use}"
        for path in sorted(SOURCE.rglob("*.py"))
        if not allowed(path)
        for use in uses_of_writers(path)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_app_that_logs_has_its_events_module() -> None:
    apps = {"accounts", "audit", "cases", "core", "instruments", "organisations", "social_map"}
    assert all((SOURCE / app / "events.py").is_file() for app in apps)


def test_the_check_sees_an_inline_call(tmp_path: Path) -> None:
    inline = tmp_path / "selectors.py"
    inline.write_text(
        "from meldwijzer.audit import services\n"
        "services.access_denied(actor=None, action='read', subject='casus')\n",
        encoding="utf-8",
    )
    assert uses_of_writers(inline) == ["2: calls access_denied"]
    assert not allowed(inline)
