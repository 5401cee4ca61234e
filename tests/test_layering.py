"""The apps depend downward only (docs/architecture.md, ADR 0025).

`LAYERS` lists the apps from the bottom up; an app may import its own layer and the layers below
it, never one above. The API is a front door onto the same services and selectors as the pages, so
no domain app reaches up into it; the dossier (`cases`) does not know the instruments that write
into it (their results arrive as entries, and the case page asks `cases.extensions` what other
apps offer). `demo` fills every app and may import them all.

`KNOWN_UPWARD` names the few imports in the lowest apps that still reach up, each with the reason;
the list may only shrink, and an entry that no longer exists must be removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "meldwijzer"

LAYERS: list[set[str]] = [
    {"core"},
    {"audit"},
    {"organisations"},
    {"accounts"},
    {"privacy"},
    {"cases"},
    {"instruments", "social_map"},
    {"coordination"},
    {"followups"},
    {"trainings"},
    {"datalab"},
    {"rights"},
    {"api"},
    {"demo"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}

KNOWN_UPWARD: dict[tuple[str, str], str] = {
    ("core/decorators.py", "audit"): "actor_required logs refusals in the access log",
    ("core/decorators.py", "organisations"): "actor_required checks the actor's permissions",
    ("core/views.py", "cases"): "the start page shows each professional's open work",
    ("core/views.py", "organisations"): "the start page depends on the actor's roles",
    ("core/management/commands/demo_load.py", "demo"): "the command that runs the demo loaders",
    ("core/events.py", "audit"): "refusals at the door are access-log events",
    ("core/events.py", "organisations"): "a refusal names the actor (type annotation only)",
    ("core/events.py", "accounts"): "a refusal names its user (type annotation only)",
    ("core/templatetags/meldwijzer.py", "audit"): "pages name a log row's subject in words",
    ("audit/events.py", "organisations"): "reading the log names the reader (type annotation only)",
    ("audit/services.py", "organisations"): "a log row names the actor's role and organisation",
    ("audit/services.py", "accounts"): "a log row names its user (type annotation only)",
    ("audit/chain.py", "organisations"): "verification names a chain by its organisation",
    ("audit/selectors.py", "organisations"): "reading the log needs the actor's permission",
    ("audit/views.py", "organisations"): "reading the log needs the actor's permission",
    ("organisations/services.py", "accounts"): "members are users; deactivating ends sessions",
    ("organisations/selectors.py", "accounts"): "members are users, with their API tokens",
    ("organisations/actor.py", "accounts"): "the actor is a user (type annotation only)",
    ("organisations/views.py", "accounts"): "the beheer pages enrol and reset members",
    ("organisations/events.py", "accounts"): "a log row about a member names the user",
}


def imported_apps(path: Path) -> set[str]:
    """The Meldwijzer apps a module imports (absolute imports; the project uses no others)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    apps = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "meldwijzer":
                names = [f"meldwijzer.{alias.name}" for alias in node.names]
        else:
            continue
        apps.update(name.split(".")[1] for name in names if name.startswith("meldwijzer."))
    return apps


def upward_imports(app: str) -> set[tuple[str, str]]:
    """(module, app) for every import in `app` of an app in a higher layer."""
    return {
        (str(path.relative_to(SOURCE)), other)
        for path in sorted((SOURCE / app).rglob("*.py"))
        for other in imported_apps(path)
        if LEVEL.get(other, -1) > LEVEL[app]
    }


def test_every_app_has_a_layer() -> None:
    apps = {path.parent.name for path in SOURCE.glob("*/apps.py")}
    assert apps <= set(LEVEL), sorted(apps - set(LEVEL))


@pytest.mark.parametrize("app", sorted(LEVEL))
def test_no_app_imports_an_app_above_it(app: str) -> None:
    offenders = sorted(upward_imports(app) - set(KNOWN_UPWARD))
    assert not offenders, "\n".join(f"{module}: {other}" for module, other in offenders)


def test_the_known_upward_imports_still_exist() -> None:
    """An import that was removed leaves the list, so the list only shrinks."""
    found = {pair for app in LEVEL for pair in upward_imports(app)}
    assert set(KNOWN_UPWARD) <= found, sorted(set(KNOWN_UPWARD) - found)


@pytest.mark.parametrize("app", sorted(set(LEVEL) - {"api", "demo"}))
def test_domain_apps_never_import_the_api(app: str) -> None:
    offenders = [pair for pair in upward_imports(app) if pair[1] == "api"]
    assert not offenders, offenders


def test_the_dossier_does_not_import_the_instruments() -> None:
    assert not [pair for pair in upward_imports("cases") if pair[1] == "instruments"]


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "report.py"
    module.write_text(
        "from meldwijzer.instruments.selectors import case_instrument_results\n"
        "import meldwijzer.api.views\n"
        "from meldwijzer import social_map\n",
        encoding="utf-8",
    )
    assert imported_apps(module) == {"instruments", "api", "social_map"}
