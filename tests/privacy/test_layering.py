"""The privacy app sits below the apps whose files it opens: it names a file by kind and id and
never imports them, so every app can use it."""

from __future__ import annotations

from tests.test_layering import SOURCE, imported_modules

ABOVE_PRIVACY = (
    "meldwijzer.cases",
    "meldwijzer.instruments",
    "meldwijzer.social_map",
    "meldwijzer.api",
)


def test_privacy_never_imports_the_apps_above_it() -> None:
    offenders = [
        f"{path.relative_to(SOURCE)}: {module}"
        for path in sorted((SOURCE / "privacy").rglob("*.py"))
        for module in sorted(imported_modules(path))
        if any(module == app or module.startswith(app + ".") for app in ABOVE_PRIVACY)
    ]
    assert not offenders, "\n".join(offenders)
